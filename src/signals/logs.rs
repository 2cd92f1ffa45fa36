//! Securiteyes v1: scanning syslog / auth.log files (plain, `.gz`, or stdin) with the detection
//! rules, in one pass and constant memory (but for PAM fallback lines of hosts not yet known
//! to log the primary form, held until the end of the file).
//!
//! A file is known by its first line (sha256), so a rotated file (`auth.log` → `auth.log.1`
//! → `auth.log.2.gz`) keeps its identity; the bytes already scanned are remembered and skipped
//! on the next run. Alerts are unique per (file, line, rule): re-scanning never duplicates.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use jiff::civil::DateTime;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::SignalsError;
use super::detect::{Field, Hit, Rules};
use crate::audit::{self, NewEvent};
use crate::context::Context;
use crate::model::ids::TenantId;
use crate::store::AlertRow;
use crate::tenant::authz::{self, Action};

#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// The year of year-less syslog timestamps; default: from the file's mtime.
    pub year: Option<i16>,
}

/// What scanning one file did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanOutcome {
    pub file: String,
    /// Lines read this run.
    pub lines: u64,
    /// Lines skipped because an earlier run scanned them.
    pub already_scanned: u64,
    /// Lines that are not syslog lines.
    pub unparsed: u64,
    /// Alerts raised this run.
    pub alerts: u64,
    /// The year given to year-less timestamps, and where it came from.
    pub year: Option<i16>,
    pub year_from: Option<String>,
    pub error: Option<String>,
}

/// How year-less (`Jul  7 08:06:15`) timestamps get their year.
#[derive(Debug, Clone, Copy)]
enum YearRule {
    Fixed(i16),
    /// The file was last written in this year and month: later months are last year's.
    EndsIn {
        year: i16,
        month: i8,
    },
}

impl YearRule {
    fn year_for(self, month: i8) -> i16 {
        match self {
            YearRule::Fixed(y) => y,
            YearRule::EndsIn { year, month: end } if month > end => year - 1,
            YearRule::EndsIn { year, .. } => year,
        }
    }
}

/// A parsed syslog line.
#[derive(Debug, PartialEq, Eq)]
struct Header<'a> {
    at: DateTime,
    host: &'a str,
    program: &'a str,
    pid: Option<i64>,
    message: &'a str,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parses `Mon DD HH:MM:SS host tag: message` or `YYYY-MM-DDTHH:MM:SS... host tag: message`.
fn parse_header(line: &str, year: YearRule) -> Option<Header<'_>> {
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

/// A detection, before it becomes an alert.
#[derive(Debug, Clone)]
struct Event {
    rule: usize,
    line: u64,
    at: DateTime,
    host: String,
    program: String,
    pid: Option<i64>,
    user: Option<String>,
    src_ip: Option<String>,
    count: u32,
    raw: String,
}

/// A `threshold` rule's sliding window for one (host, value).
#[derive(Debug, Default)]
struct Window {
    events: VecDeque<(DateTime, u32)>,
    total: u64,
    /// Time of the last failure of the burst that already raised an alert.
    burst_last: Option<DateTime>,
}

impl Window {
    /// Adds `n` failures at `at`; returns the count when this completes a new burst.
    fn feed(
        &mut self,
        at: DateTime,
        n: u32,
        count: u32,
        within: jiff::SignedDuration,
    ) -> Option<u64> {
        if let Some(last) = self.burst_last {
            if last.duration_until(at) <= within {
                self.burst_last = Some(at.max(last));
                return None;
            }
            self.burst_last = None;
        }
        self.events.push_back((at, n));
        self.total += u64::from(n);
        while let Some(&(first, m)) = self.events.front() {
            if first.duration_until(at) > within {
                self.events.pop_front();
                self.total -= u64::from(m);
            } else {
                break;
            }
        }
        if self.total >= u64::from(count) {
            let total = self.total;
            self.events.clear();
            self.total = 0;
            self.burst_last = Some(at);
            return Some(total);
        }
        None
    }
}

/// The key a host is marked with once it logs a rule's primary form: the rule and the
/// program without its `(pam_unix)` suffix.
fn mark_key(rule: &str, program: &str) -> String {
    let base = program.split('(').next().unwrap_or(program);
    format!("{rule}/{base}")
}

struct Scanner<'r> {
    rules: &'r Rules,
    /// For each rule, the threshold rules that count its events.
    dependents: Vec<Vec<usize>>,
    marked: HashSet<(String, String)>,
    new_marks: Vec<(String, String)>,
    pending: Vec<Event>,
    windows: HashMap<(usize, String, String), Window>,
    events: Vec<Event>,
    /// Alerts as (rule, event, count).
    alerts: Vec<(usize, Event, u64)>,
    hits: Vec<Hit>,
    unparsed: u64,
}

impl<'r> Scanner<'r> {
    fn new(rules: &'r Rules, marked: HashSet<(String, String)>) -> Scanner<'r> {
        let mut dependents = vec![Vec::new(); rules.rules.len()];
        for (i, rule) in rules.rules.iter().enumerate() {
            if let Some(t) = &rule.threshold {
                dependents[t.rule].push(i);
            }
        }
        Scanner {
            rules,
            dependents,
            marked,
            new_marks: Vec::new(),
            pending: Vec::new(),
            windows: HashMap::new(),
            events: Vec::new(),
            alerts: Vec::new(),
            hits: Vec::new(),
            unparsed: 0,
        }
    }

    fn line(&mut self, number: u64, raw: &str, year: YearRule) {
        let Some(h) = parse_header(raw, year) else {
            self.unparsed += 1;
            return;
        };
        let mut hits = std::mem::take(&mut self.hits);
        self.rules.hits(h.program, h.message, &mut hits);
        for hit in hits.drain(..) {
            let key = (
                h.host.to_string(),
                mark_key(&self.rules.rules[hit.rule].id, h.program),
            );
            let event = Event {
                rule: hit.rule,
                line: number,
                at: h.at,
                host: h.host.to_string(),
                program: h.program.to_string(),
                pid: h.pid,
                user: hit.user,
                src_ip: hit.src_ip,
                count: hit.count,
                raw: raw.to_string(),
            };
            if hit.fallback {
                if !self.marked.contains(&key) {
                    self.pending.push(event);
                }
                continue;
            }
            if self.marked.insert(key.clone()) {
                let rules = self.rules;
                self.pending.retain(|e| {
                    !(e.host == key.0 && mark_key(&rules.rules[e.rule].id, &e.program) == key.1)
                });
                self.new_marks.push(key);
            }
            self.events.push(event);
            self.flush_events();
        }
        self.hits = hits;
    }

    fn flush_events(&mut self) {
        for event in std::mem::take(&mut self.events) {
            let rule = &self.rules.rules[event.rule];
            for &t in &self.dependents[event.rule] {
                let Some(threshold) = &self.rules.rules[t].threshold else {
                    continue;
                };
                let value = match threshold.by {
                    Field::SrcIp => event.src_ip.clone(),
                    Field::User => event.user.clone(),
                    Field::Host => Some(event.host.clone()),
                };
                let Some(value) = value else { continue };
                let window = self
                    .windows
                    .entry((t, event.host.clone(), value))
                    .or_default();
                if let Some(total) =
                    window.feed(event.at, event.count, threshold.count, threshold.within)
                {
                    // A burst is about its group, not about the one attempt that completed it.
                    let mut burst = event.clone();
                    if threshold.by != Field::User {
                        burst.user = None;
                    }
                    if threshold.by != Field::SrcIp {
                        burst.src_ip = None;
                    }
                    self.alerts.push((t, burst, total));
                }
            }
            if rule.alert {
                let count = u64::from(event.count);
                self.alerts.push((event.rule, event, count));
            }
        }
    }

    /// Ends the file: pending fallback events of hosts never marked are detections after all.
    fn finish(&mut self) {
        self.events = std::mem::take(&mut self.pending);
        self.flush_events();
    }
}

fn open_input(
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

/// Scans every file; a file that fails is reported in its outcome and the others are still
/// scanned. Returns the outcomes and the alerts raised this run.
pub fn scan(
    ctx: &mut Context,
    files: &[String],
    options: &ScanOptions,
) -> anyhow::Result<(Vec<ScanOutcome>, Vec<AlertRow>)> {
    super::authorize_targets(ctx, &[None])?;
    let rules = Rules::built_in()?;
    let mut outcomes = Vec::new();
    let mut raised = Vec::new();
    for file in files {
        let mut outcome = ScanOutcome {
            file: if file == "-" {
                "<stdin>".into()
            } else {
                file.clone()
            },
            ..ScanOutcome::default()
        };
        match scan_one(ctx, &rules, file, options, &mut outcome) {
            Ok(mut alerts) => raised.append(&mut alerts),
            Err(e) => outcome.error = Some(e.to_string()),
        }
        outcomes.push(outcome);
    }
    Ok((outcomes, raised))
}

fn scan_one(
    ctx: &mut Context,
    rules: &Rules,
    file: &str,
    options: &ScanOptions,
    outcome: &mut ScanOutcome,
) -> Result<Vec<AlertRow>, SignalsError> {
    let fail = |detail: String| SignalsError::Log {
        path: outcome.file.clone(),
        detail,
    };
    let (mut reader, mtime) = open_input(file).map_err(|e| fail(e.to_string()))?;
    let (year, from) = match (options.year, mtime) {
        (Some(y), _) => (YearRule::Fixed(y), "--year".to_string()),
        (None, Some(m)) => {
            let date = jiff::Timestamp::try_from(m)
                .map_err(|e| fail(e.to_string()))?
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date();
            (
                YearRule::EndsIn {
                    year: date.year(),
                    month: date.month(),
                },
                format!("the file's mtime ({date}); pass --year to set it"),
            )
        }
        (None, None) => (
            YearRule::Fixed(
                ctx.clock
                    .now()
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .year(),
            ),
            "the clock (stdin has no mtime); pass --year to set it".to_string(),
        ),
    };
    let mut buf = Vec::with_capacity(512);
    let read = |reader: &mut Box<dyn BufRead>, buf: &mut Vec<u8>| {
        buf.clear();
        reader
            .read_until(b'\n', buf)
            .map_err(|e| fail(format!("cannot read: {e}")))
    };
    let first = read(&mut reader, &mut buf)?;
    if first == 0 {
        return Ok(Vec::new());
    }
    let head = crate::model::audit::hex(&Sha256::digest(&buf));
    let known = ctx.store.read().signals().log_source(&head)?;
    let marked: HashSet<(String, String)> = ctx
        .store
        .read()
        .signals()
        .marked_hosts()?
        .into_iter()
        .collect();
    let mut scanner = Scanner::new(rules, marked);
    let (mut offset, mut number) = (0u64, 0u64);
    let mut year_used = false;
    loop {
        let n = if number == 0 {
            first
        } else {
            read(&mut reader, &mut buf)?
        };
        if n == 0 {
            break;
        }
        offset += n as u64;
        number += 1;
        if known.as_ref().is_some_and(|k| offset <= k.offset) {
            outcome.already_scanned += 1;
            continue;
        }
        let text = String::from_utf8_lossy(&buf);
        let line = text.trim_end_matches(['\n', '\r']);
        year_used |= !line.starts_with(|c: char| c.is_ascii_digit());
        scanner.line(number, line, year);
        outcome.lines += 1;
    }
    scanner.finish();
    outcome.unparsed = scanner.unparsed;
    if year_used {
        outcome.year = Some(match year {
            YearRule::Fixed(y) | YearRule::EndsIn { year: y, .. } => y,
        });
        outcome.year_from = Some(from);
    }
    if outcome.lines == 0 {
        return Ok(Vec::new());
    }
    let hosts = &ctx.config.signals.hosts;
    let alerts: Vec<AlertRow> = scanner
        .alerts
        .iter()
        .map(|(rule, e, count)| {
            let rule = &rules.rules[*rule];
            AlertRow {
                rule: rule.id.clone(),
                level: rule.level.as_str().to_string(),
                title: rule.title.clone(),
                at: e.at.to_string(),
                host: e.host.clone(),
                program: e.program.clone(),
                pid: e.pid,
                user: e.user.clone(),
                src_ip: e.src_ip.clone(),
                count: *count as i64,
                tenant_id: hosts.get(&e.host).map(|t| t.get_ref().clone()),
                file: outcome.file.clone(),
                line: e.line as i64,
                raw: e.raw.clone(),
            }
        })
        .collect();
    let clock = ctx.clock;
    let now = clock.now_rfc3339();
    let actor = ctx.actor()?;
    let (lines, shown) = (number, outcome.file.clone());
    let new_marks = scanner.new_marks;
    let raised = ctx
        .store
        .write(|db| -> Result<Vec<AlertRow>, SignalsError> {
            authz::authorize(db, &clock, &actor, Action::SignalsMine, None)?;
            let rows = db.signals();
            let source = rows.save_log_source(&head, &shown, offset, lines, &now)?;
            for (host, key) in &new_marks {
                rows.mark_host(host, key)?;
            }
            let mut raised = Vec::new();
            for alert in alerts {
                if rows.insert_alert(source, &alert)? {
                    // For the SIEM, in this same transaction.
                    let payload = serde_json::to_string(&alert).unwrap_or_default();
                    db.outbox().enqueue(
                        "alert",
                        alert.tenant_id.as_deref(),
                        &format!("alert:{source}:{}:{}", alert.line, alert.rule),
                        &payload,
                        &now,
                    )?;
                    raised.push(alert);
                }
            }
            crate::metrics::refresh(
                db,
                &clock,
                raised.iter().filter_map(|a| a.tenant_id.as_deref()),
            )?;
            audit::append(
                db,
                &clock,
                NewEvent {
                    actor: actor.clone(),
                    tenant_id: None::<TenantId>,
                    action: "signals.scan",
                    target: shown.clone(),
                    details: serde_json::json!({
                        "head": head,
                        "lines": lines,
                        "offset": offset,
                        "alerts": raised.len(),
                    }),
                },
            )?;
            Ok(raised)
        })?;
    outcome.alerts = raised.len() as u64;
    Ok(raised)
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

    #[test]
    fn a_burst_raises_one_alert() {
        let within = jiff::SignedDuration::from_mins(5);
        let t = |m: i8, s: i8| jiff::civil::date(2026, 1, 1).at(10, m, s, 0);
        let mut w = Window::default();
        let mut fired = Vec::new();
        for (i, at) in [
            t(0, 0),
            t(0, 10),
            t(0, 20),
            t(1, 0),
            t(2, 0),
            t(20, 0),
            t(20, 1),
            t(20, 2),
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(c) = w.feed(at, 1, 3, within) {
                fired.push((i, c));
            }
        }
        // Fires at the third failure; the next two extend that burst; after 18 quiet
        // minutes a new burst fires at its third failure.
        assert_eq!(fired, [(2, 3), (7, 3)]);
    }
}
