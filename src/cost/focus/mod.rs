//! The FOCUS readers: a billing file's rows, in FinOps FOCUS 1.0 columns, checked and added
//! up into [`Totals`]. CSV ([`csv`], cut into chunks by [`chunk`] and parsed on both cores)
//! and JSON lines ([`jsonl`]) meet in [`take_row`], so both check a row the same way.

mod chunk;
mod csv;
#[cfg(feature = "fuzzing")]
pub(crate) mod fuzz;
mod jsonl;
mod quotes;
#[cfg(test)]
mod tests;

use std::io::Read;

use crate::config::CostConfig;
use crate::cost::rollup::{Row, Totals, text_of};
use crate::ingest::Skipped;
use crate::input::InputError;
use crate::model::money::Money;

/// The FOCUS columns ingest reads: the first [`REQUIRED`] must be in the header; the others
/// are read when they are (`ChargeCategory`: without it every row is a charge).
const COLUMNS: &[&str] = &[
    "BilledCost",
    "EffectiveCost",
    "ChargePeriodStart",
    "BillingCurrency",
    "ProviderName",
    "RegionId",
    "ServiceName",
    "ResourceId",
    "ConsumedQuantity",
    "ConsumedUnit",
    "Tags",
    "ChargeCategory",
];

/// How many of [`COLUMNS`], from the first, a file must have.
const REQUIRED: usize = 11;

/// The input format of `cost:ingest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// FinOps FOCUS 1.0 CSV
    #[default]
    Focus,
    /// A CSV with the FOCUS columns (the same reader as `focus`)
    Csv,
    /// One JSON object per line, keyed by FOCUS column names
    Jsonl,
}

/// Reads the decompressed text of a file in `format`: its totals and the rows left out.
pub(super) fn read(
    format: Format,
    text: Box<dyn Read + Send + '_>,
    shown: &str,
    config: &CostConfig,
    skip_bad: bool,
) -> Result<(Totals, Vec<Skipped>), InputError> {
    match format {
        Format::Focus | Format::Csv => csv::read_rows(text, shown, config, skip_bad),
        Format::Jsonl => jsonl::read_json_lines(text, shown, config, skip_bad),
    }
}

/// The columns `COLUMNS` names, in that order.
const BILLED: usize = 0;
const EFFECTIVE: usize = 1;
const START: usize = 2;
const CURRENCY: usize = 3;
const PROVIDER: usize = 4;
const REGION: usize = 5;
const SERVICE: usize = 6;
const RESOURCE: usize = 7;
const QUANTITY: usize = 8;
const UNIT: usize = 9;
const TAGS: usize = 10;
const CATEGORY: usize = 11;

/// Parses one data row (its `COLUMNS`, in that order; an optional one the file lacks is
/// empty) and adds it to `totals`, or says what is wrong with it.
fn take_row(
    fields: [&[u8]; COLUMNS.len()],
    config: &CostConfig,
    totals: &mut Totals,
) -> Result<(), String> {
    let nullable = |c: usize| Some(fields[c]).filter(|v| !v.is_empty() && *v != b"NULL");
    let number = |c: usize| -> Result<Money, String> {
        let v = String::from_utf8_lossy(fields[c]);
        Money::parse(&v).map_err(|e| format!("{} `{v}`: {e}", COLUMNS[c]))
    };
    let billed = number(BILLED)?;
    let effective = number(EFFECTIVE)?;
    let start = fields[START];
    let day = start
        .get(..10)
        // Rows come in runs of the same day: parse a day once.
        .filter(|d| {
            totals.last_day.as_deref() == Some(*d)
                || std::str::from_utf8(d).is_ok_and(|d| d.parse::<jiff::civil::Date>().is_ok())
        })
        .ok_or_else(|| {
            format!(
                "ChargePeriodStart `{}` is not a date-time",
                String::from_utf8_lossy(start)
            )
        })?;
    if totals.last_day.as_deref() != Some(day) {
        totals.last_day = Some(day.into());
    }
    let requests = match (nullable(UNIT), nullable(QUANTITY)) {
        (Some(unit), Some(_)) if unit.windows(7).any(|w| w.eq_ignore_ascii_case(b"request")) => {
            Some(number(QUANTITY)?)
        }
        _ => None,
    };
    let currency = fields[CURRENCY];
    match &totals.counts.currency {
        Some(c) if c.as_bytes() != currency => {
            return Err(format!(
                "BillingCurrency `{}` differs from the file's `{c}`: one currency per file",
                String::from_utf8_lossy(currency)
            ));
        }
        _ => {}
    }
    let who = totals.attribute(config, fields[TAGS])?;
    if totals.counts.currency.is_none() {
        totals.counts.currency = Some(text_of(currency));
    }
    totals.add(&Row {
        day,
        who,
        region: nullable(REGION).unwrap_or(b"-"),
        provider: fields[PROVIDER],
        service_name: nullable(SERVICE).unwrap_or(b"-"),
        resource_id: nullable(RESOURCE).unwrap_or(b"-"),
        billed,
        effective,
        requests,
        credit: fields[CATEGORY].eq_ignore_ascii_case(b"credit"),
    });
    Ok(())
}
