//! `cost:ingest`: a billing file read once ([`super::focus`]), added up ([`super::rollup`]),
//! and stored in one transaction with its audit event.

use std::path::Path;

use serde::Serialize;

use super::focus::{self, Format};
use crate::audit::{self, NewEvent};
use crate::context::Context;
use crate::ingest::Skipped;
use crate::model::money::Money;
use crate::store::FileCounts;
use crate::tenant::authz::{self, Action};
use crate::tenant::users;

/// What `cost:ingest` did.
#[derive(Debug, Clone, Serialize)]
pub struct IngestReport {
    pub file: String,
    pub sha256: String,
    /// `true` when this file had been ingested before: nothing changed.
    pub already_ingested: bool,
    pub rows: u64,
    pub allocated: u64,
    pub unallocated: u64,
    pub skipped: u64,
    pub skipped_rows: Vec<Skipped>,
    pub billed: Money,
    pub effective: Money,
    pub currency: Option<String>,
}

impl IngestReport {
    fn fill(&mut self, c: &FileCounts) {
        self.rows = c.rows;
        self.allocated = c.allocated;
        self.unallocated = c.unallocated;
        self.skipped = c.skipped;
        self.billed = c.billed;
        self.effective = c.effective;
        self.currency = c.currency.clone();
    }
}

/// Ingests the FOCUS CSV at `path` (`.gz` read as gzip): one streaming pass adds every row
/// to the daily rollups and cost drivers in memory (memory grows with the distinct days ×
/// tenants × services × ..., not with the rows); then one transaction stores them with the
/// file's sha256, unless that file was ingested before. A malformed row stops the ingest with
/// nothing stored, unless `skip_bad`.
pub fn ingest(
    ctx: &mut Context,
    path: &Path,
    format: Format,
    skip_bad: bool,
    progress: Option<indicatif::ProgressBar>,
) -> anyhow::Result<IngestReport> {
    let actor = users::check(ctx, Action::CostIngest, None)?;
    let shown = path.display().to_string();
    let file_err = |detail: String| crate::input::InputError::File {
        path: shown.clone(),
        detail,
    };
    let mut raw = crate::input::open(path)
        .map_err(|e| file_err(e.to_string()))?
        .with_progress(progress);
    let text = crate::input::text(path, &mut raw);
    let read = focus::read(format, text, &shown, &ctx.config.cost, skip_bad);
    let sha256 = raw.finish().map_err(|e| file_err(e.to_string()))?;
    // A file ingested before (say with --skip-bad) is not an error the second time.
    let (mut totals, skipped_rows) = match read {
        Err(_) if ctx.store.read().cost().file(&sha256)?.is_some() => Default::default(),
        other => other?,
    };
    let mut report = IngestReport {
        file: shown.clone(),
        sha256: sha256.clone(),
        already_ingested: false,
        rows: 0,
        allocated: 0,
        unallocated: 0,
        skipped: 0,
        skipped_rows,
        billed: Money::ZERO,
        effective: Money::ZERO,
        currency: None,
    };
    let clock = ctx.clock;
    let now = clock.now_rfc3339();
    let tenants = totals.tenants();
    let sums = totals.sums_by_period();
    let drivers = totals.drivers_by_period();
    let stored = ctx
        .store
        .write(|db| -> anyhow::Result<Option<FileCounts>> {
            let rows = db.cost();
            if let Some(before) = rows.file(&sha256)? {
                return Ok(Some(before));
            }
            authz::authorize(db, &clock, &actor, Action::CostIngest, None)?;
            // Each in primary-key order (`Totals::sums_by_period`).
            for (grain, sums) in &sums {
                rows.add_sums(*grain, sums.iter().map(|(k, v)| (totals.daily_key(k), *v)))?;
            }
            for (grain, drivers) in &drivers {
                rows.add_drivers(
                    *grain,
                    drivers.iter().map(|(k, v)| (totals.driver_key(k), *v)),
                )?;
            }
            let c = &totals.counts;
            rows.insert_file(&sha256, &shown, c, &now)?;
            crate::metrics::refresh(db, &clock, tenants.iter().map(String::as_str))?;
            audit::append(
                db,
                &clock,
                NewEvent {
                    actor: actor.clone(),
                    tenant_id: None,
                    action: "cost.ingest",
                    target: shown.clone(),
                    details: serde_json::json!({
                        "sha256": sha256,
                        "rows": c.rows,
                        "allocated": c.allocated,
                        "unallocated": c.unallocated,
                        "skipped": c.skipped,
                        "billed": c.billed.to_string(),
                        "effective": c.effective.to_string(),
                    }),
                },
            )?;
            Ok(None)
        })?;
    match stored {
        Some(before) => {
            report.already_ingested = true;
            report.skipped_rows.clear();
            report.fill(&before);
        }
        None => report.fill(&totals.counts),
    }
    Ok(report)
}
