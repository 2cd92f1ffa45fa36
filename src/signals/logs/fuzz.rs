//! The log scanner as the fuzz targets see it (`crate::fuzzing::auth_log`, feature
//! `fuzzing`): a file's bytes cut into lines and scanned as `file::scan_one` does, without a
//! store (no host is marked yet, no line was scanned before), and one line's header.

use std::collections::HashSet;

use super::read::{YearRule, parse_header};
use super::scanner::Scanner;
use crate::signals::detect::Rules;

/// A parsed syslog header, its parts borrowed from the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    pub at: String,
    pub host: &'a str,
    pub program: &'a str,
    pub pid: Option<i64>,
    pub message: &'a str,
}

/// One alert the scanner raised.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Alert {
    /// Its line, from 1.
    pub line: u64,
    /// An index into the rules.
    pub rule: usize,
    pub at: String,
    pub host: String,
    pub program: String,
    pub pid: Option<i64>,
    pub user: Option<String>,
    pub src_ip: Option<String>,
    pub count: u64,
    pub raw: String,
}

/// What scanning a whole file found.
#[derive(Debug, Clone)]
pub struct Scanned {
    /// The lines as the scanner was given them (lossy UTF-8, line end cut off).
    pub lines: Vec<String>,
    pub unparsed: u64,
    pub alerts: Vec<Alert>,
    /// The (host, rule/program) pairs marked as logging a rule's primary form.
    pub marks: Vec<(String, String)>,
}

/// The header of `line`, year-less timestamps in `year`.
pub fn header(line: &str, year: i16) -> Option<Header<'_>> {
    parse_header(line, YearRule::Fixed(year)).map(|h| Header {
        at: h.at.to_string(),
        host: h.host,
        program: h.program,
        pid: h.pid,
        message: h.message,
    })
}

/// Scans `text` with `rules`, year-less timestamps in `year`: lines cut at `\n`, read as
/// lossy UTF-8, their `\r`/`\n` ends cut off, as `file::scan_one` reads a file.
pub fn scan(rules: &Rules, text: &[u8], year: i16) -> Scanned {
    let mut scanner = Scanner::new(rules, HashSet::new());
    let mut lines = Vec::new();
    for (i, raw) in text.split_inclusive(|&b| b == b'\n').enumerate() {
        let line = String::from_utf8_lossy(raw);
        let line = line.trim_end_matches(['\n', '\r']);
        scanner.line(i as u64 + 1, line, YearRule::Fixed(year));
        lines.push(line.to_string());
    }
    scanner.finish();
    let alerts = scanner
        .alerts
        .iter()
        .map(|(rule, e, count)| Alert {
            line: e.line,
            rule: *rule,
            at: e.at.to_string(),
            host: e.host.clone(),
            program: e.program.clone(),
            pid: e.pid,
            user: e.user.clone(),
            src_ip: e.src_ip.clone(),
            count: *count,
            raw: e.raw.clone(),
        })
        .collect();
    Scanned {
        lines,
        unparsed: scanner.unparsed,
        alerts,
        marks: scanner.new_marks,
    }
}
