//! The figures a tenant's metrics snapshot (the one queued for the metrics backends) is made
//! of, read per group of tenants in a few grouped queries.

use std::collections::BTreeMap;

use rusqlite::params;

use super::{Db, StoreError};
use crate::model::money::Money;

pub struct MetricRows<'a> {
    pub(super) db: &'a Db<'a>,
}

/// Cost of one tenant × service × env × region × provider over everything ingested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostTotal {
    pub tenant_id: String,
    pub labels: [String; 4],
    pub billed: Money,
    pub effective: Money,
}

/// A count of something per tenant and up to two labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub tenant_id: String,
    pub labels: Vec<String>,
    pub count: u64,
}

fn tenants_json(tenants: &[String]) -> String {
    serde_json::Value::from(tenants.to_vec()).to_string()
}

impl MetricRows<'_> {
    pub fn cost(&self, tenants: &[String]) -> Result<Vec<CostTotal>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare_cached(
                "SELECT tenant_id, service, env, region, provider, SUM(billed_int),
                        SUM(billed_frac), SUM(effective_int), SUM(effective_frac)
                   FROM cost_monthly
                  WHERE tenant_id IN (SELECT value FROM json_each(?1))
                  GROUP BY tenant_id, service, env, region, provider",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![tenants_json(tenants)], |r| {
                Ok(CostTotal {
                    tenant_id: r.get(0)?,
                    labels: [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?],
                    billed: super::cost::joined(r, 5)?,
                    effective: super::cost::joined(r, 7)?,
                })
            })
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }

    /// Effective cost per tenant, driver kind and name, largest first within a tenant and kind.
    pub fn drivers(
        &self,
        tenants: &[String],
    ) -> Result<Vec<(String, String, String, Money)>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare_cached(
                "SELECT tenant_id, kind, name, SUM(effective_int), SUM(effective_frac)
                   FROM cost_drivers_monthly
                  WHERE tenant_id IN (SELECT value FROM json_each(?1))
                  GROUP BY tenant_id, kind, name",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![tenants_json(tenants)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, super::cost::joined(r, 3)?))
            })
            .map_err(|e| self.db.err(e))?;
        let mut out: Vec<(String, String, String, Money)> = rows
            .map(|r| r.map_err(|e| self.db.err(e)))
            .collect::<Result<_, _>>()?;
        out.sort_by(|a, b| {
            (&a.0, &a.1)
                .cmp(&(&b.0, &b.1))
                .then(b.3.cmp(&a.3))
                .then(a.2.cmp(&b.2))
        });
        Ok(out)
    }

    /// The last day with request data, per tenant.
    pub fn perf_days(&self, tenants: &[String]) -> Result<BTreeMap<String, String>, StoreError> {
        self.pairs(
            "SELECT tenant_id, max(day) FROM perf_daily
              WHERE tenant_id IN (SELECT value FROM json_each(?1)) GROUP BY tenant_id",
            tenants,
        )
    }

    /// Flow runs per tenant, flow and status.
    pub fn flow_runs(&self, tenants: &[String]) -> Result<Vec<Counted>, StoreError> {
        self.counted(
            "SELECT tenant_id, flow, status, count(*) FROM flow_runs
              WHERE tenant_id IN (SELECT value FROM json_each(?1))
              GROUP BY tenant_id, flow, status",
            tenants,
            2,
        )
    }

    /// Distinct commits mined per tenant.
    pub fn commits(&self, tenants: &[String]) -> Result<Vec<Counted>, StoreError> {
        self.counted(
            "SELECT tenant_id, count(DISTINCT oid) FROM signal_commits
              WHERE tenant_id IN (SELECT value FROM json_each(?1)) GROUP BY tenant_id",
            tenants,
            0,
        )
    }

    /// Security alerts per tenant and level.
    pub fn alerts(&self, tenants: &[String]) -> Result<Vec<Counted>, StoreError> {
        self.counted(
            "SELECT tenant_id, level, count(*) FROM signal_alerts
              WHERE tenant_id IN (SELECT value FROM json_each(?1)) GROUP BY tenant_id, level",
            tenants,
            1,
        )
    }

    fn pairs(&self, sql: &str, tenants: &[String]) -> Result<BTreeMap<String, String>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare_cached(sql)
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![tenants_json(tenants)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }

    fn counted(
        &self,
        sql: &str,
        tenants: &[String],
        labels: usize,
    ) -> Result<Vec<Counted>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare_cached(sql)
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![tenants_json(tenants)], |r| {
                Ok(Counted {
                    tenant_id: r.get(0)?,
                    labels: (1..=labels).map(|i| r.get(i)).collect::<Result<_, _>>()?,
                    count: r.get::<_, i64>(labels + 1)?.max(0) as u64,
                })
            })
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }
}
