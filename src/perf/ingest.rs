//! `perf:ingest`: a request log read once ([`super::requests`]) and stored in one
//! transaction with its audit event, through the once-only path of [`crate::ingest`].

use std::path::Path;

use serde::Serialize;

use super::requests::read_requests;
use crate::authz::Action;
use crate::context::Context;
use crate::ingest::{Kind, Skipped};

/// A request log, ingested once (the store keeps only that it was).
const PERF: Kind<()> = Kind {
    action: Action::PerfIngest,
    event: "perf.ingest",
    before: |db, d| {
        Ok(db
            .perf()
            .file_seen(&d.raw, d.content.as_deref())?
            .then_some(()))
    },
};

/// What `perf:ingest` did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
    progress: crate::model::progress::Sink,
) -> anyhow::Result<IngestReport> {
    let (file, pass) = PERF.read(ctx, path, progress, |_, text, shown| {
        read_requests(text, path, shown, skip_bad)
    })?;
    let mut report = IngestReport {
        file: file.shown.clone(),
        already_ingested: false,
        rows: pass.rows,
        skipped: pass.skipped.len() as u64,
        skipped_rows: pass.skipped,
        groups: pass.days.len() as u64,
    };
    let days = pass.days;
    let (rows_read, skipped) = (report.rows, report.skipped);
    let details = serde_json::json!({
        "sha256": file.sha256, "rows": rows_read, "skipped": skipped,
        "groups": days.len(),
    });
    let tenants = days.keys().map(|(_, k)| k.tenant_id.as_str());
    let before = file.record(ctx, tenants, details, |db, now| {
        let rows = db.perf();
        for ((day, key), d) in &days {
            rows.add_daily(day, key, d.requests, d.errors)?;
            let mut latencies: Vec<(&u64, &u64)> = d.latencies.iter().collect();
            latencies.sort();
            for (us, n) in latencies {
                rows.add_latency(day, key, *us, *n)?;
            }
        }
        rows.insert_file(file.digests.keys(), &file.shown, rows_read, skipped, now)?;
        Ok(())
    })?;
    if before.is_some() {
        report.already_ingested = true;
        report.skipped_rows.clear();
    }
    Ok(report)
}
