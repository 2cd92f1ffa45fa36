//! Detection over a file's lines: each line's rule hits become events, `threshold` rules count
//! them in sliding windows, and PAM fallback lines wait until their host is known to log the
//! primary form (or the file ends).

use std::collections::{HashMap, HashSet, VecDeque};

use jiff::civil::DateTime;

use super::read::{YearRule, parse_header};
use crate::signals::detect::{Field, Hit, Rules};

/// A detection, before it becomes an alert.
#[derive(Debug, Clone)]
pub(super) struct Event {
    pub(super) rule: usize,
    pub(super) line: u64,
    pub(super) at: DateTime,
    pub(super) host: String,
    pub(super) program: String,
    pub(super) pid: Option<i64>,
    pub(super) user: Option<String>,
    pub(super) src_ip: Option<String>,
    pub(super) count: u32,
    pub(super) raw: String,
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

pub(super) struct Scanner<'r> {
    rules: &'r Rules,
    /// For each rule, the threshold rules that count its events.
    dependents: Vec<Vec<usize>>,
    marked: HashSet<(String, String)>,
    pub(super) new_marks: Vec<(String, String)>,
    pending: Vec<Event>,
    windows: HashMap<(usize, String, String), Window>,
    events: Vec<Event>,
    /// Alerts as (rule, event, count).
    pub(super) alerts: Vec<(usize, Event, u64)>,
    hits: Vec<Hit>,
    pub(super) unparsed: u64,
}

impl<'r> Scanner<'r> {
    pub(super) fn new(rules: &'r Rules, marked: HashSet<(String, String)>) -> Scanner<'r> {
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

    pub(super) fn line(&mut self, number: u64, raw: &str, year: YearRule) {
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
    pub(super) fn finish(&mut self) {
        self.events = std::mem::take(&mut self.pending);
        self.flush_events();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
