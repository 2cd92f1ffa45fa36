//! Queries on the performance tables: request rollups, latency distributions, baselines.

use rusqlite::{OptionalExtension, params};

use super::{Db, StoreError, tenants_json};
use crate::model::ids::TenantId;

pub struct PerfRows<'a> {
    pub(super) db: &'a Db<'a>,
}

/// Tenant × service × env: what budgets and baselines are kept for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PerfKey {
    pub tenant_id: String,
    pub service: String,
    pub env: String,
}

/// A group's requests, errors and exact latency distribution (latency µs → count, sorted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Distribution {
    pub requests: u64,
    pub errors: u64,
    pub latencies: Vec<(u64, u64)>,
}

/// A stored baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    pub from: String,
    pub to: String,
    pub requests: u64,
    pub errors: u64,
    pub p50_us: u64,
    pub p95_us: u64,
    pub p99_us: u64,
    pub set_at: String,
}

fn count(v: i64) -> u64 {
    v.max(0) as u64
}

impl PerfRows<'_> {
    /// Whether a file with these bytes (`sha256`) or this content (`content_sha256`,
    /// decompressed) was ingested.
    pub fn file_seen(
        &self,
        sha256: &str,
        content_sha256: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.db
            .conn
            .query_row(
                "SELECT 1 FROM perf_files WHERE sha256 = ?1 OR content_sha256 = ?2 LIMIT 1",
                params![sha256, content_sha256],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.db.err(e))
    }

    pub fn insert_file(
        &self,
        (sha256, content_sha256): (&str, Option<&str>),
        path: &str,
        rows: u64,
        skipped: u64,
        at: &str,
    ) -> Result<(), StoreError> {
        self.db
            .conn
            .execute(
                "INSERT INTO perf_files (sha256, path, rows, skipped, ingested_at, content_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    sha256,
                    path,
                    rows as i64,
                    skipped as i64,
                    at,
                    content_sha256
                ],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    /// Adds `requests` and `errors` to the day's totals of `key`.
    pub fn add_daily(
        &self,
        day: &str,
        key: &PerfKey,
        requests: u64,
        errors: u64,
    ) -> Result<(), StoreError> {
        self.add(
            "INSERT INTO perf_daily (day, tenant_id, service, env, requests, errors)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (day, tenant_id, service, env) DO UPDATE SET
                 requests = requests + ?5, errors = errors + ?6",
            day,
            key,
            requests,
            errors,
        )
    }

    /// Adds `n` requests at `latency_us` to the day's distribution of `key`.
    pub fn add_latency(
        &self,
        day: &str,
        key: &PerfKey,
        latency_us: u64,
        n: u64,
    ) -> Result<(), StoreError> {
        self.add(
            "INSERT INTO perf_latency (day, tenant_id, service, env, latency_us, count)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (day, tenant_id, service, env, latency_us) DO UPDATE SET
                 count = count + ?6",
            day,
            key,
            latency_us,
            n,
        )
    }

    /// Runs the upsert `sql` with `(day, tenant_id, service, env, a, b)` as `?1..=?6` (a cached
    /// statement: an ingest runs it once a group and latency).
    fn add(&self, sql: &str, day: &str, key: &PerfKey, a: u64, b: u64) -> Result<(), StoreError> {
        self.db
            .conn
            .prepare_cached(sql)
            .and_then(|mut st| {
                st.execute(params![
                    day,
                    key.tenant_id,
                    key.service,
                    key.env,
                    a as i64,
                    b as i64
                ])
            })
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    /// The last day with data among `tenants` (`None`: all).
    pub fn last_day(&self, tenants: &Option<Vec<TenantId>>) -> Result<Option<String>, StoreError> {
        self.db
            .conn
            .query_row(
                "SELECT max(day) FROM perf_daily
                  WHERE (?1 IS NULL OR tenant_id IN (SELECT value FROM json_each(?1)))",
                params![tenants_json(tenants)],
                |r| r.get(0),
            )
            .map_err(|e| self.db.err(e))
    }

    /// Per tenant × service × env, the requests, errors and latency distribution over the
    /// days `from..=to`.
    pub fn distributions(
        &self,
        from: &str,
        to: &str,
        tenants: &Option<Vec<TenantId>>,
    ) -> Result<Vec<(PerfKey, Distribution)>, StoreError> {
        let tenants = tenants_json(tenants);
        let mut out: std::collections::BTreeMap<PerfKey, Distribution> = Default::default();
        for (key, requests, errors) in self.keyed(
            "SELECT tenant_id, service, env, SUM(requests), SUM(errors) FROM perf_daily
              WHERE day >= ?1 AND day <= ?2
                AND (?3 IS NULL OR tenant_id IN (SELECT value FROM json_each(?3)))
              GROUP BY tenant_id, service, env",
            from,
            to,
            &tenants,
        )? {
            let d = out.entry(key).or_default();
            d.requests = requests;
            d.errors = errors;
        }
        for (key, latency, n) in self.keyed(
            "SELECT tenant_id, service, env, latency_us, SUM(count) FROM perf_latency
              WHERE day >= ?1 AND day <= ?2
                AND (?3 IS NULL OR tenant_id IN (SELECT value FROM json_each(?3)))
              GROUP BY tenant_id, service, env, latency_us
              ORDER BY tenant_id, service, env, latency_us",
            from,
            to,
            &tenants,
        )? {
            out.entry(key).or_default().latencies.push((latency, n));
        }
        Ok(out.into_iter().collect())
    }

    /// Rows of `(tenant_id, service, env, a, b)` from `sql` over `?1..=?2` and tenants `?3`.
    fn keyed(
        &self,
        sql: &str,
        from: &str,
        to: &str,
        tenants: &Option<String>,
    ) -> Result<Vec<(PerfKey, u64, u64)>, StoreError> {
        let mut stmt = self.db.conn.prepare(sql).map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![from, to, tenants], |r| {
                Ok((
                    PerfKey {
                        tenant_id: r.get(0)?,
                        service: r.get(1)?,
                        env: r.get(2)?,
                    },
                    count(r.get(3)?),
                    count(r.get(4)?),
                ))
            })
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }

    pub fn set_baseline(&self, key: &PerfKey, b: &Baseline) -> Result<(), StoreError> {
        self.db
            .conn
            .execute(
                "INSERT INTO perf_baselines (tenant_id, service, env, from_day, to_day, requests,
                     errors, p50_us, p95_us, p99_us, set_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (tenant_id, service, env) DO UPDATE SET from_day = ?4, to_day = ?5,
                     requests = ?6, errors = ?7, p50_us = ?8, p95_us = ?9, p99_us = ?10,
                     set_at = ?11",
                params![
                    key.tenant_id,
                    key.service,
                    key.env,
                    b.from,
                    b.to,
                    b.requests as i64,
                    b.errors as i64,
                    b.p50_us as i64,
                    b.p95_us as i64,
                    b.p99_us as i64,
                    b.set_at
                ],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    pub fn baselines(
        &self,
        tenants: &Option<Vec<TenantId>>,
    ) -> Result<Vec<(PerfKey, Baseline)>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare(
                "SELECT tenant_id, service, env, from_day, to_day, requests, errors, p50_us,
                        p95_us, p99_us, set_at
                   FROM perf_baselines
                  WHERE (?1 IS NULL OR tenant_id IN (SELECT value FROM json_each(?1)))
                  ORDER BY tenant_id, service, env",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![tenants_json(tenants)], |r| {
                Ok((
                    PerfKey {
                        tenant_id: r.get(0)?,
                        service: r.get(1)?,
                        env: r.get(2)?,
                    },
                    Baseline {
                        from: r.get(3)?,
                        to: r.get(4)?,
                        requests: count(r.get(5)?),
                        errors: count(r.get(6)?),
                        p50_us: count(r.get(7)?),
                        p95_us: count(r.get(8)?),
                        p99_us: count(r.get(9)?),
                        set_at: r.get(10)?,
                    },
                ))
            })
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }
}
