//! Queries on `audit_events` and `audit_head`. The hashing lives in `model::audit`.

use rusqlite::{OptionalExtension, Row, params};
use rustc_hash::FxHashMap;

use super::{Db, StoreError};
use crate::model::audit::AuditEvent;
use crate::model::ids::TenantId;
use crate::model::merkle::{Hash, leaf_hash};

/// One stored event, borrowed from its row.
pub struct ChainLink<'r> {
    pub seq: i64,
    pub at: &'r str,
    pub actor: &'r str,
    pub tenant_id: Option<&'r str>,
    pub action: &'r str,
    pub target: &'r str,
    /// The stored (canonical) JSON text.
    pub details: &'r str,
    pub prev_hash: &'r str,
    pub hash: &'r str,
    /// Its leaf hash as written when it was appended (none for events older than the tree).
    pub stored_leaf: Option<&'r [u8]>,
    /// Its tenant's event before it (0: the first); none for a platform-wide event or one
    /// older than the tree.
    pub tenant_prev: Option<i64>,
}

impl ChainLink<'_> {
    pub fn computed_hash(&self) -> String {
        crate::model::audit::event_hash(
            self.prev_hash,
            self.seq,
            self.at,
            self.actor,
            self.tenant_id,
            self.action,
            self.target,
            self.details,
        )
    }

    /// The event as one JSON line (`model::audit::json_line`), with its newline.
    pub fn write_json_line(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.json_line().as_bytes());
        out.push(b'\n');
    }

    fn json_line(&self) -> String {
        crate::model::audit::json_line(
            self.seq,
            self.at,
            self.actor,
            self.tenant_id,
            self.action,
            self.target,
            self.details,
            self.prev_hash,
            self.hash,
            self.tenant_prev,
        )
    }

    /// Its leaf in the log's Merkle tree, from its content as stored.
    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(self.json_line().as_bytes())
    }
}

pub struct AuditRows<'a> {
    pub(super) db: &'a Db<'a>,
}

/// Which events `audit:log` lists.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only events of these tenants (`None`: all events, platform-wide ones included).
    pub tenants: Option<Vec<TenantId>>,
    /// Only events at or after this RFC 3339 instant.
    pub since: Option<String>,
    /// At most this many, the most recent ones.
    pub limit: Option<u64>,
}

const COLUMNS: &str = "seq, at, actor, tenant_id, action, target, details, prev_hash, hash";

/// The columns of a [`ChainLink`].
const LINK_COLUMNS: &str =
    "seq, at, actor, tenant_id, action, target, details, prev_hash, hash, leaf, tenant_prev";

/// Each tenant's newest event as this store last wrote it: valid while the log's head is
/// the event this store appended last (the same seq and hash), so that after an append of
/// another process, or a rolled-back one of this, the next read seeks the events' index
/// (a few µs; a cached one is free, and a run of appends reads each tenant once).
#[derive(Debug, Default)]
pub struct TenantHeads {
    valid_at: Option<(i64, String)>,
    seqs: FxHashMap<String, i64>,
}

/// A row of `size, root, note, at` of `audit_checkpoints`.
fn checkpoint_row(r: &Row<'_>) -> rusqlite::Result<StoredCheckpoint> {
    Ok(StoredCheckpoint {
        size: r.get(0)?,
        root: r.get(1)?,
        note: r.get(2)?,
        at: r.get(3)?,
    })
}

/// The head's seq and hash, and the tree's frontier written with it.
pub type HeadAndFrontier = (i64, String, Option<Vec<u8>>);

/// A stored checkpoint: the signed note of the tree of the first `size` events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub size: i64,
    pub root: String,
    pub note: String,
    pub at: String,
}

impl AuditRows<'_> {
    /// The last appended link as recorded by `set_head`.
    pub fn head(&self) -> Result<Option<(i64, String)>, StoreError> {
        self.db
            .conn
            .prepare_cached("SELECT seq, hash FROM audit_head WHERE id = 1")
            .and_then(|mut st| st.query_row([], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(|e| self.db.err(e))
    }

    /// Appends `e` with its Merkle `leaf`, and makes it the head with the tree's new
    /// `frontier` (`model::merkle::Frontier::to_bytes`).
    /// `details` is `e.details` as canonical JSON (what is hashed and stored).
    pub fn insert(
        &self,
        e: &AuditEvent,
        details: &str,
        tenant_prev: Option<i64>,
        leaf: &Hash,
        frontier: &[u8],
    ) -> Result<(), StoreError> {
        self.db
            .conn
            .prepare_cached(&format!(
                "INSERT INTO audit_events ({COLUMNS}, leaf, tenant_prev)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ))
            .and_then(|mut st| {
                st.execute(params![
                    e.seq,
                    e.at,
                    e.actor,
                    e.tenant_id,
                    e.action,
                    e.target,
                    details,
                    e.prev_hash,
                    e.hash,
                    &leaf[..],
                    tenant_prev
                ])
            })
            .map_err(|e| self.db.err(e))?;
        let mut heads = self.db.tenant_heads.borrow_mut();
        if let Some(tenant) = &e.tenant_id {
            match heads.seqs.get_mut(tenant) {
                Some(seq) => *seq = e.seq,
                None => {
                    heads.seqs.insert(tenant.clone(), e.seq);
                }
            }
        }
        // What it holds is true as of this event, and stays so while the head is this event.
        match &mut heads.valid_at {
            Some((seq, hash)) => {
                *seq = e.seq;
                hash.clear();
                hash.push_str(&e.hash);
            }
            none => *none = Some((e.seq, e.hash.clone())),
        }
        self.db
            .conn
            .prepare_cached(
                "INSERT INTO audit_head (id, seq, hash, frontier) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,
                     frontier = excluded.frontier",
            )
            .and_then(|mut st| st.execute(params![e.seq, e.hash, frontier]))
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    /// The number of the tenant's newest event, if it has one; `head` is the log's head as
    /// just read (seq and hash), which says whether this store's own record still holds.
    pub fn last_of_tenant(
        &self,
        tenant: &str,
        head: Option<(i64, &str)>,
    ) -> Result<Option<i64>, StoreError> {
        {
            let mut heads = self.db.tenant_heads.borrow_mut();
            if heads.valid_at.as_ref().map(|(s, h)| (*s, h.as_str())) != head {
                heads.valid_at = None;
                heads.seqs.clear();
            }
            if let Some(&seq) = heads.seqs.get(tenant) {
                return Ok(Some(seq));
            }
        }
        self.db
            .conn
            // The end of the tenant's run in `audit_events_tenant`.
            .prepare_cached(
                "SELECT seq FROM audit_events WHERE tenant_id = ?1 ORDER BY seq DESC LIMIT 1",
            )
            .and_then(|mut st| st.query_row([tenant], |r| r.get(0)).optional())
            .map_err(|e| self.db.err(e))
    }

    /// The head and the tree's frontier written with it, in one read (each append).
    pub fn head_and_frontier(&self) -> Result<Option<HeadAndFrontier>, StoreError> {
        self.db
            .conn
            .prepare_cached("SELECT seq, hash, frontier FROM audit_head WHERE id = 1")
            .and_then(|mut st| {
                st.query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()
            })
            .map_err(|e| self.db.err(e))
    }

    /// The tree's frontier as written with the head; none before the tree was built.
    pub fn frontier(&self) -> Result<Option<Vec<u8>>, StoreError> {
        self.db
            .conn
            .prepare_cached("SELECT frontier FROM audit_head WHERE id = 1")
            .and_then(|mut st| {
                st.query_row([], |r| r.get::<_, Option<Vec<u8>>>(0))
                    .optional()
            })
            .map(Option::flatten)
            .map_err(|e| self.db.err(e))
    }

    /// Writes the frontier of a tree built anew from the events.
    pub fn set_frontier(&self, frontier: &[u8]) -> Result<(), StoreError> {
        self.db
            .conn
            .execute(
                "UPDATE audit_head SET frontier = ?1 WHERE id = 1",
                [frontier],
            )
            .map(|_| ())
            .map_err(|e| self.db.err(e))
    }

    /// Keeps the roots of perfect subtrees: `(level, index, hash)`.
    pub fn put_tiles(&self, tiles: &[(u32, u64, Hash)]) -> Result<(), StoreError> {
        let mut st = self
            .db
            .conn
            .prepare_cached(
                "INSERT INTO audit_tiles (level, idx, hash) VALUES (?1, ?2, ?3)
                 ON CONFLICT (level, idx) DO UPDATE SET hash = excluded.hash",
            )
            .map_err(|e| self.db.err(e))?;
        for (level, index, hash) in tiles {
            st.execute(params![level, *index as i64, &hash[..]])
                .map_err(|e| self.db.err(e))?;
        }
        Ok(())
    }

    /// The root of the perfect subtree `(level, index)`, if it is kept.
    pub fn tile(&self, level: u32, index: u64) -> Result<Option<Hash>, StoreError> {
        let blob: Option<Vec<u8>> = self
            .db
            .conn
            .prepare_cached("SELECT hash FROM audit_tiles WHERE level = ?1 AND idx = ?2")
            .and_then(|mut st| {
                st.query_row(params![level, index as i64], |r| r.get(0))
                    .optional()
            })
            .map_err(|e| self.db.err(e))?;
        Ok(blob.and_then(|b| b.try_into().ok()))
    }

    /// Calls `visit` on the events `from..=to` (by seq), in order.
    pub fn for_each_link_between(
        &self,
        from: i64,
        to: i64,
        visit: impl FnMut(ChainLink<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.links(
            &format!(
                "SELECT {LINK_COLUMNS} FROM audit_events WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq"
            ),
            params![from, to],
            visit,
        )
    }

    pub fn add_checkpoint(&self, c: &StoredCheckpoint) -> Result<(), StoreError> {
        self.db
            .conn
            .execute(
                // The same size again: signed by another (a new) log key.
                "INSERT INTO audit_checkpoints (size, root, note, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (size) DO UPDATE SET root = excluded.root, note = excluded.note,
                     at = excluded.at",
                params![c.size, c.root, c.note, c.at],
            )
            .map(|_| ())
            .map_err(|e| self.db.err(e))
    }

    /// The `limit` newest checkpoints of fewer than `size` events, newest first.
    pub fn checkpoints_before(
        &self,
        size: i64,
        limit: u32,
    ) -> Result<Vec<StoredCheckpoint>, StoreError> {
        let mut st = self
            .db
            .conn
            .prepare(
                "SELECT size, root, note, at FROM audit_checkpoints WHERE size < ?1
                 ORDER BY size DESC LIMIT ?2",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = st
            .query_map(params![size, limit], checkpoint_row)
            .map_err(|e| self.db.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.db.err(e))
    }

    /// The newest checkpoint.
    pub fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError> {
        self.db
            .conn
            .query_row(
                "SELECT size, root, note, at FROM audit_checkpoints ORDER BY size DESC LIMIT 1",
                [],
                checkpoint_row,
            )
            .optional()
            .map_err(|e| self.db.err(e))
    }

    pub fn list(&self, filter: &AuditFilter) -> Result<Vec<AuditEvent>, StoreError> {
        let tenants = filter.tenants.as_ref().map(|ts| {
            serde_json::Value::from(ts.iter().map(|t| t.as_str()).collect::<Vec<_>>()).to_string()
        });
        let sql = format!(
            "SELECT * FROM (SELECT {COLUMNS} FROM audit_events
               WHERE (?1 IS NULL OR tenant_id IN (SELECT value FROM json_each(?1)))
                 AND (?2 IS NULL OR at >= ?2)
               ORDER BY seq DESC LIMIT ?3)
             ORDER BY seq"
        );
        let limit = filter.limit.map_or(-1, |l| l.min(i64::MAX as u64) as i64);
        let mut stmt = self.db.conn.prepare(&sql).map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![tenants, filter.since, limit], |r| self.raw(r))
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))?).collect()
    }

    /// The events after `seq`, in order (what a dry run's rehearsal appended).
    pub fn after(&self, seq: i64) -> Result<Vec<AuditEvent>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM audit_events WHERE seq > ?1 ORDER BY seq");
        let mut stmt = self.db.conn.prepare(&sql).map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![seq], |r| self.raw(r))
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))?).collect()
    }

    /// Calls `visit` on every event in `seq` order as stored (details as their stored text),
    /// for verifying the chain without parsing JSON.
    pub fn for_each_link(
        &self,
        visit: impl FnMut(ChainLink<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.links(
            &format!("SELECT {LINK_COLUMNS} FROM audit_events ORDER BY seq"),
            rusqlite::params![],
            visit,
        )
    }

    /// The same for one tenant's events at or after `since`.
    pub fn for_each_tenant_link(
        &self,
        tenant: &str,
        since: Option<&str>,
        visit: impl FnMut(ChainLink<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.links(
            &format!("SELECT {LINK_COLUMNS} FROM audit_events WHERE tenant_id = ?1 AND (?2 IS NULL OR at >= ?2) ORDER BY seq"),
            rusqlite::params![tenant, since],
            visit,
        )
    }

    fn links(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        mut visit: impl FnMut(ChainLink<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.db.conn.prepare(sql).map_err(|e| self.db.err(e))?;
        let mut rows = stmt.query(params).map_err(|e| self.db.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.db.err(e))? {
            let text = |i: usize| -> Result<&str, StoreError> {
                let v = r.get_ref(i).map_err(|e| self.db.err(e))?;
                v.as_str()
                    .map_err(|e| self.db.corrupt(format!("audit column {i}: {e}")))
            };
            let link = ChainLink {
                seq: r.get(0).map_err(|e| self.db.err(e))?,
                at: text(1)?,
                actor: text(2)?,
                tenant_id: r
                    .get_ref(3)
                    .map_err(|e| self.db.err(e))?
                    .as_str_or_null()
                    .map_err(|e| self.db.corrupt(format!("audit tenant_id: {e}")))?,
                action: text(4)?,
                target: text(5)?,
                details: text(6)?,
                prev_hash: text(7)?,
                hash: text(8)?,
                stored_leaf: r
                    .get_ref(9)
                    .map_err(|e| self.db.err(e))?
                    .as_blob_or_null()
                    .map_err(|e| self.db.corrupt(format!("audit leaf: {e}")))?,
                tenant_prev: r.get(10).map_err(|e| self.db.err(e))?,
            };
            visit(link)?;
        }
        Ok(())
    }

    fn raw(&self, r: &Row<'_>) -> rusqlite::Result<Result<AuditEvent, StoreError>> {
        let seq: i64 = r.get(0)?;
        let details: String = r.get(6)?;
        let details = match serde_json::from_str(&details) {
            Ok(v) => v,
            Err(e) => {
                return Ok(Err(self
                    .db
                    .corrupt(format!("audit event {seq}: details are not JSON: {e}"))));
            }
        };
        Ok(Ok(AuditEvent {
            seq,
            at: r.get(1)?,
            actor: r.get(2)?,
            tenant_id: r.get(3)?,
            action: r.get(4)?,
            target: r.get(5)?,
            details,
            prev_hash: r.get(7)?,
            hash: r.get(8)?,
        }))
    }
}
