//! Request logs read: JSON lines or CSV, each request checked and counted toward its UTC day
//! and tenant / service / env, with its latency to the microsecond.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::Deserialize;

use crate::ingest::Skipped;
use crate::input::InputError;
use crate::model::ids::dns_label_problem;
use crate::store::PerfKey;

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

#[derive(Default)]
pub(super) struct Day {
    pub(super) requests: u64,
    pub(super) errors: u64,
    pub(super) latencies: HashMap<u64, u64>,
}

/// What one pass adds up to, per day and tenant / service / env.
#[derive(Default)]
pub(super) struct Pass {
    pub(super) days: BTreeMap<(String, PerfKey), Day>,
    pub(super) rows: u64,
    pub(super) skipped: Vec<Skipped>,
}

impl Pass {
    /// Takes one parsed line (or what is wrong with it).
    fn take(
        &mut self,
        line: u64,
        parsed: Result<Request, String>,
        skip_bad: bool,
        path: &str,
    ) -> Result<(), InputError> {
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
                self.skipped.push(Skipped { line, problem });
                return Ok(());
            }
            Err(detail) => {
                return Err(InputError::Row {
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
pub(super) fn read_requests(
    reader: Box<dyn Read + Send + '_>,
    path: &Path,
    shown: &str,
    skip_bad: bool,
) -> Result<Pass, InputError> {
    let mut pass = Pass::default();
    let name = path.to_string_lossy();
    if name.trim_end_matches(".gz").ends_with(".csv") {
        let mut csv = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(reader);
        let headers = csv.headers().map_err(|e| InputError::File {
            path: shown.to_string(),
            detail: format!("cannot read the header: {e}"),
        })?;
        for needed in ["ts", "tenant", "service", "env", "latency_ms", "status"] {
            if !headers.iter().any(|h| h == needed) {
                return Err(InputError::File {
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
            let line = line.map_err(|e| InputError::Row {
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

#[cfg(test)]
mod tests {
    use super::*;

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
