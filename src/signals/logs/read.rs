//! Reading log files: opening one (plain, `.gz`, or stdin) and parsing the header of a syslog
//! line, with the year that year-less timestamps get.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use jiff::civil::DateTime;

/// How year-less (`Jul  7 08:06:15`) timestamps get their year.
#[derive(Debug, Clone, Copy)]
pub(super) enum YearRule {
    Fixed(i16),
    /// The file was last written in this year and month: later months are last year's.
    EndsIn {
        year: i16,
        month: i8,
    },
}

impl YearRule {
    pub(super) fn year_for(self, month: i8) -> i16 {
        match self {
            YearRule::Fixed(y) => y,
            YearRule::EndsIn { year, month: end } if month > end => year - 1,
            YearRule::EndsIn { year, .. } => year,
        }
    }
}

/// A parsed syslog line.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Header<'a> {
    pub(super) at: DateTime,
    pub(super) host: &'a str,
    pub(super) program: &'a str,
    pub(super) pid: Option<i64>,
    pub(super) message: &'a str,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parses `Mon DD HH:MM:SS host tag: message` or `YYYY-MM-DDTHH:MM:SS... host tag: message`.
pub(super) fn parse_header(line: &str, year: YearRule) -> Option<Header<'_>> {
    let (at, rest) = if line.as_bytes().first()?.is_ascii_digit() {
        let (stamp, rest) = line.split_once(' ')?;
        (stamp.get(..19)?.parse::<DateTime>().ok()?, rest)
    } else {
        let month = MONTHS.iter().position(|m| line.get(..3) == Some(*m))? as i8 + 1;
        let rest = line.get(3..)?.trim_start_matches(' ');
        let (day, rest) = rest.split_once(' ')?;
        let (time, rest) = rest.split_once(' ')?;
        let day: i8 = day.parse().ok()?;
        let time: jiff::civil::Time = time.parse().ok()?;
        let date = jiff::civil::Date::new(year.year_for(month), month, day).ok()?;
        (date.to_datetime(time), rest)
    };
    let (host, rest) = rest.split_once(' ')?;
    let colon = rest.find(':')?;
    let tag = &rest[..colon];
    if tag.is_empty() || tag.contains(' ') {
        return None;
    }
    let message = rest[colon + 1..].trim_start_matches(' ').trim_end();
    let (program, pid) = match tag.strip_suffix(']').and_then(|t| t.rsplit_once('[')) {
        Some((program, pid)) => (program, pid.parse().ok()),
        None => (tag, None),
    };
    Some(Header {
        at,
        host,
        program,
        pid,
        message,
    })
}

/// Opens `file` for reading (`-` is stdin; a `.gz` file is decompressed), with its mtime.
pub(super) fn open_input(
    file: &str,
) -> Result<(Box<dyn BufRead>, Option<std::time::SystemTime>), std::io::Error> {
    const CAPACITY: usize = 256 * 1024;
    if file == "-" {
        return Ok((
            Box::new(BufReader::with_capacity(CAPACITY, std::io::stdin())),
            None,
        ));
    }
    let handle = File::open(file)?;
    let mtime = handle.metadata()?.modified().ok();
    let reader: Box<dyn Read> = if Path::new(file).extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
            CAPACITY, handle,
        )))
    } else {
        Box::new(handle)
    };
    Ok((Box::new(BufReader::with_capacity(CAPACITY, reader)), mtime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_both_timestamp_forms() {
        let year = YearRule::Fixed(2005);
        let h = parse_header(
            "Jul  7 08:06:15 combo login(pam_unix)[2421]: session opened for user root by LOGIN(uid=0) ",
            year,
        )
        .unwrap();
        assert_eq!(h.at.to_string(), "2005-07-07T08:06:15");
        assert_eq!(
            (h.host, h.program, h.pid),
            ("combo", "login(pam_unix)", Some(2421))
        );
        assert_eq!(h.message, "session opened for user root by LOGIN(uid=0)");
        let h = parse_header(
            "2026-11-25T10:00:01.123456+00:00 web1 sshd[9]: Accepted publickey for root from 10.0.0.1 port 22 ssh2",
            year,
        )
        .unwrap();
        assert_eq!(h.at.to_string(), "2026-11-25T10:00:01");
        assert_eq!(h.program, "sshd");
        assert_eq!(
            parse_header("Jun 14 15:16:02 combo last message repeated 2 times", year),
            None
        );
        assert_eq!(parse_header("garbage", year), None);
        let h = parse_header("Jun 14 15:16:02 combo kernel: eth0 up", year).unwrap();
        assert_eq!((h.program, h.pid), ("kernel", None));
    }

    #[test]
    fn year_from_mtime_wraps_back_over_new_year() {
        let rule = YearRule::EndsIn {
            year: 2026,
            month: 1,
        };
        assert_eq!(rule.year_for(12), 2025);
        assert_eq!(rule.year_for(1), 2026);
    }
}
