//! Queries on the cost tables: ingested billing files, daily rollups and cost drivers.
//! Amounts are stored split (`Money::split`) and summed by SQL exactly.

use rusqlite::{OptionalExtension, params};
use rustc_hash::FxHashMap;

use super::{Db, StoreError, tenants_json};
use crate::model::ids::TenantId;
use crate::model::intern::Interner;
use crate::model::money::Money;

pub struct CostRows<'a> {
    pub(super) db: &'a Db<'a>,
}

/// The rollup dimensions: day × tenant × service × env × region × provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DailyKey {
    pub day: String,
    /// `None`: the unallocated bucket.
    pub tenant_id: Option<String>,
    pub service: String,
    pub env: String,
    pub region: String,
    pub provider: String,
}

/// A cost driver of one tenant on one day: a FOCUS `ServiceName` or `ResourceId`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DriverKey {
    pub day: String,
    pub tenant_id: Option<String>,
    /// `service` or `resource`.
    pub kind: &'static str,
    pub name: String,
}

/// Sums over rows. `billed` and `effective` hold every row; `credit_billed` and
/// `credit_effective` the part of them from credit rows (FOCUS `ChargeCategory` `Credit`), so
/// that the charges alone (gross) are the one minus the other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    pub billed: Money,
    pub effective: Money,
    pub requests: Money,
    pub rows: u64,
    pub credit_billed: Money,
    pub credit_effective: Money,
}

impl std::ops::AddAssign for Sums {
    fn add_assign(&mut self, o: Sums) {
        self.billed += o.billed;
        self.effective += o.effective;
        self.requests += o.requests;
        self.rows += o.rows;
        self.credit_billed += o.credit_billed;
        self.credit_effective += o.credit_effective;
    }
}

/// Counts and sums of one ingest, stored with its file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileCounts {
    pub rows: u64,
    pub allocated: u64,
    pub unallocated: u64,
    pub skipped: u64,
    pub billed: Money,
    pub effective: Money,
    pub currency: Option<String>,
}

/// Which rollups a report reads: a day range (inclusive) and the tenants visible to the
/// actor (`None`: every tenant and the unallocated bucket).
#[derive(Debug, Clone)]
pub struct CostFilter {
    pub from: String,
    pub to: String,
    pub tenants: Option<Vec<TenantId>>,
}

/// The period of a rollup row: a day (`YYYY-MM-DD`) or a calendar month (`YYYY-MM`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    Day,
    Month,
}

impl Grain {
    /// (sums table, drivers table, period column): fixed names, never user text.
    fn tables(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Grain::Day => ("cost_daily", "cost_drivers", "day"),
            Grain::Month => ("cost_monthly", "cost_drivers_monthly", "month"),
        }
    }
}

/// A rollup column a report groups by (a fixed list: never user text in SQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Tenant,
    Service,
    Env,
    Region,
    Provider,
    /// The row's period: its day, or its month in the monthly rollups.
    Period,
}

impl Column {
    /// The column's name in the rollup tables of `grain`.
    fn sql(self, grain: Grain) -> &'static str {
        match self {
            Column::Tenant => "tenant_id",
            Column::Service => "service",
            Column::Env => "env",
            Column::Region => "region",
            Column::Provider => "provider",
            Column::Period => grain.tables().2,
        }
    }
}

/// One group of a report: its values of the grouping columns (the unallocated bucket's
/// tenant is `None`) and its sums.
pub type Grouped = (Vec<Option<String>>, Sums);

fn money(text: String, what: &str) -> Result<Money, String> {
    Money::parse(&text).map_err(|e| format!("{what} `{text}`: {e}"))
}

/// A text column, borrowed from the row.
fn text<'r>(row: &'r rusqlite::Row<'_>, at: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(at)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A split amount read back from SQL.
pub(super) fn joined(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Money> {
    Ok(Money::join(
        i128::from(row.get::<_, i64>(at)?),
        i128::from(row.get::<_, i64>(at + 1)?),
    ))
}

impl CostRows<'_> {
    /// What ingesting the file stored, if a file with these bytes (`sha256`) or this content
    /// (`content_sha256`, decompressed) was ingested.
    pub fn file(
        &self,
        sha256: &str,
        content_sha256: Option<&str>,
    ) -> Result<Option<FileCounts>, StoreError> {
        let row = self
            .db
            .conn
            .query_row(
                "SELECT rows, allocated, unallocated, skipped, billed, effective, currency
                   FROM cost_files WHERE sha256 = ?1 OR content_sha256 = ?2 LIMIT 1",
                params![sha256, content_sha256],
                |r| {
                    let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                    Ok((
                        (n(0)?, n(1)?, n(2)?, n(3)?),
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, Option<String>>(6)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| self.db.err(e))?;
        let Some(((rows, allocated, unallocated, skipped), billed, effective, currency)) = row
        else {
            return Ok(None);
        };
        Ok(Some(FileCounts {
            rows,
            allocated,
            unallocated,
            skipped,
            billed: money(billed, "billed").map_err(|d| self.db.corrupt(d))?,
            effective: money(effective, "effective").map_err(|d| self.db.corrupt(d))?,
            currency,
        }))
    }

    pub fn insert_file(
        &self,
        (sha256, content_sha256): (&str, Option<&str>),
        path: &str,
        c: &FileCounts,
        at: &str,
    ) -> Result<(), StoreError> {
        self.db
            .conn
            .execute(
                "INSERT INTO cost_files (sha256, path, rows, allocated, unallocated, skipped,
                     billed, effective, currency, ingested_at, content_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    sha256,
                    path,
                    c.rows as i64,
                    c.allocated as i64,
                    c.unallocated as i64,
                    c.skipped as i64,
                    c.billed.to_string(),
                    c.effective.to_string(),
                    c.currency,
                    at,
                    content_sha256
                ],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    /// Adds each `sums` to the rollup of its key (whose `day` is the period of `grain`),
    /// through one prepared statement.
    pub fn add_sums(
        &self,
        grain: Grain,
        rows: impl IntoIterator<Item = (DailyKey, Sums)>,
    ) -> Result<(), StoreError> {
        let (table, _, period) = grain.tables();
        let mut st = self
            .db
            .conn
            .prepare(&format!(
                "INSERT INTO {table} ({period}, tenant_id, service, env, region, provider,
                     billed_int, billed_frac, effective_int, effective_frac, requests_int,
                     requests_frac, rows, credit_billed_int, credit_billed_frac,
                     credit_effective_int, credit_effective_frac)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                         ?17)
                 ON CONFLICT ({period}, tenant_id, service, env, region, provider) DO UPDATE SET
                     billed_int = billed_int + ?7, billed_frac = billed_frac + ?8,
                     effective_int = effective_int + ?9, effective_frac = effective_frac + ?10,
                     requests_int = requests_int + ?11, requests_frac = requests_frac + ?12,
                     rows = rows + ?13,
                     credit_billed_int = credit_billed_int + ?14,
                     credit_billed_frac = credit_billed_frac + ?15,
                     credit_effective_int = credit_effective_int + ?16,
                     credit_effective_frac = credit_effective_frac + ?17"
            ))
            .map_err(|e| self.db.err(e))?;
        for (key, sums) in rows {
            let (bi, bf) = sums.billed.split();
            let (ei, ef) = sums.effective.split();
            let (qi, qf) = sums.requests.split();
            let (cbi, cbf) = sums.credit_billed.split();
            let (cei, cef) = sums.credit_effective.split();
            st.execute(params![
                key.day,
                key.tenant_id.as_deref().unwrap_or(""),
                key.service,
                key.env,
                key.region,
                key.provider,
                bi,
                bf,
                ei,
                ef,
                qi,
                qf,
                sums.rows as i64,
                cbi,
                cbf,
                cei,
                cef
            ])
            .map_err(|e| self.db.err(e))?;
        }
        Ok(())
    }

    /// Adds each driver's effective cost (its key's `day` the period of `grain`), through
    /// one prepared statement.
    pub fn add_drivers(
        &self,
        grain: Grain,
        rows: impl IntoIterator<Item = (DriverKey, Money)>,
    ) -> Result<(), StoreError> {
        let (_, table, period) = grain.tables();
        let mut st = self
            .db
            .conn
            .prepare(&format!(
                "INSERT INTO {table} ({period}, tenant_id, kind, name, effective_int,
                     effective_frac) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT ({period}, tenant_id, kind, name) DO UPDATE SET
                     effective_int = effective_int + ?5, effective_frac = effective_frac + ?6"
            ))
            .map_err(|e| self.db.err(e))?;
        for (key, effective) in rows {
            let (ei, ef) = effective.split();
            st.execute(params![
                key.day,
                key.tenant_id.as_deref().unwrap_or(""),
                key.kind,
                key.name,
                ei,
                ef
            ])
            .map_err(|e| self.db.err(e))?;
        }
        Ok(())
    }

    /// The rollups of `grain` in `filter` (periods of that grain) summed per distinct value
    /// of `by` (the unallocated bucket's tenant is `None`). Summed here rather than by a SQL
    /// `GROUP BY`, whose sort of every row was half of a year's report.
    pub fn grouped(
        &self,
        grain: Grain,
        filter: &CostFilter,
        by: &[Column],
    ) -> Result<Vec<Grouped>, StoreError> {
        let (table, _, period) = grain.tables();
        let mut select: Vec<&str> = by.iter().map(|c| c.sql(grain)).collect();
        let n = select.len();
        select.extend([
            "billed_int",
            "billed_frac",
            "effective_int",
            "effective_frac",
            "requests_int",
            "requests_frac",
            "rows",
            "credit_billed_int",
            "credit_billed_frac",
            "credit_effective_int",
            "credit_effective_frac",
        ]);
        let sql = format!(
            "SELECT {} FROM {table}
              WHERE {period} >= ?1 AND {period} <= ?2
                AND (?3 IS NULL OR tenant_id IN (SELECT value FROM json_each(?3)))",
            select.join(", ")
        );
        let tenants = tenants_json(&filter.tenants);
        let mut stmt = self.db.conn.prepare(&sql).map_err(|e| self.db.err(e))?;
        let mut rows = stmt
            .query(params![filter.from, filter.to, tenants])
            .map_err(|e| self.db.err(e))?;
        // Each column's values numbered, so that a group is a small array of numbers.
        let mut values: Vec<Interner<str>> = (0..n).map(|_| Interner::default()).collect();
        let mut groups: FxHashMap<Vec<u32>, Sums> = FxHashMap::default();
        let mut key = vec![0u32; n];
        while let Some(r) = rows.next().map_err(|e| self.db.err(e))? {
            let read = || -> rusqlite::Result<Sums> {
                Ok(Sums {
                    billed: joined(r, n)?,
                    effective: joined(r, n + 2)?,
                    requests: joined(r, n + 4)?,
                    rows: r.get::<_, i64>(n + 6)?.max(0) as u64,
                    credit_billed: joined(r, n + 7)?,
                    credit_effective: joined(r, n + 9)?,
                })
            };
            for (i, names) in values.iter_mut().enumerate() {
                key[i] = names.id(text(r, i).map_err(|e| self.db.err(e))?);
            }
            let sums = read().map_err(|e| self.db.err(e))?;
            match groups.get_mut(&key) {
                Some(found) => *found += sums,
                None => {
                    groups.insert(key.clone(), sums);
                }
            }
        }
        Ok(groups
            .into_iter()
            .map(|(key, sums)| {
                let key = key
                    .iter()
                    .zip(by)
                    .zip(&values)
                    .map(|((&id, column), names)| {
                        let value = names.name(id);
                        match column {
                            Column::Tenant if value.is_empty() => None,
                            _ => Some(value.to_string()),
                        }
                    })
                    .collect();
                (key, sums)
            })
            .collect())
    }

    /// Effective cost per driver in the periods of `grain` in `filter`: services (FOCUS
    /// `ServiceName`) first, then resources (`ResourceId`), one scan for both, summed here.
    pub fn drivers(
        &self,
        grain: Grain,
        filter: &CostFilter,
    ) -> Result<[Vec<(String, Money)>; 2], StoreError> {
        let (_, table, period) = grain.tables();
        let tenants = tenants_json(&filter.tenants);
        let mut stmt = self
            .db
            .conn
            .prepare(&format!(
                "SELECT kind = 'resource', name, effective_int, effective_frac FROM {table}
                  WHERE {period} >= ?1 AND {period} <= ?2
                    AND (?3 IS NULL OR tenant_id IN (SELECT value FROM json_each(?3)))"
            ))
            .map_err(|e| self.db.err(e))?;
        let mut rows = stmt
            .query(params![filter.from, filter.to, tenants])
            .map_err(|e| self.db.err(e))?;
        let mut found: [FxHashMap<Box<str>, Money>; 2] = Default::default();
        while let Some(r) = rows.next().map_err(|e| self.db.err(e))? {
            let read = || -> rusqlite::Result<(usize, &str, Money)> {
                Ok((
                    usize::from(r.get::<_, bool>(0)?),
                    text(r, 1)?,
                    joined(r, 2)?,
                ))
            };
            let (kind, name, effective) = read().map_err(|e| self.db.err(e))?;
            match found[kind].get_mut(name) {
                Some(sum) => *sum += effective,
                None => {
                    found[kind].insert(name.into(), effective);
                }
            }
        }
        Ok(found.map(|m| {
            m.into_iter()
                .map(|(name, sum)| (name.into_string(), sum))
                .collect()
        }))
    }
}
