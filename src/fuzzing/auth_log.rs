//! The syslog / auth.log scanner of `signals:mine --logs`: line headers, the detection
//! rules of `templates/detections/`, and the alerts they raise over a file.
//!
//! Invariants, for any bytes:
//! - parsing is line-local: the file's unparsed lines are the lines whose header does not
//!   parse alone; every part of a header is a piece of its line;
//! - every alert is about one line of the file: its text is that line, its host, program,
//!   user and source address are pieces of it, and the line says one of the words the rules
//!   look for (`Failed password`, `authentication failure`, `Accepted`, `session opened`);
//! - the alerts of the plain rules are exactly the rule hits of each line alone, but for a
//!   fallback form's hit (a PAM line) on a host that logs the primary form of the same rule
//!   and program somewhere in the file;
//! - a `threshold` rule's alert stands on a line of the rule it counts, from the source it
//!   groups by, with at least `count` attempts; all its alerts together count no more
//!   attempts than the file holds.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use super::{Features, shape};
use crate::signals::detect::{Field, Hit, Rules};
use crate::signals::logs::fuzz::{Alert, header, scan};

/// What the rules look for: a line without any of these raises nothing.
const TRIGGERS: &[&str] = &[
    "Failed password",
    "authentication failure",
    "Accepted ",
    "session opened",
];

/// Year-less timestamps land in a leap year (`Feb 29` is a date).
const YEAR: i16 = 2024;

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::built_in().expect("the built-in rules load"))
}

/// Whether `part` is a piece of `line` (the same bytes, within it).
fn within(part: &str, line: &str) -> bool {
    let (p, l) = (part.as_ptr() as usize, line.as_ptr() as usize);
    p >= l && p + part.len() <= l + line.len()
}

/// The program without its `(pam_unix)`: a host is marked per rule and this.
fn base(program: &str) -> &str {
    program.split('(').next().unwrap_or(program)
}

pub fn auth_log(bytes: &[u8]) -> Features {
    let mut seen = Features::default();
    let rules = rules();
    let scanned = scan(rules, bytes, YEAR);
    // Each line alone: its header and its rule hits.
    let mut unparsed = 0;
    let mut hits: Vec<Vec<Hit>> = Vec::new();
    let mut heads = Vec::new();
    for line in &scanned.lines {
        let mut found = Vec::new();
        match header(line, YEAR) {
            None => {
                unparsed += 1;
                seen.add(&["unparsed"]);
                heads.push(None);
            }
            Some(h) => {
                for part in [h.host, h.program, h.message] {
                    assert!(within(part, line), "`{part}` is not a piece of {line:?}");
                }
                // (A tag of only a pid, `[9]:`, leaves the program empty.)
                assert!(!h.program.contains(' '), "a program with a space: {h:?}");
                assert_eq!(h.message, h.message.trim_matches(' '), "{h:?}");
                let iso = line.starts_with(|c: char| c.is_ascii_digit());
                seen.add(&["header", &iso.to_string(), &h.pid.is_some().to_string()]);
                rules.hits(h.program, h.message, &mut found);
                heads.push(Some((
                    h.host.to_string(),
                    h.program.to_string(),
                    h.at,
                    h.pid,
                )));
            }
        }
        hits.push(found);
    }
    assert_eq!(
        scanned.unparsed, unparsed,
        "unparsed lines: the file, its lines alone"
    );
    // The hosts that log a rule's primary form, and so hide its fallback hits.
    let mut primary = BTreeSet::new();
    for (h, found) in heads.iter().zip(&hits) {
        if let Some((host, program, ..)) = h {
            for hit in found.iter().filter(|h| !h.fallback) {
                primary.insert((hit.rule, host.clone(), base(program).to_string()));
            }
        }
    }
    let mut expected = Vec::new();
    for (i, (h, found)) in heads.iter().zip(&hits).enumerate() {
        let Some((host, program, at, pid)) = h else {
            continue;
        };
        for hit in found {
            seen.add(&["hit", &rules.rules[hit.rule].id, &hit.fallback.to_string()]);
            let hidden = hit.fallback
                && primary.contains(&(hit.rule, host.clone(), base(program).to_string()));
            if rules.rules[hit.rule].alert && !hidden {
                expected.push(Alert {
                    line: i as u64 + 1,
                    rule: hit.rule,
                    at: at.clone(),
                    host: host.clone(),
                    program: program.clone(),
                    pid: *pid,
                    user: hit.user.clone(),
                    src_ip: hit.src_ip.clone(),
                    count: u64::from(hit.count),
                    raw: scanned.lines[i].clone(),
                });
            }
        }
    }
    let marks: BTreeSet<(String, String)> = scanned.marks.iter().cloned().collect();
    let expected_marks: BTreeSet<(String, String)> = primary
        .iter()
        .map(|(rule, host, program)| (host.clone(), format!("{}/{program}", rules.rules[*rule].id)))
        .collect();
    assert_eq!(
        marks, expected_marks,
        "the hosts marked as logging a primary form"
    );
    let mut plain = Vec::new();
    let mut counted: BTreeMap<usize, u64> = BTreeMap::new();
    for alert in &scanned.alerts {
        let rule = &rules.rules[alert.rule];
        seen.add(&["alert", &rule.id, &shape(&alert.count.min(12).to_string())]);
        let line = &scanned.lines[(alert.line - 1) as usize];
        assert_eq!(&alert.raw, line, "an alert's text is its line");
        for part in [
            Some(&alert.host),
            Some(&alert.program),
            alert.user.as_ref(),
            alert.src_ip.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            assert!(line.contains(part.as_str()), "`{part}` is not in {line:?}");
        }
        assert!(
            TRIGGERS.iter().any(|t| line.contains(t)),
            "an alert on a line the rules do not look for: {line:?}"
        );
        match &rule.threshold {
            None => plain.push(alert.clone()),
            Some(t) => {
                let Some(hit) = hits[(alert.line - 1) as usize]
                    .iter()
                    .find(|h| h.rule == t.rule)
                else {
                    panic!(
                        "a `{}` alert on a line without a `{}` hit",
                        rule.id, rules.rules[t.rule].id
                    )
                };
                assert!(
                    alert.count >= u64::from(t.count),
                    "a burst of {}",
                    alert.count
                );
                // A burst names what it groups by, and nothing of the one attempt that
                // completed it.
                let (user, src_ip) = match t.by {
                    Field::SrcIp => (None, hit.src_ip.clone()),
                    Field::User => (hit.user.clone(), None),
                    Field::Host => (None, None),
                };
                assert_eq!(
                    (&alert.user, &alert.src_ip),
                    (&user, &src_ip),
                    "a burst's fields"
                );
                assert!(t.by == Field::Host || user.is_some() || src_ip.is_some());
                *counted.entry(t.rule).or_default() += alert.count;
            }
        }
    }
    seen.add(&["alerts", &scanned.alerts.len().min(5).to_string()]);
    seen.add(&[
        "lines",
        &(scanned.lines.len() + 1).min(64).ilog2().to_string(),
    ]);
    plain.sort();
    expected.sort();
    assert_eq!(
        plain, expected,
        "the alerts of the plain rules, and the hits of each line"
    );
    for (rule, total) in counted {
        let attempts: u64 = hits
            .iter()
            .flatten()
            .filter(|h| h.rule == rule)
            .map(|h| u64::from(h.count))
            .sum();
        assert!(
            total <= attempts,
            "bursts count {total} attempts of {attempts}"
        );
    }
    seen
}
