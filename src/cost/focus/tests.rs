//! Property: whatever rows a FOCUS file holds, and however the CSV reader cuts it into chunks,
//! what ingest adds up is exactly the sum of the rows: the file's counts, the daily and
//! monthly rollups, the cost drivers and each tenant's share.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::{COLUMNS, Format, REQUIRED, csv, read};
use crate::config::CostConfig;
use crate::cost::rollup::Totals;
use crate::ingest::Skipped;
use crate::input::InputError;
use crate::model::money::{Money, SCALE};
use crate::store::Sums;

/// A decimal as written in the file, and the value it stands for (built from its digits, not
/// parsed).
#[derive(Debug, Clone)]
struct Amount {
    text: String,
    value: Money,
}

fn amount() -> impl Strategy<Value = Amount> {
    (any::<bool>(), 0i64..2_000_000, "[0-9]{0,12}", any::<bool>()).prop_map(
        |(negative, whole, digits, point)| {
            let scaled: i128 = if digits.is_empty() {
                0
            } else {
                let d: i128 = digits.parse().unwrap();
                d * 10i128.pow(SCALE - digits.len() as u32)
            };
            let sign = if negative { "-" } else { "" };
            let text = if digits.is_empty() && !point {
                format!("{sign}{whole}")
            } else {
                format!("{sign}{whole}.{digits}")
            };
            let value = if negative {
                Money::join(-i128::from(whole), -scaled)
            } else {
                Money::join(i128::from(whole), scaled)
            };
            Amount { text, value }
        },
    )
}

/// Tenant tag values: some name a tenant (valid ids), some do not (the row is unallocated).
const TENANT_VALUES: &[(&str, bool)] = &[
    ("acme", true),
    ("globex-eu", true),
    ("t1", true),
    ("Acme Corp", false),
    ("x_y", false),
    ("", false),
];

/// One generated FOCUS row.
#[derive(Debug, Clone)]
struct FocusRow {
    billed: Amount,
    effective: Amount,
    quantity: Amount,
    unit: &'static str,
    day: u8,
    /// An index into [`TENANT_VALUES`], or none: no `tenant` tag.
    tenant: Option<usize>,
    /// `Tags` as JSON, or `NULL` / empty (no tags).
    tags: String,
    region: &'static str,
    /// Free text with the characters that need quoting in CSV: commas, quotes, newlines.
    service_name: String,
    resource_id: String,
}

impl FocusRow {
    /// The tenant this row is attributed to, if any.
    fn tenant(&self) -> Option<&'static str> {
        self.tenant
            .map(|i| TENANT_VALUES[i])
            .and_then(|(name, valid)| valid.then_some(name))
    }

    fn field(&self, column: &str) -> String {
        match column {
            "BilledCost" => self.billed.text.clone(),
            "EffectiveCost" => self.effective.text.clone(),
            "ChargePeriodStart" => format!(
                "2024-{:02}-{:02} 13:00:00",
                9 + self.day / 30,
                1 + self.day % 30
            ),
            "BillingCurrency" => "USD".into(),
            "ProviderName" => "AWS".into(),
            "RegionId" => self.region.into(),
            "ServiceName" => self.service_name.clone(),
            "ResourceId" => self.resource_id.clone(),
            "ConsumedQuantity" => self.quantity.text.clone(),
            "ConsumedUnit" => self.unit.into(),
            "Tags" => self.tags.clone(),
            other => format!("extra {other}"),
        }
    }
}

fn focus_row() -> impl Strategy<Value = FocusRow> {
    let tags = (
        proptest::option::of(0..TENANT_VALUES.len()),
        proptest::option::of("[a-z]{1,6}"),
        proptest::option::of(prop_oneof![Just("prod"), Just("dev")]),
        prop_oneof![Just("NULL"), Just(""), Just("{}")],
    );
    (
        (amount(), amount(), amount()),
        prop_oneof![Just("Requests"), Just("Hours"), Just("NULL")],
        0u8..60,
        tags,
        prop_oneof![Just("us-west-2"), Just("eu-central-1"), Just("NULL")],
        "[a-zA-Z ,\"\n]{0,12}",
        "[a-z0-9:/,\"\n-]{0,16}",
    )
        .prop_map(
            |(
                (billed, effective, quantity),
                unit,
                day,
                tags,
                region,
                service_name,
                resource_id,
            )| {
                let (tenant, service, env, empty) = tags;
                let mut map = serde_json::Map::new();
                if let Some(t) = tenant {
                    map.insert("tenant".into(), TENANT_VALUES[t].0.into());
                }
                if let Some(s) = service {
                    map.insert("service".into(), s.into());
                }
                if let Some(e) = env {
                    map.insert("env".into(), e.into());
                }
                let tags = if map.is_empty() {
                    empty.to_string()
                } else {
                    map.insert("owner".into(), "finops, \"team\"".into());
                    serde_json::Value::Object(map).to_string()
                };
                FocusRow {
                    billed,
                    effective,
                    quantity,
                    unit,
                    day,
                    tenant,
                    tags,
                    region,
                    service_name,
                    resource_id,
                }
            },
        )
}

/// The header: the required columns and two others, in an order turned by `turn`.
fn columns(turn: usize) -> Vec<&'static str> {
    let mut columns: Vec<&str> = COLUMNS[..REQUIRED].to_vec();
    columns.extend(["AvailabilityZone", "Id"]);
    let n = turn % columns.len();
    columns.rotate_left(n);
    columns
}

/// A CSV field, quoted when it must be or when `always`; `NULL` stays bare, as exports write it.
fn csv_field(text: &str, always: bool) -> String {
    let special = text.contains([',', '"', '\n', '\r']);
    if text != "NULL" && (special || always) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The rows as a FOCUS CSV, with CRLF line ends when `crlf`.
fn to_csv(rows: &[FocusRow], turn: usize, crlf: bool) -> Vec<u8> {
    let columns = columns(turn);
    let end = if crlf { "\r\n" } else { "\n" };
    let mut out = columns
        .iter()
        .map(|c| csv_field(c, true))
        .collect::<Vec<_>>()
        .join(",");
    for (i, row) in rows.iter().enumerate() {
        out.push_str(end);
        let fields: Vec<String> = columns
            .iter()
            .map(|c| csv_field(&row.field(c), i % 2 == 0))
            .collect();
        out.push_str(&fields.join(","));
    }
    out.push_str(end);
    out.into_bytes()
}

/// The rows as JSON lines: amounts as JSON numbers (their exact text) or, on odd rows,
/// strings; `NULL` as `null`; tags as an object or, on odd rows, a string holding one.
fn to_jsonl(rows: &[FocusRow], turn: usize) -> Vec<u8> {
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let odd = i % 2 == 1;
        let fields: Vec<String> = columns(turn)
            .iter()
            .map(|&c| {
                let text = row.field(c);
                let value = match c {
                    _ if text == "NULL" => "null".to_string(),
                    // `5.` is a decimal, not a JSON number.
                    "BilledCost" | "EffectiveCost" | "ConsumedQuantity"
                        if !odd && !text.ends_with('.') =>
                    {
                        text
                    }
                    "Tags" if !odd && text.starts_with('{') => text,
                    _ => serde_json::Value::String(text).to_string(),
                };
                format!("{}:{value}", serde_json::Value::from(c))
            })
            .collect();
        out.push_str(&format!("{{{}}}\n", fields.join(",")));
    }
    out.into_bytes()
}

/// Checks `totals` against the rows it was read from.
fn check(totals: &mut Totals, rows: &[FocusRow]) -> Result<(), TestCaseError> {
    let billed: Money = rows.iter().map(|r| r.billed.value).sum();
    let effective: Money = rows.iter().map(|r| r.effective.value).sum();
    let requests: Money = rows
        .iter()
        .filter(|r| r.unit == "Requests")
        .map(|r| r.quantity.value)
        .sum();
    let mut by_tenant: BTreeMap<Option<&str>, (Money, Money)> = BTreeMap::new();
    for r in rows {
        let sums = by_tenant.entry(r.tenant()).or_default();
        sums.0 += r.billed.value;
        sums.1 += r.effective.value;
    }
    let c = &totals.counts;
    prop_assert_eq!(c.rows, rows.len() as u64);
    prop_assert_eq!(c.allocated + c.unallocated, rows.len() as u64);
    let unallocated = rows.iter().filter(|r| r.tenant().is_none()).count();
    prop_assert_eq!(c.unallocated, unallocated as u64);
    prop_assert_eq!(c.skipped, 0);
    prop_assert_eq!(c.billed, billed);
    prop_assert_eq!(c.effective, effective);
    let rollups = totals.sums_by_period();
    for (grain, sums) in &rollups {
        let total = |f: fn(&Sums) -> Money| -> Money { sums.iter().map(|(_, s)| f(s)).sum() };
        prop_assert_eq!(total(|s| s.billed), billed, "{:?}", grain);
        prop_assert_eq!(total(|s| s.effective), effective, "{:?}", grain);
        prop_assert_eq!(total(|s| s.requests), requests, "{:?}", grain);
        let counted: u64 = sums.iter().map(|(_, s)| s.rows).sum();
        prop_assert_eq!(counted, rows.len() as u64, "{:?}", grain);
        let mut tenants: BTreeMap<Option<String>, (Money, Money)> = BTreeMap::new();
        for (k, s) in sums {
            let t = tenants.entry(totals.daily_key(k).tenant_id).or_default();
            t.0 += s.billed;
            t.1 += s.effective;
        }
        let expected: BTreeMap<Option<String>, (Money, Money)> = by_tenant
            .iter()
            .map(|(t, v)| (t.map(str::to_string), *v))
            .collect();
        prop_assert_eq!(&tenants, &expected, "{:?}", grain);
    }
    let day_rows = rollups[0].1.len();
    let month_rows = rollups[1].1.len();
    prop_assert!(month_rows <= day_rows && (rows.is_empty() || month_rows > 0));
    for (grain, drivers) in &totals.drivers_by_period() {
        // Each row's effective cost is added once under its service and once under its
        // resource.
        for kind in ["service", "resource"] {
            let total: Money = drivers
                .iter()
                .filter(|(k, _)| totals.driver_key(k).kind == kind)
                .map(|(_, v)| *v)
                .sum();
            prop_assert_eq!(total, effective, "{:?} {}", grain, kind);
        }
    }
    Ok(())
}

/// The totals a reader returned, which must have read every row.
fn read_all(read: Result<(Totals, Vec<Skipped>), InputError>) -> Result<Totals, TestCaseError> {
    let (totals, skipped) = read.map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(skipped.is_empty(), "{:?}", skipped);
    Ok(totals)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The CSV reader, in one chunk and in chunks of a few bytes (so that boundaries fall
    /// inside quoted fields and two threads share the file), adds up to the rows' exact sum.
    #[test]
    fn csv_totals_are_the_sum_of_the_rows(
        rows in proptest::collection::vec(focus_row(), 0..24),
        turn in 0usize..16,
        crlf in any::<bool>(),
        chunk_size in prop_oneof![1usize..48, 48usize..600],
    ) {
        let text = to_csv(&rows, turn, crlf);
        let config = CostConfig::default();
        let whole = read(Format::Focus, Box::new(&text[..]), "t.csv", &config, false);
        check(&mut read_all(whole)?, &rows)?;
        let cut = Box::new(&text[..]);
        let cut = csv::read_rows_in_chunks(cut, chunk_size, "t.csv", &config, false);
        check(&mut read_all(cut)?, &rows)?;
    }

    /// The JSON lines reader adds up to the same exact sum.
    #[test]
    fn jsonl_totals_are_the_sum_of_the_rows(
        rows in proptest::collection::vec(focus_row(), 0..24),
        turn in 0usize..16,
    ) {
        let text = to_jsonl(&rows, turn);
        let config = CostConfig::default();
        let totals = read(Format::Jsonl, Box::new(&text[..]), "t.jsonl", &config, false);
        check(&mut read_all(totals)?, &rows)?;
    }
}
