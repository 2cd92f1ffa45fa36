//! `perf:ingest`: a request log read once ([`super::requests`]) and stored in one
//! transaction with its audit event.

use std::path::Path;

use serde::Serialize;

use super::requests::{Pass, read_requests};
use crate::audit::{self, NewEvent};
use crate::context::Context;
use crate::ingest::Skipped;
use crate::input::InputError;
use crate::tenant::authz::{self, Action};
use crate::tenant::users;

/// What `perf:ingest` did.
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    pub file: String,
    pub already_ingested: bool,
    pub rows: u64,
    pub skipped: u64,
    pub skipped_rows: Vec<Skipped>,
    /// Days × tenant × service × env found.
    pub groups: u64,
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
    let file_err = |detail: String| InputError::File {
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
