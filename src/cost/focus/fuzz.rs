//! The FOCUS readers as the fuzz targets see them (`crate::fuzzing::focus`, feature
//! `fuzzing`): a whole file read in one chunk or in chunks of a given size, and what it added
//! up to as plain values, so that two reads can be compared.

use super::{Format, csv, read};
use crate::config::CostConfig;
use crate::ingest::Skipped;
use crate::input::InputError;
use crate::model::money::Money;
use crate::store::{DailyKey, DriverKey, FileCounts, Sums};

/// The columns the readers take, in the order `take_row` gets them.
pub const COLUMNS: &[&str] = super::COLUMNS;

/// How many of [`COLUMNS`], from the first, a file must have.
pub const REQUIRED: usize = super::REQUIRED;

/// Everything one read added up to, with its keys as text, each list sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub counts: FileCounts,
    pub daily: Vec<(DailyKey, Sums)>,
    pub monthly: Vec<(DailyKey, Sums)>,
    pub drivers_daily: Vec<(DriverKey, Money)>,
    pub drivers_monthly: Vec<(DriverKey, Money)>,
    /// The rows left out (`--skip-bad`): line and problem.
    pub skipped: Vec<(u64, String)>,
}

/// Reads `bytes` as `format`; CSV in chunks of about `chunk` bytes when given (the real
/// reader's chunks are a megabyte: a fuzz input fits in one).
pub fn read_file(
    format: Format,
    bytes: &[u8],
    chunk: Option<usize>,
    config: &CostConfig,
    skip_bad: bool,
) -> Result<Summary, InputError> {
    let text = Box::new(bytes);
    let (mut totals, skipped) = match (format, chunk) {
        (Format::Focus | Format::Csv, Some(size)) => {
            csv::read_rows_in_chunks(text, size, "fuzz.csv", config, skip_bad)?
        }
        _ => read(format, text, "fuzz.csv", config, skip_bad)?,
    };
    let [(_, daily), (_, monthly)] = totals.sums_by_period();
    let [(_, drivers_daily), (_, drivers_monthly)] = totals.drivers_by_period();
    let keyed = |rows: Vec<([u32; 6], Sums)>| {
        rows.iter()
            .map(|(k, s)| (totals.daily_key(k), *s))
            .collect::<Vec<_>>()
    };
    let drivers = |rows: Vec<([u32; 4], Money)>| {
        rows.iter()
            .map(|(k, m)| (totals.driver_key(k), *m))
            .collect::<Vec<_>>()
    };
    Ok(Summary {
        counts: totals.counts.clone(),
        daily: sorted_by_key(keyed(daily)),
        monthly: sorted_by_key(keyed(monthly)),
        drivers_daily: sorted(drivers(drivers_daily)),
        drivers_monthly: sorted(drivers(drivers_monthly)),
        skipped: skipped
            .into_iter()
            .map(|Skipped { line, problem }| (line, problem))
            .collect(),
    })
}

fn sorted(mut rows: Vec<(DriverKey, Money)>) -> Vec<(DriverKey, Money)> {
    rows.sort();
    rows
}

/// `Sums` has no order: the keys are unique, so they alone sort the list.
fn sorted_by_key(mut rows: Vec<(DailyKey, Sums)>) -> Vec<(DailyKey, Sums)> {
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}
