//! Queries on `decisions`, the policy decision log.

use rusqlite::params;
use serde::Serialize;

use super::{Db, StoreError};

pub struct Decisions<'a> {
    pub(super) db: &'a Db<'a>,
}

/// A logged decision, as `policy:log --output json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionRow {
    pub id: String,
    pub at: String,
    pub actor: String,
    pub tenant_id: Option<String>,
    pub query: String,
    pub input: serde_json::Value,
    pub masked: Vec<String>,
    pub allow: bool,
    pub result: serde_json::Value,
    pub bundle_sha256: String,
    pub engine: String,
    pub engine_version: String,
    pub audit_seq: i64,
}

impl DecisionRow {
    /// The decision's deny messages, joined with `; `.
    pub fn deny_text(&self) -> String {
        self.result
            .get("deny")
            .and_then(|x| x.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|m| m.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    }
}

impl Decisions<'_> {
    pub fn insert(&self, d: &DecisionRow) -> Result<(), StoreError> {
        self.db
            .conn
            .prepare_cached(
                "INSERT INTO decisions (id, at, actor, tenant_id, query, input, masked, allow, result,
                     bundle_sha256, engine, engine_version, audit_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    d.id,
                    d.at,
                    d.actor,
                    d.tenant_id,
                    d.query,
                    d.input.to_string(),
                    serde_json::Value::from(d.masked.clone()).to_string(),
                    d.allow,
                    d.result.to_string(),
                    d.bundle_sha256,
                    d.engine,
                    d.engine_version,
                    d.audit_seq
                ])
            })
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    /// Decisions in time order, optionally of some tenants and of one outcome.
    pub fn list(
        &self,
        tenants: Option<&[String]>,
        allow: Option<bool>,
        limit: Option<u64>,
    ) -> Result<Vec<DecisionRow>, StoreError> {
        let tenants = tenants.map(|t| serde_json::Value::from(t.to_vec()).to_string());
        let limit = limit.map_or(-1, |l| l.min(i64::MAX as u64) as i64);
        let mut stmt = self
            .db
            .conn
            .prepare(
                "SELECT * FROM (SELECT id, at, actor, tenant_id, query, input, masked, allow, result,
                        bundle_sha256, engine, engine_version, audit_seq FROM decisions
                  WHERE (?1 IS NULL OR tenant_id IN (SELECT value FROM json_each(?1)))
                    AND (?2 IS NULL OR allow = ?2)
                  ORDER BY audit_seq DESC LIMIT ?3) ORDER BY audit_seq",
            )
            .map_err(|e| self.db.err(e))?;
        let json = |s: String| serde_json::from_str(&s).unwrap_or(serde_json::Value::Null);
        let rows = stmt
            .query_map(params![tenants, allow, limit], |r| {
                Ok(DecisionRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    tenant_id: r.get(3)?,
                    query: r.get(4)?,
                    input: json(r.get(5)?),
                    masked: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
                    allow: r.get(7)?,
                    result: json(r.get(8)?),
                    bundle_sha256: r.get(9)?,
                    engine: r.get(10)?,
                    engine_version: r.get(11)?,
                    audit_seq: r.get(12)?,
                })
            })
            .map_err(|e| self.db.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db.err(e))
    }
}
