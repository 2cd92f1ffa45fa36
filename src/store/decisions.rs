//! Queries on `decisions`, the policy decision log.

use rusqlite::params;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Db, StoreError};

pub struct Decisions<'a> {
    pub(super) db: &'a Db<'a>,
}

/// A logged decision, as `policy:log --output json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
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

impl DecisionRow {
    /// Calls `f` with the row as it is stored (its JSON columns as text).
    fn with_texts<T>(&self, f: impl FnOnce(&RowTexts<'_>) -> T) -> T {
        let input = self.input.to_string();
        let masked = serde_json::Value::from(self.masked.clone()).to_string();
        let result = self.result.to_string();
        f(&RowTexts {
            id: &self.id,
            at: &self.at,
            actor: &self.actor,
            tenant_id: self.tenant_id.as_deref(),
            query: &self.query,
            input: &input,
            masked: &masked,
            allow: self.allow,
            result: &result,
            bundle_sha256: &self.bundle_sha256,
            engine: &self.engine,
            engine_version: &self.engine_version,
            audit_seq: self.audit_seq,
        })
    }

    /// The [`BatchDigest`] of this one row as it will be stored: what its audit event carries.
    pub fn digest(&self) -> String {
        self.with_texts(|t| {
            let mut digest = BatchDigest::default();
            digest.add(t);
            digest.finish().0
        })
    }
}

impl Decisions<'_> {
    pub fn insert(&self, d: &DecisionRow) -> Result<(), StoreError> {
        d.with_texts(|t| self.insert_texts(t))
    }

    /// Inserts a row given as stored: what a batch uses, its JSON written once per input.
    pub fn insert_texts(&self, d: &RowTexts<'_>) -> Result<(), StoreError> {
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
                    d.input,
                    d.masked,
                    d.allow,
                    d.result,
                    d.bundle_sha256,
                    d.engine,
                    d.engine_version,
                    d.audit_seq
                ])
            })
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    /// For each audit event that decisions name (`audit_seq`), the digest of its rows as
    /// stored ([`BatchDigest`], in logged order) and their count: one pass over the table.
    pub fn digests_by_event(&self) -> Result<Vec<(i64, String, u64)>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM decisions ORDER BY audit_seq, rowid"
            ))
            .map_err(|e| self.db.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.db.err(e))?;
        let mut out = Vec::new();
        let mut current: Option<(i64, BatchDigest)> = None;
        while let Some(r) = rows.next().map_err(|e| self.db.err(e))? {
            let mut add = || -> rusqlite::Result<()> {
                let text = |i: usize| r.get::<_, String>(i);
                let (id, at, actor, query) = (text(0)?, text(1)?, text(2)?, text(4)?);
                let (input, masked, result) = (text(5)?, text(6)?, text(8)?);
                let (bundle_sha256, engine, engine_version) = (text(9)?, text(10)?, text(11)?);
                let tenant_id: Option<String> = r.get(3)?;
                let seq: i64 = r.get(12)?;
                if current.as_ref().is_none_or(|(s, _)| *s != seq)
                    && let Some((s, digest)) = current.replace((seq, BatchDigest::default()))
                {
                    let (digest, count) = digest.finish();
                    out.push((s, digest, count));
                }
                let digest = &mut current.as_mut().expect("set above").1;
                digest.add(&RowTexts {
                    id: &id,
                    at: &at,
                    actor: &actor,
                    tenant_id: tenant_id.as_deref(),
                    query: &query,
                    input: &input,
                    masked: &masked,
                    allow: r.get(7)?,
                    result: &result,
                    bundle_sha256: &bundle_sha256,
                    engine: &engine,
                    engine_version: &engine_version,
                    audit_seq: seq,
                });
                Ok(())
            };
            add().map_err(|e| self.db.err(e))?;
        }
        if let Some((s, digest)) = current {
            let (digest, count) = digest.finish();
            out.push((s, digest, count));
        }
        Ok(out)
    }

    /// The decisions logged with audit events after `seq`, in order (what a dry run's
    /// rehearsal decided).
    pub fn after(&self, seq: i64) -> Result<Vec<DecisionRow>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM decisions WHERE audit_seq > ?1 ORDER BY audit_seq, at, id"
            ))
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![seq], row)
            .map_err(|e| self.db.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db.err(e))
    }

    /// Decisions in time order, optionally of some tenants and of one outcome.
    pub fn list(
        &self,
        tenants: Option<&[String]>,
        allow: Option<bool>,
        limit: Option<u64>,
    ) -> Result<Vec<DecisionRow>, StoreError> {
        self.list_ids(tenants, allow, limit, None)
    }

    /// The same, only the decisions whose id starts with `id_prefix` when given.
    pub fn list_ids(
        &self,
        tenants: Option<&[String]>,
        allow: Option<bool>,
        limit: Option<u64>,
        id_prefix: Option<&str>,
    ) -> Result<Vec<DecisionRow>, StoreError> {
        let tenants = tenants.map(|t| serde_json::Value::from(t.to_vec()).to_string());
        let limit = limit.map_or(-1, |l| l.min(i64::MAX as u64) as i64);
        let mut stmt = self
            .db
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM (SELECT rowid AS n, * FROM decisions
                  WHERE (?1 IS NULL OR tenant_id IN (SELECT value FROM json_each(?1)))
                    AND (?2 IS NULL OR allow = ?2)
                    AND (?4 IS NULL OR substr(id, 1, length(?4)) = ?4)
                  ORDER BY audit_seq DESC, n DESC LIMIT ?3) ORDER BY audit_seq, n"
            ))
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![tenants, allow, limit, id_prefix], row)
            .map_err(|e| self.db.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db.err(e))
    }
}

const COLUMNS: &str = "id, at, actor, tenant_id, query, input, masked, allow, result, \
                       bundle_sha256, engine, engine_version, audit_seq";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DecisionRow> {
    let json = |s: String| serde_json::from_str(&s).unwrap_or(serde_json::Value::Null);
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
}

/// A decision row as stored: its JSON columns as text.
#[derive(Debug, Clone, Copy)]
pub struct RowTexts<'a> {
    pub id: &'a str,
    pub at: &'a str,
    pub actor: &'a str,
    pub tenant_id: Option<&'a str>,
    pub query: &'a str,
    pub input: &'a str,
    pub masked: &'a str,
    pub allow: bool,
    pub result: &'a str,
    pub bundle_sha256: &'a str,
    pub engine: &'a str,
    pub engine_version: &'a str,
    pub audit_seq: i64,
}

/// The digest a `policy.batch` audit event carries over its decisions: sha256 over the rows'
/// stored columns, in logged order, each column as its length (u64, little-endian) and bytes.
#[derive(Default)]
pub struct BatchDigest {
    hasher: Sha256,
    count: u64,
}

impl BatchDigest {
    pub fn add(&mut self, r: &RowTexts<'_>) {
        let seq = r.audit_seq.to_string();
        let fields = [
            r.id,
            r.at,
            r.actor,
            r.tenant_id.unwrap_or(""),
            r.query,
            r.input,
            r.masked,
            if r.allow { "1" } else { "0" },
            r.result,
            r.bundle_sha256,
            r.engine,
            r.engine_version,
            &seq,
        ];
        for f in fields {
            self.hasher.update((f.len() as u64).to_le_bytes());
            self.hasher.update(f.as_bytes());
        }
        self.count += 1;
    }

    pub fn finish(self) -> (String, u64) {
        (
            crate::model::audit::hex(&self.hasher.finalize()),
            self.count,
        )
    }
}
