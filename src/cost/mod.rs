//! Cost: billing data in FinOps FOCUS format, attributed to tenant / service / env from
//! configurable tags, rolled up per day and per month at ingest, and reported with shares
//! and top drivers. Sums are exact fixed-point decimals (`Money`, no `f64` sums).
//!
//! - `focus/`: the readers of a FOCUS file (CSV on both cores, or JSON lines);
//! - `rollup.rs`: attribution from tags, and the daily and monthly totals one pass adds up to;
//! - `ingest.rs`: `cost:ingest`, one streaming pass then one transaction;
//! - `report.rs`: `cost:report`, totals, groups, the unallocated bucket, top cost drivers.

mod focus;
mod ingest;
mod report;
mod rollup;

pub use crate::ingest::Skipped;
pub use focus::Format;
#[cfg(feature = "fuzzing")]
pub(crate) use focus::fuzz as focus_fuzz;
pub use ingest::{IngestReport, ingest};
pub use report::{
    CostReport, Credits, Dimension, Driver, Group, ReportOptions, UNALLOCATED, report,
};
