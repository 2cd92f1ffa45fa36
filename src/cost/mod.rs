//! Cost: billing data in FinOps FOCUS format, attributed to tenant / service / env from
//! configurable tags, rolled up per day at ingest, and reported with shares and top drivers.
//!
//! - [`money`]: exact fixed-point decimals (no `f64` sums);
//! - [`ingest`]: one streaming pass over a FOCUS CSV (or `.gz`), then one transaction;
//! - [`report`]: totals, groups, the unallocated bucket, top cost drivers.

pub mod money;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::audit::{self, NewEvent};
use crate::config::CostConfig;
use crate::context::Context;
use crate::exit::{Diagnostic, ExitStatus};
use crate::ids::dns_label_problem;
use crate::store::{Column, CostFilter, DailyKey, DriverKey, FileCounts, Sums};
use crate::tenant::authz::{self, Action};
use crate::tenant::{TenantError, users};
use money::Money;

#[derive(Debug, thiserror::Error)]
pub enum CostError {
    #[error(transparent)]
    Tenant(#[from] TenantError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("`{path}`: {detail}")]
    File { path: String, detail: String },
    #[error("{path}:{line}: {detail}")]
    Row {
        path: String,
        line: u64,
        detail: String,
    },
    #[error("invalid {what} `{value}`: expected a date such as `2024-09-01`")]
    BadDate { what: &'static str, value: String },
}

impl Diagnostic for CostError {
    fn exit_status(&self) -> ExitStatus {
        match self {
            CostError::Tenant(e) => e.exit_status(),
            _ => ExitStatus::Error,
        }
    }
    fn help(&self) -> Option<String> {
        match self {
            CostError::Tenant(e) => e.help(),
            CostError::Row { .. } => Some(
                "nothing was stored; fix the row, or pass --skip-bad to leave such rows out (they are counted and listed)"
                    .into(),
            ),
            _ => None,
        }
    }
}

/// The FOCUS columns ingest reads; all must be in the header.
const REQUIRED: &[&str] = &[
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
];

/// A row left out with `--skip-bad`.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub line: u64,
    pub problem: String,
}

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

/// Who a row belongs to, from its `Tags` (a JSON object, or `NULL`).
#[derive(Debug, Clone)]
struct Attributed {
    tenant: Option<String>,
    service: String,
    env: String,
}

struct Attribution<'c> {
    config: &'c CostConfig,
    /// Raw `Tags` text → attribution: billing exports repeat the same few tag sets.
    memo: HashMap<Vec<u8>, Attributed>,
}

impl Attribution<'_> {
    /// A tag value maps to a tenant through `[cost.tenants]`, else when it is itself a valid
    /// tenant id; otherwise the row is unallocated.
    fn attribute(&mut self, raw: &[u8]) -> Result<Attributed, String> {
        if let Some(found) = self.memo.get(raw) {
            return Ok(found.clone());
        }
        let text = std::str::from_utf8(raw).map_err(|_| "Tags is not UTF-8".to_string())?;
        let tags = match text {
            "" | "NULL" => serde_json::Map::new(),
            t => match serde_json::from_str::<serde_json::Value>(t) {
                Ok(serde_json::Value::Object(map)) => map,
                _ => return Err(format!("Tags `{t}` is not a JSON object or NULL")),
            },
        };
        let get = |key: &str| tags.get(key).and_then(|v| v.as_str()).map(str::to_string);
        let tenant =
            get(&self.config.tenant_tag).and_then(|value| match self.config.tenants.get(&value) {
                Some(id) => Some(id.get_ref().clone()),
                None => dns_label_problem(&value).is_none().then_some(value),
            });
        let found = Attributed {
            tenant,
            service: get(&self.config.service_tag).unwrap_or_else(|| "(untagged)".into()),
            env: get(&self.config.env_tag).unwrap_or_else(|| "(untagged)".into()),
        };
        if self.memo.len() >= 100_000 {
            self.memo.clear();
        }
        self.memo.insert(raw.to_vec(), found.clone());
        Ok(found)
    }
}

/// One parsed row.
struct Row {
    day: String,
    who: Attributed,
    region: String,
    provider: String,
    service_name: String,
    resource_id: String,
    billed: Money,
    effective: Money,
    requests: Option<Money>,
    currency: String,
}

/// What one pass over a file adds up to.
#[derive(Default)]
struct Totals {
    counts: FileCounts,
    daily: HashMap<DailyKey, Sums>,
    drivers: HashMap<DriverKey, Money>,
}

impl Totals {
    fn add(&mut self, row: Row) {
        let c = &mut self.counts;
        if row.who.tenant.is_some() {
            c.allocated += 1;
        } else {
            c.unallocated += 1;
        }
        c.billed += row.billed;
        c.effective += row.effective;
        for (kind, name) in [("service", row.service_name), ("resource", row.resource_id)] {
            *self
                .drivers
                .entry(DriverKey {
                    day: row.day.clone(),
                    tenant_id: row.who.tenant.clone(),
                    kind,
                    name,
                })
                .or_default() += row.effective;
        }
        *self
            .daily
            .entry(DailyKey {
                day: row.day,
                tenant_id: row.who.tenant,
                service: row.who.service,
                env: row.who.env,
                region: row.region,
                provider: row.provider,
            })
            .or_default() += Sums {
            billed: row.billed,
            effective: row.effective,
            requests: row.requests.unwrap_or(Money::ZERO),
            rows: 1,
        };
    }
}

/// Ingests the FOCUS CSV at `path` (`.gz` read as gzip): one streaming pass adds every row
/// to the daily rollups and cost drivers in memory (memory grows with the distinct days ×
/// tenants × services × ..., not with the rows); then one transaction stores them with the
/// file's sha256, unless that file was ingested before. A malformed row stops the ingest with
/// nothing stored, unless `skip_bad`.
pub fn ingest(ctx: &mut Context, path: &Path, skip_bad: bool) -> anyhow::Result<IngestReport> {
    let actor = users::check(ctx, Action::CostIngest, None)?;
    let shown = path.display().to_string();
    let file_err = |detail: String| CostError::File {
        path: shown.clone(),
        detail,
    };
    let mut raw = crate::hashing::open(path).map_err(|e| file_err(e.to_string()))?;
    let read = read_rows(
        crate::hashing::text(path, &mut raw),
        &shown,
        &ctx.config.cost,
        skip_bad,
    );
    let sha256 = raw.finish().map_err(|e| file_err(e.to_string()))?;
    // A file ingested before (say with --skip-bad) is not an error the second time.
    let (totals, skipped_rows) = match read {
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
    let stored = ctx
        .store
        .write(|db| -> anyhow::Result<Option<FileCounts>> {
            let rows = db.cost();
            if let Some(before) = rows.file(&sha256)? {
                return Ok(Some(before));
            }
            authz::authorize(db, &clock, &actor, Action::CostIngest, None)?;
            let mut daily: Vec<(&DailyKey, &Sums)> = totals.daily.iter().collect();
            daily.sort_by(|a, b| a.0.cmp(b.0));
            for (key, sums) in daily {
                rows.add_daily(key, sums)?;
            }
            let mut drivers: Vec<(&DriverKey, &Money)> = totals.drivers.iter().collect();
            drivers.sort_by(|a, b| a.0.cmp(b.0));
            for (key, effective) in drivers {
                rows.add_driver(key, *effective)?;
            }
            let c = &totals.counts;
            rows.insert_file(&sha256, &shown, c, &now)?;
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

/// The streaming pass: parses and adds up every row.
fn read_rows(
    reader: Box<dyn Read + '_>,
    shown: &str,
    config: &CostConfig,
    skip_bad: bool,
) -> Result<(Totals, Vec<Skipped>), CostError> {
    let file_err = |detail: String| CostError::File {
        path: shown.to_string(),
        detail,
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(reader);
    let headers = csv
        .byte_headers()
        .map_err(|e| file_err(format!("cannot read the header: {e}")))?
        .clone();
    let mut index = [0usize; REQUIRED.len()];
    for (slot, name) in index.iter_mut().zip(REQUIRED) {
        *slot = headers
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| {
                file_err(format!(
                    "no `{name}` column: not a FOCUS 1.0 file (needs {})",
                    REQUIRED.join(", ")
                ))
            })?;
    }
    let mut attribution = Attribution {
        config,
        memo: HashMap::new(),
    };
    let mut totals = Totals::default();
    let mut skipped = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let line = csv.position().line();
        let parsed = match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => parse_row(&record, &index, &mut attribution),
            Err(e) => match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => Err(format!("{len} fields where the header has {expected_len}")),
                _ => return Err(file_err(format!("line {line}: {e}"))),
            },
        };
        totals.counts.rows += 1;
        let checked = parsed.and_then(|row| match &totals.counts.currency {
            Some(c) if *c != row.currency => Err(format!(
                "BillingCurrency `{}` differs from the file's `{c}`: one currency per file",
                row.currency
            )),
            _ => Ok(row),
        });
        match checked {
            Ok(row) => {
                if totals.counts.currency.is_none() {
                    totals.counts.currency = Some(row.currency.clone());
                }
                totals.add(row);
            }
            Err(problem) if skip_bad => {
                totals.counts.skipped += 1;
                skipped.push(Skipped { line, problem });
            }
            Err(detail) => {
                return Err(CostError::Row {
                    path: shown.to_string(),
                    line,
                    detail,
                });
            }
        }
    }
    Ok((totals, skipped))
}

/// The columns `REQUIRED` names, in that order.
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

/// One data row → its parsed form, or what is wrong with it.
fn parse_row(
    record: &csv::ByteRecord,
    index: &[usize; REQUIRED.len()],
    attribution: &mut Attribution<'_>,
) -> Result<Row, String> {
    let raw = |c: usize| record.get(index[c]).unwrap_or_default();
    let text = |c: usize| -> Result<&str, String> {
        std::str::from_utf8(raw(c)).map_err(|_| format!("{} is not UTF-8", REQUIRED[c]))
    };
    let nullable = |c: usize| -> Result<Option<&str>, String> {
        let v = text(c)?;
        Ok((!v.is_empty() && v != "NULL").then_some(v))
    };
    let amount = |c: usize| -> Result<Money, String> {
        let v = text(c)?;
        Money::parse(v).map_err(|e| format!("{} `{v}`: {e}", REQUIRED[c]))
    };
    for (i, field) in record.iter().enumerate() {
        if std::str::from_utf8(field).is_err() {
            return Err(format!("column {} is not UTF-8", i + 1));
        }
    }
    let billed = amount(BILLED)?;
    let effective = amount(EFFECTIVE)?;
    let start = text(START)?;
    let day = start
        .get(..10)
        .filter(|d| d.parse::<jiff::civil::Date>().is_ok())
        .ok_or_else(|| format!("ChargePeriodStart `{start}` is not a date-time"))?;
    let who = attribution.attribute(raw(TAGS))?;
    let requests = match (nullable(UNIT)?, nullable(QUANTITY)?) {
        (Some(unit), Some(q)) if unit.to_ascii_lowercase().contains("request") => {
            Some(Money::parse(q).map_err(|e| format!("ConsumedQuantity `{q}`: {e}"))?)
        }
        _ => None,
    };
    Ok(Row {
        day: day.to_string(),
        who,
        region: nullable(REGION)?.unwrap_or("-").to_string(),
        provider: text(PROVIDER)?.to_string(),
        service_name: nullable(SERVICE)?.unwrap_or("-").to_string(),
        resource_id: nullable(RESOURCE)?.unwrap_or("-").to_string(),
        billed,
        effective,
        requests,
        currency: text(CURRENCY)?.to_string(),
    })
}

/// What a report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Tenant,
    Service,
    Env,
    Region,
    Provider,
}

impl Dimension {
    fn column(self) -> Column {
        match self {
            Dimension::Tenant => Column::Tenant,
            Dimension::Service => Column::Service,
            Dimension::Env => Column::Env,
            Dimension::Region => Column::Region,
            Dimension::Provider => Column::Provider,
        }
    }
}

/// The bucket of rows without a tenant.
pub const UNALLOCATED: &str = "unallocated";

pub struct ReportOptions {
    pub from: String,
    pub to: String,
    pub by: Vec<Dimension>,
    pub top: usize,
    pub tenant: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// One value per `by` dimension.
    pub key: Vec<String>,
    pub billed: Money,
    pub effective: Money,
    /// Share of the total effective cost, in percent.
    pub share: f64,
    pub rows: u64,
    /// Requests (FOCUS `ConsumedQuantity` in a request unit), and effective cost per request.
    pub requests: Money,
    pub cost_per_request: Option<f64>,
    pub unallocated: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Driver {
    pub name: String,
    pub effective: Money,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostReport {
    pub from: String,
    pub to: String,
    pub by: Vec<Dimension>,
    pub billed: Money,
    pub effective: Money,
    pub rows: u64,
    pub groups: Vec<Group>,
    pub top_services: Vec<Driver>,
    pub top_resources: Vec<Driver>,
}

fn share(part: Money, total: Money) -> f64 {
    if total.is_zero() {
        0.0
    } else {
        (part.to_f64() / total.to_f64() * 1000.0).round() / 10.0
    }
}

fn top(items: Vec<(String, Money)>, n: usize, total: Money) -> Vec<Driver> {
    let mut sums: BTreeMap<String, Money> = BTreeMap::new();
    for (name, amount) in items {
        *sums.entry(name).or_default() += amount;
    }
    let mut all: Vec<(String, Money)> = sums.into_iter().collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all.into_iter()
        .take(n)
        .map(|(name, effective)| Driver {
            share: share(effective, total),
            name,
            effective,
        })
        .collect()
}

/// `cost:report`: the rollups in a day range, grouped, with the top cost drivers. A
/// tenant-admin or viewer sees only their tenants (and not the unallocated bucket).
pub fn report(ctx: &mut Context, o: &ReportOptions) -> anyhow::Result<CostReport> {
    for (what, value) in [("--from", &o.from), ("--to", &o.to)] {
        if value.parse::<jiff::civil::Date>().is_err() {
            return Err(CostError::BadDate {
                what,
                value: value.clone(),
            }
            .into());
        }
    }
    let tenants = users::read_scope(ctx, Action::CostRead, o.tenant.as_deref())?;
    let filter = CostFilter {
        from: o.from.clone(),
        to: o.to.clone(),
        tenants,
    };
    let db = ctx.store.read();
    let columns: Vec<Column> = o.by.iter().map(|d| d.column()).collect();
    let grouped = db.cost().grouped(&filter, &columns)?;
    let mut total = Sums::default();
    for (_, sums) in &grouped {
        total += *sums;
    }
    let mut groups: Vec<Group> = grouped
        .into_iter()
        .map(|(key, s)| {
            let unallocated =
                o.by.iter()
                    .zip(&key)
                    .any(|(d, v)| *d == Dimension::Tenant && v.is_none());
            Group {
                key: key
                    .into_iter()
                    .map(|v| v.unwrap_or_else(|| UNALLOCATED.into()))
                    .collect(),
                billed: s.billed,
                effective: s.effective,
                share: share(s.effective, total.effective),
                rows: s.rows,
                requests: s.requests,
                cost_per_request: (!s.requests.is_zero())
                    .then(|| s.effective.to_f64() / s.requests.to_f64()),
                unallocated,
            }
        })
        .collect();
    // Largest first; the unallocated bucket last, on its own line.
    groups.sort_by(|a, b| {
        a.unallocated
            .cmp(&b.unallocated)
            .then_with(|| b.effective.cmp(&a.effective))
            .then_with(|| a.key.cmp(&b.key))
    });
    let top_services = top(
        db.cost().drivers(&filter, "service")?,
        o.top,
        total.effective,
    );
    let top_resources = top(
        db.cost().drivers(&filter, "resource")?,
        o.top,
        total.effective,
    );
    Ok(CostReport {
        from: o.from.clone(),
        to: o.to.clone(),
        by: o.by.clone(),
        billed: total.billed,
        effective: total.effective,
        rows: total.rows,
        groups,
        top_services,
        top_resources,
    })
}
