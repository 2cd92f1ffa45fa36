//! The performance model (PERF-1): request logs rolled up per day and tenant / service / env
//! with exact latency distributions (to the microsecond), baselines, and budgets checked in
//! a `warn` phase (report, exit 0) or a `gate` phase (exit 3). See
//! `docs/adr/0001-performance-and-cost-budgets.md`.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::audit::{self, NewEvent};
use crate::config::{Budget, Phase};
use crate::context::Context;
use crate::model::Diagnostic;
use crate::model::ids::{TenantId, dns_label_problem};
use crate::store::{Baseline, Distribution, PerfKey};
use crate::tenant::authz::{self, Action};
use crate::tenant::users;

/// A performance command found nothing to work on.
#[derive(Debug, thiserror::Error)]
pub enum PerfError {
    #[error("no request data{}", .0.as_ref().map(|w| format!(" between {w}")).unwrap_or_default())]
    NoData(Option<String>),
}

impl Diagnostic for PerfError {
    fn help(&self) -> Option<String> {
        Some("ingest request logs first: maestro-cli perf:ingest requests.jsonl".into())
    }
}

/// One request, as a JSON line (`latency_ms` a number) or a CSV row.
#[derive(Debug, Deserialize)]
struct JsonRequest {
    ts: String,
    tenant: String,
    service: String,
    env: String,
    latency_ms: serde_json::Number,
    status: u16,
}

#[derive(Debug, Deserialize)]
struct Request {
    ts: String,
    tenant: String,
    service: String,
    env: String,
    latency_ms: String,
    status: u16,
}

impl From<JsonRequest> for Request {
    fn from(j: JsonRequest) -> Request {
        Request {
            ts: j.ts,
            tenant: j.tenant,
            service: j.service,
            env: j.env,
            latency_ms: j.latency_ms.to_string(),
            status: j.status,
        }
    }
}

/// Milliseconds (a decimal) → whole microseconds, rounding half up past the third decimal.
fn micros(ms: &str) -> Result<u64, String> {
    let bad = || format!("latency_ms `{ms}` is not a non-negative number of milliseconds");
    let (int, frac) = ms.split_once('.').unwrap_or((ms, ""));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: u64 = int.parse().map_err(|_| bad())?;
    let mut digits: Vec<u8> = frac.bytes().map(|b| b - b'0').collect();
    digits.resize(digits.len().max(4), 0);
    let us = u64::from(digits[0]) * 100 + u64::from(digits[1]) * 10 + u64::from(digits[2]);
    let round = u64::from(digits[3] >= 5);
    whole
        .checked_mul(1000)
        .and_then(|w| w.checked_add(us + round))
        .ok_or_else(bad)
}

/// The nearest-rank percentile `p` (0 < p ≤ 100) of a sorted (value, count) distribution:
/// the smallest value with at least ⌈p·N/100⌉ requests at or below it.
pub fn percentile(latencies: &[(u64, u64)], p: u64) -> Option<u64> {
    let n: u64 = latencies.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    let rank = (p * n).div_ceil(100).max(1);
    let mut seen = 0;
    for (value, c) in latencies {
        seen += c;
        if seen >= rank {
            return Some(*value);
        }
    }
    latencies.last().map(|(v, _)| *v)
}

#[derive(Default)]
struct Day {
    requests: u64,
    errors: u64,
    latencies: HashMap<u64, u64>,
}

/// What `perf:ingest` did.
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    pub file: String,
    pub already_ingested: bool,
    pub rows: u64,
    pub skipped: u64,
    pub skipped_rows: Vec<crate::cost::Skipped>,
    /// Days × tenant × service × env found.
    pub groups: u64,
}

/// What one pass adds up to, per day and tenant / service / env.
#[derive(Default)]
struct Pass {
    days: BTreeMap<(String, PerfKey), Day>,
    rows: u64,
    skipped: Vec<crate::cost::Skipped>,
}

impl Pass {
    /// Takes one parsed line (or what is wrong with it).
    fn take(
        &mut self,
        line: u64,
        parsed: Result<Request, String>,
        skip_bad: bool,
        path: &str,
    ) -> Result<(), crate::input::InputError> {
        self.rows += 1;
        let checked = parsed.and_then(|r| {
            if let Some(problem) = dns_label_problem(&r.tenant) {
                return Err(format!("tenant `{}`: {problem}", r.tenant));
            }
            let at: jiff::Timestamp =
                r.ts.parse()
                    .map_err(|_| format!("ts `{}` is not an RFC 3339 instant", r.ts))?;
            let us = micros(&r.latency_ms)?;
            Ok((at, us, r))
        });
        let (at, us, r) = match checked {
            Ok(ok) => ok,
            Err(problem) if skip_bad => {
                self.skipped.push(crate::cost::Skipped { line, problem });
                return Ok(());
            }
            Err(detail) => {
                return Err(crate::input::InputError::Row {
                    path: path.to_string(),
                    line,
                    detail,
                });
            }
        };
        let day = at
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()
            .to_string();
        let key = PerfKey {
            tenant_id: r.tenant,
            service: r.service,
            env: r.env,
        };
        let d = self.days.entry((day, key)).or_default();
        d.requests += 1;
        d.errors += u64::from(r.status >= 500);
        *d.latencies.entry(us).or_default() += 1;
        Ok(())
    }
}

/// Reads JSON lines, or CSV (with a header naming `ts,tenant,service,env,latency_ms,status`)
/// when the file name ends in `.csv` (before any `.gz`).
fn read_requests(
    reader: Box<dyn Read + Send + '_>,
    path: &Path,
    shown: &str,
    skip_bad: bool,
) -> Result<Pass, crate::input::InputError> {
    let mut pass = Pass::default();
    let name = path.to_string_lossy();
    if name.trim_end_matches(".gz").ends_with(".csv") {
        let mut csv = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(reader);
        let headers = csv.headers().map_err(|e| crate::input::InputError::File {
            path: shown.to_string(),
            detail: format!("cannot read the header: {e}"),
        })?;
        for needed in ["ts", "tenant", "service", "env", "latency_ms", "status"] {
            if !headers.iter().any(|h| h == needed) {
                return Err(crate::input::InputError::File {
                    path: shown.to_string(),
                    detail: format!("the CSV header has no `{needed}` column"),
                });
            }
        }
        let mut rows = csv.deserialize::<Request>();
        loop {
            let line = rows.reader().position().line();
            let Some(row) = rows.next() else { break };
            let parsed = row.map_err(|e| match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => format!("not a request: {err}"),
                _ => format!("not a request: {e}"),
            });
            pass.take(line, parsed, skip_bad, shown)?;
        }
    } else {
        for (i, line) in BufReader::new(reader).lines().enumerate() {
            let number = i as u64 + 1;
            let line = line.map_err(|e| crate::input::InputError::Row {
                path: shown.to_string(),
                line: number,
                detail: format!("cannot read: {e}"),
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let parsed = serde_json::from_str::<JsonRequest>(&line)
                .map(Request::from)
                .map_err(|e| format!("not a request: {e}"));
            pass.take(number, parsed, skip_bad, shown)?;
        }
    }
    Ok(pass)
}

/// Ingests request logs: one streaming pass, then one transaction; a file is ingested once
/// (by sha256). Each request counts toward its UTC day.
pub fn ingest(
    ctx: &mut Context,
    path: &Path,
    skip_bad: bool,
    progress: Option<indicatif::ProgressBar>,
) -> anyhow::Result<IngestReport> {
    let actor = users::check(ctx, Action::PerfIngest, None)?;
    let shown = path.display().to_string();
    let file_err = |detail: String| crate::input::InputError::File {
        path: shown.clone(),
        detail,
    };
    let mut raw = crate::input::open(path)
        .map_err(|e| file_err(e.to_string()))?
        .with_progress(progress);
    let pass = read_requests(crate::input::text(path, &mut raw), path, &shown, skip_bad);
    let sha256 = raw.finish().map_err(|e| file_err(e.to_string()))?;
    // A file ingested before (say with --skip-bad) is not an error the second time.
    let pass = match pass {
        Err(_) if ctx.store.read().perf().file_seen(&sha256)? => Pass::default(),
        other => other?,
    };
    let mut report = IngestReport {
        file: shown.clone(),
        already_ingested: false,
        rows: pass.rows,
        skipped: pass.skipped.len() as u64,
        skipped_rows: pass.skipped,
        groups: pass.days.len() as u64,
    };
    let days = pass.days;
    let clock = ctx.clock;
    let now = clock.now_rfc3339();
    let (rows_read, skipped) = (report.rows, report.skipped);
    let already = ctx.store.write(|db| -> anyhow::Result<bool> {
        let rows = db.perf();
        if rows.file_seen(&sha256)? {
            return Ok(true);
        }
        authz::authorize(db, &clock, &actor, Action::PerfIngest, None)?;
        for ((day, key), d) in &days {
            rows.add_daily(day, key, d.requests, d.errors)?;
            let mut latencies: Vec<(&u64, &u64)> = d.latencies.iter().collect();
            latencies.sort();
            for (us, n) in latencies {
                rows.add_latency(day, key, *us, *n)?;
            }
        }
        rows.insert_file(&sha256, &shown, rows_read, skipped, &now)?;
        crate::metrics::refresh(db, &clock, days.keys().map(|(_, k)| k.tenant_id.as_str()))?;
        audit::append(
            db,
            &clock,
            NewEvent {
                actor: actor.clone(),
                tenant_id: None,
                action: "perf.ingest",
                target: shown.clone(),
                details: serde_json::json!({
                    "sha256": sha256, "rows": rows_read, "skipped": skipped,
                    "groups": days.len(),
                }),
            },
        )?;
        Ok(false)
    })?;
    if already {
        report.already_ingested = true;
        report.skipped_rows.clear();
    }
    Ok(report)
}

/// A group's measured figures.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub tenant_id: String,
    pub service: String,
    pub env: String,
    pub requests: u64,
    pub errors: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// 5xx share of requests, in percent.
    pub error_rate_pct: f64,
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

fn stats(key: &PerfKey, d: &Distribution) -> Stats {
    let p = |q| percentile(&d.latencies, q).map_or(0.0, ms);
    Stats {
        tenant_id: key.tenant_id.clone(),
        service: key.service.clone(),
        env: key.env.clone(),
        requests: d.requests,
        errors: d.errors,
        p50_ms: p(50),
        p95_ms: p(95),
        p99_ms: p(99),
        error_rate_pct: if d.requests == 0 {
            0.0
        } else {
            d.errors as f64 * 100.0 / d.requests as f64
        },
    }
}

fn check_day(what: &'static str, value: &str) -> Result<(), crate::input::InputError> {
    value
        .parse::<jiff::civil::Date>()
        .map(|_| ())
        .map_err(|_| crate::input::InputError::BadDate {
            what,
            value: value.to_string(),
        })
}

/// `perf:baseline set`: measures each tenant / service / env over `from..=to` and keeps it as
/// the baseline later windows are compared with.
pub fn set_baseline(
    ctx: &mut Context,
    from: &str,
    to: &str,
    tenant: Option<&str>,
) -> anyhow::Result<Vec<Stats>> {
    check_day("--from", from)?;
    check_day("--to", to)?;
    let tenant = tenant.map(TenantId::parse).transpose()?;
    let actor = users::check(ctx, Action::PerfBaseline, tenant.as_ref())?;
    let scope = tenant.clone().map(|t| vec![t]);
    let found = ctx.store.read().perf().distributions(from, to, &scope)?;
    if found.is_empty() {
        return Err(PerfError::NoData(Some(format!("{from} and {to}"))).into());
    }
    let clock = ctx.clock;
    let now = clock.now_rfc3339();
    ctx.store.write(|db| -> anyhow::Result<Vec<Stats>> {
        authz::authorize(db, &clock, &actor, Action::PerfBaseline, tenant.as_ref())?;
        let mut out = Vec::new();
        for (key, d) in &found {
            let p = |q| percentile(&d.latencies, q).unwrap_or(0);
            db.perf().set_baseline(
                key,
                &Baseline {
                    from: from.to_string(),
                    to: to.to_string(),
                    requests: d.requests,
                    errors: d.errors,
                    p50_us: p(50),
                    p95_us: p(95),
                    p99_us: p(99),
                    set_at: now.clone(),
                },
            )?;
            out.push(stats(key, d));
        }
        audit::append(
            db,
            &clock,
            NewEvent {
                actor: actor.clone(),
                tenant_id: tenant.clone(),
                action: "perf.baseline",
                target: format!("{from}..{to}"),
                details: serde_json::json!({ "groups": out.len() }),
            },
        )?;
        Ok(out)
    })
}

/// One breach of a budget or a regression against the baseline.
#[derive(Debug, Clone, Serialize)]
pub struct Breach {
    pub tenant_id: String,
    pub service: String,
    pub env: String,
    /// `p50`, `p95` or `error_rate`.
    pub metric: &'static str,
    /// `budget` or `baseline`.
    pub against: &'static str,
    pub value: f64,
    pub limit: f64,
    /// `ms` or `%`.
    pub unit: &'static str,
}

impl Breach {
    pub fn describe(&self) -> String {
        format!(
            "{}/{}/{}: {} {:.3}{} over the {} limit {:.3}{}",
            self.tenant_id,
            self.service,
            self.env,
            self.metric,
            self.value,
            self.unit,
            self.against,
            self.limit,
            self.unit
        )
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub phase: Phase,
    pub from: String,
    pub to: String,
    pub groups: Vec<Stats>,
    pub breaches: Vec<Breach>,
}

pub struct CheckOptions {
    pub phase: Phase,
    pub from: Option<String>,
    pub to: Option<String>,
    pub tenant: Option<String>,
    pub budgets: BTreeMap<String, Budget>,
    pub regression_pct: f64,
    pub error_regression_pp: f64,
}

/// `perf:check`: the window (default: the last day with data) against the per-service
/// budgets and the baselines.
pub fn check(ctx: &mut Context, o: &CheckOptions) -> anyhow::Result<CheckReport> {
    let tenants = users::read_scope(ctx, Action::PerfRead, o.tenant.as_deref())?;
    let db = ctx.store.read();
    let (from, to) = match (&o.from, &o.to) {
        (Some(f), Some(t)) => (f.clone(), t.clone()),
        (Some(f), None) => (f.clone(), f.clone()),
        (None, Some(t)) => (t.clone(), t.clone()),
        (None, None) => {
            let last = db
                .perf()
                .last_day(&tenants)?
                .ok_or(PerfError::NoData(None))?;
            (last.clone(), last)
        }
    };
    check_day("--from", &from)?;
    check_day("--to", &to)?;
    let found = db.perf().distributions(&from, &to, &tenants)?;
    if found.is_empty() {
        return Err(PerfError::NoData(Some(format!("{from} and {to}"))).into());
    }
    let baselines: HashMap<PerfKey, Baseline> =
        db.perf().baselines(&tenants)?.into_iter().collect();
    let mut groups = Vec::new();
    let mut breaches = Vec::new();
    for (key, d) in &found {
        let s = stats(key, d);
        let mut breach = |metric, against, value: f64, limit: f64, unit| {
            if value > limit {
                breaches.push(Breach {
                    tenant_id: key.tenant_id.clone(),
                    service: key.service.clone(),
                    env: key.env.clone(),
                    metric,
                    against,
                    value,
                    limit,
                    unit,
                });
            }
        };
        if let Some(b) = o.budgets.get(&key.service) {
            if let Some(limit) = b.p50_ms {
                breach("p50", "budget", s.p50_ms, limit, "ms");
            }
            if let Some(limit) = b.p95_ms {
                breach("p95", "budget", s.p95_ms, limit, "ms");
            }
            if let Some(limit) = b.error_rate_pct {
                breach("error_rate", "budget", s.error_rate_pct, limit, "%");
            }
        }
        if let Some(base) = baselines.get(key) {
            let grow = 1.0 + o.regression_pct / 100.0;
            breach("p50", "baseline", s.p50_ms, ms(base.p50_us) * grow, "ms");
            breach("p95", "baseline", s.p95_ms, ms(base.p95_us) * grow, "ms");
            let base_rate = if base.requests == 0 {
                0.0
            } else {
                base.errors as f64 * 100.0 / base.requests as f64
            };
            breach(
                "error_rate",
                "baseline",
                s.error_rate_pct,
                base_rate + o.error_regression_pp,
                "%",
            );
        }
        groups.push(s);
    }
    Ok(CheckReport {
        phase: o.phase,
        from,
        to,
        groups,
        breaches,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        // 1..=100 ms, one request each.
        let d: Vec<(u64, u64)> = (1..=100).map(|v| (v * 1000, 1)).collect();
        assert_eq!(percentile(&d, 50), Some(50_000));
        assert_eq!(percentile(&d, 95), Some(95_000));
        assert_eq!(percentile(&d, 99), Some(99_000));
        assert_eq!(percentile(&[(7, 3)], 95), Some(7));
        assert_eq!(percentile(&[], 95), None);
        // 19 fast, 1 slow: p95 is the 19th request.
        assert_eq!(percentile(&[(10, 19), (900, 1)], 95), Some(10));
        assert_eq!(percentile(&[(10, 18), (900, 2)], 95), Some(900));
    }

    #[test]
    fn milliseconds_to_microseconds() {
        assert_eq!(micros("12.5"), Ok(12_500));
        assert_eq!(micros("0.0004"), Ok(0));
        assert_eq!(micros("0.0005"), Ok(1));
        assert_eq!(micros("3"), Ok(3_000));
        assert!(micros("-1").is_err());
        assert!(micros("1e3").is_err());
    }
}
