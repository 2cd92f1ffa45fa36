//! `cost:ingest`: a billing file read once ([`super::focus`]), added up ([`super::rollup`]),
//! and stored in one transaction with its audit event, through the once-only path of
//! [`crate::ingest`].

use std::path::Path;

use serde::Serialize;

use super::focus::{self, Format};
use crate::authz::Action;
use crate::context::Context;
use crate::ingest::{Kind, Skipped};
use crate::model::money::Money;
use crate::store::FileCounts;

/// A billing file, ingested once; seen again, its stored counts are reported.
const COST: Kind<FileCounts> = Kind {
    action: Action::CostIngest,
    event: "cost.ingest",
    before: |db, d| db.cost().file(&d.raw, d.content.as_deref()),
};

/// What `cost:ingest` did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
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
    progress: crate::model::progress::Sink,
) -> anyhow::Result<IngestReport> {
    let (file, (mut totals, skipped_rows)) =
        COST.read(ctx, path, progress, |ctx, text, shown| {
            focus::read(format, text, shown, &ctx.config.cost, skip_bad)
        })?;
    let mut report = IngestReport {
        file: file.shown.clone(),
        sha256: file.sha256.clone(),
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
    let tenants = totals.tenants();
    let sums = totals.sums_by_period();
    let drivers = totals.drivers_by_period();
    let c = &totals.counts;
    let details = serde_json::json!({
        "sha256": file.sha256,
        "rows": c.rows,
        "allocated": c.allocated,
        "unallocated": c.unallocated,
        "skipped": c.skipped,
        "billed": c.billed.to_string(),
        "effective": c.effective.to_string(),
    });
    let tenants = tenants.iter().map(String::as_str);
    let stored = file.record(ctx, tenants, details, |db, now| {
        let rows = db.cost();
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
        rows.insert_file(file.digests.keys(), &file.shown, c, now)?;
        Ok(())
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
