//! Scanning one file: skipping what an earlier run of the same file (known by its first line)
//! scanned, running the scanner over the rest, then recording its alerts in one transaction
//! with their outbox rows, the tenants' metrics and the audit event.

use std::collections::HashSet;
use std::io::BufRead;

use sha2::{Digest, Sha256};

use super::read::{YearRule, open_input};
use super::scanner::Scanner;
use super::{ScanOptions, ScanOutcome};
use crate::audit::{self, NewEvent};
use crate::authz::{self, Action};
use crate::context::Context;
use crate::model::ids::TenantId;
use crate::outbox::{self, Queued};
use crate::signals::SignalsError;
use crate::signals::detect::Rules;
use crate::store::AlertRow;

pub(super) fn scan_one(
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
    let actor = crate::authz::actor(ctx)?;
    let (lines, shown) = (number, outcome.file.clone());
    let new_marks = scanner.new_marks;
    let raised = ctx
        .store
        .write(|db| -> Result<Vec<AlertRow>, SignalsError> {
            authz::authorize(&ctx.abac, db, &clock, &actor, Action::SignalsMine, None)?;
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
                    let row = Queued {
                        kind: "alert",
                        tenant_id: alert.tenant_id.as_deref(),
                        key: format!("alert:{source}:{}:{}", alert.line, alert.rule),
                        payload,
                    };
                    outbox::enqueue_at(db, &row, &now)?;
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
