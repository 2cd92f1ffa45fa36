//! List tables as people read them (`--output table`; `wide`, `csv` and `json` keep every value
//! whole): ids and hashes cut to a short prefix, instants shown as the time since them.

use jiff::Timestamp;

/// The fewest characters an id is cut to (git's abbreviation).
const SHORTEST: usize = 8;

/// Rewrites the cells of `rows` in place: a column of ids (UUIDs) or hashes (64 hex digits)
/// keeps the shortest prefix, at least [`SHORTEST`] characters, that still tells every id of
/// the column apart (UUIDv7 ids made in the same minute share their first 8); an instant
/// (RFC 3339) becomes its age at `now` ("5m ago").
pub fn humane(rows: &mut [Vec<String>], now: Timestamp) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    for col in 0..columns {
        let cells = || {
            rows.iter()
                .filter_map(|r| r.get(col))
                .filter(|c| !c.is_empty())
        };
        if cells().next().is_some() && cells().all(|c| is_id(c)) {
            let ids: Vec<&str> = cells().map(String::as_str).collect();
            let keep = distinct_prefix(&ids);
            for row in rows.iter_mut() {
                if let Some(c) = row.get_mut(col)
                    && c.len() > keep
                {
                    c.truncate(keep);
                }
            }
        }
    }
    for cell in rows.iter_mut().flatten() {
        if let Some(age) = age(cell, now) {
            *cell = age;
        }
    }
}

/// A UUID (8-4-4-4-12 hex digits) or a SHA-256 in hex.
fn is_id(text: &str) -> bool {
    let b = text.as_bytes();
    let hex = |s: &[u8]| s.iter().all(u8::is_ascii_hexdigit);
    match b.len() {
        36 => b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        }),
        64 => hex(b),
        _ => false,
    }
}

/// The shortest prefix length, at least [`SHORTEST`], at which the distinct `ids` differ.
fn distinct_prefix(ids: &[&str]) -> usize {
    let mut sorted: Vec<&str> = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let common = |a: &str, b: &str| a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    sorted
        .windows(2)
        .map(|w| common(w[0], w[1]) + 1)
        .max()
        .unwrap_or(0)
        .max(SHORTEST)
}

/// `text` as the time since it, when it is an RFC 3339 instant: seconds, minutes, hours and
/// days ago (or "in ..." ahead of `now`), and the date itself past 30 days.
fn age(text: &str, now: Timestamp) -> Option<String> {
    // Cheap shape check first: most cells are not times.
    if text.len() < 20 || text.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    let at: Timestamp = text.parse().ok()?;
    let secs = now.as_second() - at.as_second();
    let (n, ahead) = (secs.unsigned_abs(), secs < 0);
    let span = match n {
        0..60 => format!("{n}s"),
        60..3_600 => format!("{}m", n / 60),
        3_600..86_400 => format!("{}h", n / 3_600),
        86_400..2_592_000 => format!("{}d", n / 86_400),
        _ => return Some(text[..10].to_string()),
    };
    Some(if ahead {
        format!("in {span}")
    } else {
        format!("{span} ago")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-25T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn ids_keep_the_prefix_that_tells_them_apart() {
        let mut rows = vec![
            vec![
                "01a252a8-c769-704f-857b-2f8927516f52".to_string(),
                "acme".into(),
            ],
            vec![
                "01a252a8-d123-704f-857b-2f8927516f52".to_string(),
                "globex".into(),
            ],
            vec!["".to_string(), "-".into()],
        ];
        humane(&mut rows, now());
        assert_eq!(rows[0][0], "01a252a8-c");
        assert_eq!(rows[1][0], "01a252a8-d");
        assert_eq!(rows[0][1], "acme", "not an id column");
        let mut one = vec![vec!["f".repeat(64)]];
        humane(&mut one, now());
        assert_eq!(one[0][0], "ffffffff");
    }

    #[test]
    fn a_column_with_a_value_that_is_no_id_is_kept_whole() {
        let mut rows = vec![
            vec!["01a252a8-c769-704f-857b-2f8927516f52".to_string()],
            vec!["not-an-id".to_string()],
        ];
        humane(&mut rows, now());
        assert_eq!(rows[0][0].len(), 36);
    }

    #[test]
    fn instants_become_their_age() {
        let mut rows = vec![vec![
            "2026-11-25T09:59:30.000Z".to_string(),
            "2026-11-25T09:15:00Z".into(),
            "2026-11-25T07:00:00Z".into(),
            "2026-11-20T10:00:00Z".into(),
            "2026-09-01T10:00:00Z".into(),
            "2026-11-25T10:05:00Z".into(),
            "2026-11-25".into(),
        ]];
        humane(&mut rows, now());
        assert_eq!(
            rows[0],
            [
                "30s ago",
                "45m ago",
                "3h ago",
                "5d ago",
                "2026-09-01",
                "in 5m",
                "2026-11-25"
            ]
        );
    }
}
