//! Queries on `tenants` and `tenant_boundaries`.

use rusqlite::{OptionalExtension, Row, params};

use super::{Db, StoreError};
use crate::model::ids::{PrincipalId, RegionId, TenantId};
use crate::model::tenant::{Boundary, Regions, Tenant, TenantStatus, Tier};

pub struct Tenants<'a> {
    pub(super) db: &'a Db<'a>,
}

const SELECT: &str = "SELECT t.id, t.name, t.tier, t.regions, t.status, t.namespace,
        t.created_at, t.updated_at,
        (SELECT json_group_array(principal_id ORDER BY principal_id) FROM role_bindings b
          WHERE b.tenant_id = t.id AND b.role = 'tenant-admin') AS admins
   FROM tenants t";

impl Tenants<'_> {
    pub fn insert(&self, t: &Tenant) -> Result<(), StoreError> {
        self.db
            .conn
            .execute(
                "INSERT INTO tenants (id, name, tier, regions, status, namespace, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    t.id.as_str(),
                    t.name,
                    t.tier.as_str(),
                    regions_json(&t.regions),
                    t.status.as_str(),
                    t.namespace,
                    t.created_at,
                    t.updated_at
                ],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    /// Writes name, tier, regions, status and updated_at of an existing tenant.
    pub fn update(&self, t: &Tenant) -> Result<(), StoreError> {
        self.db
            .conn
            .execute(
                "UPDATE tenants SET name = ?2, tier = ?3, regions = ?4, status = ?5, updated_at = ?6
                 WHERE id = ?1",
                params![
                    t.id.as_str(),
                    t.name,
                    t.tier.as_str(),
                    regions_json(&t.regions),
                    t.status.as_str(),
                    t.updated_at
                ],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    pub fn get(&self, id: &TenantId) -> Result<Option<Tenant>, StoreError> {
        let sql = format!("{SELECT} WHERE t.id = ?1");
        let raw = self
            .db
            .conn
            .query_row(&sql, [id.as_str()], RawTenant::from_row)
            .optional()
            .map_err(|e| self.db.err(e))?;
        raw.map(|r| r.into_tenant(self.db)).transpose()
    }

    /// Tenants in id order; deleted ones only when `include_deleted`.
    pub fn list(&self, include_deleted: bool) -> Result<Vec<Tenant>, StoreError> {
        let sql = format!("{SELECT} WHERE ?1 OR t.status = 'active' ORDER BY t.id");
        let mut stmt = self.db.conn.prepare(&sql).map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map([include_deleted], RawTenant::from_row)
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))?.into_tenant(self.db))
            .collect()
    }

    /// Every tenant (deleted ones too) as the policies' data document sees it: id →
    /// `{tier, allowed_regions, status}`, read in one pass without the rest of a [`Tenant`].
    pub fn residency(&self) -> Result<serde_json::Map<String, serde_json::Value>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare_cached("SELECT id, tier, regions, status FROM tenants ORDER BY id")
            .map_err(|e| self.db.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.db.err(e))?;
        let mut out = serde_json::Map::new();
        while let Some(r) = rows.next().map_err(|e| self.db.err(e))? {
            let text = |i| r.get::<_, String>(i).map_err(|e| self.db.err(e));
            let id = text(0)?;
            let regions: serde_json::Value = serde_json::from_str(&text(2)?)
                .map_err(|e| self.db.corrupt(format!("tenant `{id}`: regions: {e}")))?;
            let doc = serde_json::json!({"tier": text(1)?, "allowed_regions": regions, "status": text(3)?});
            out.insert(id, doc);
        }
        Ok(out)
    }

    pub fn count(&self) -> Result<u64, StoreError> {
        self.db
            .conn
            .query_row("SELECT count(*) FROM tenants", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.db.err(e))
    }

    pub fn put_boundary(&self, b: &Boundary) -> Result<(), StoreError> {
        self.db
            .conn
            .execute(
                "INSERT INTO tenant_boundaries (tenant_id, namespace, manifests, sha256, rendered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (tenant_id) DO UPDATE SET namespace = excluded.namespace,
                   manifests = excluded.manifests, sha256 = excluded.sha256,
                   rendered_at = excluded.rendered_at",
                params![
                    b.tenant_id.as_str(),
                    b.namespace,
                    b.manifests,
                    b.sha256,
                    b.rendered_at
                ],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    pub fn boundary(&self, id: &TenantId) -> Result<Option<Boundary>, StoreError> {
        self.db
            .conn
            .query_row(
                "SELECT namespace, manifests, sha256, rendered_at FROM tenant_boundaries
                 WHERE tenant_id = ?1",
                [id.as_str()],
                |r| {
                    Ok(Boundary {
                        tenant_id: id.clone(),
                        namespace: r.get(0)?,
                        manifests: r.get(1)?,
                        sha256: r.get(2)?,
                        rendered_at: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.db.err(e))
    }
}

fn regions_json(regions: &Regions) -> String {
    serde_json::Value::from(regions.as_strings()).to_string()
}

/// A row as SQLite returns it, before its values are checked.
struct RawTenant {
    id: String,
    name: String,
    tier: String,
    regions: String,
    status: String,
    namespace: String,
    created_at: String,
    updated_at: String,
    admins: String,
}

impl RawTenant {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(RawTenant {
            id: r.get(0)?,
            name: r.get(1)?,
            tier: r.get(2)?,
            regions: r.get(3)?,
            status: r.get(4)?,
            namespace: r.get(5)?,
            created_at: r.get(6)?,
            updated_at: r.get(7)?,
            admins: r.get(8)?,
        })
    }

    fn into_tenant(self, db: &Db<'_>) -> Result<Tenant, StoreError> {
        let bad = |what: &str| db.corrupt(format!("tenant `{}`: {what}", self.id));
        let id = TenantId::parse(&self.id).map_err(|e| bad(&e.to_string()))?;
        let tier = self.tier.parse::<Tier>().map_err(|e| bad(&e))?;
        let status = match self.status.as_str() {
            "active" => TenantStatus::Active,
            "deleted" => TenantStatus::Deleted,
            other => return Err(bad(&format!("unknown status `{other}`"))),
        };
        let list: Vec<String> =
            serde_json::from_str(&self.regions).map_err(|e| bad(&format!("regions: {e}")))?;
        let regions = if list == ["*"] {
            Regions::Any
        } else {
            Regions::Only(
                list.iter()
                    .map(|r| RegionId::parse(r))
                    .collect::<Result<_, _>>()
                    .map_err(|e| bad(&e.to_string()))?,
            )
        };
        let admins: Vec<String> =
            serde_json::from_str(&self.admins).map_err(|e| bad(&format!("admins: {e}")))?;
        let admins = admins
            .iter()
            .map(|a| PrincipalId::parse(a))
            .collect::<Result<_, _>>()
            .map_err(|e| bad(&e.to_string()))?;
        Ok(Tenant {
            id,
            name: self.name,
            tier,
            regions,
            status,
            namespace: self.namespace,
            admins,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn tenant(id: &str, tier: Tier, regions: Regions, status: TenantStatus) -> Tenant {
        Tenant {
            id: TenantId::parse(id).unwrap(),
            name: id.to_string(),
            tier,
            regions,
            status,
            namespace: format!("tenant-{id}"),
            admins: Vec::new(),
            created_at: "2026-12-01T00:00:00Z".into(),
            updated_at: "2026-12-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn residency_is_what_the_full_rows_say() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("state.db")).unwrap();
        let eu = || Regions::Only(vec![RegionId::parse("eu-west-1").unwrap()]);
        store
            .write(|db| -> Result<(), StoreError> {
                let t = db.tenants();
                t.insert(&tenant("acme", Tier::Prod, eu(), TenantStatus::Active))?;
                t.insert(&tenant(
                    "sandbox",
                    Tier::Dev,
                    Regions::Any,
                    TenantStatus::Active,
                ))?;
                t.insert(&tenant("gone", Tier::Prod, eu(), TenantStatus::Deleted))
            })
            .unwrap();
        let db = store.read();
        let expected: serde_json::Map<String, serde_json::Value> = db
            .tenants()
            .list(true)
            .unwrap()
            .into_iter()
            .map(|t| {
                let doc = serde_json::json!({"tier": t.tier, "allowed_regions": t.regions, "status": t.status});
                (t.id.to_string(), doc)
            })
            .collect();
        assert_eq!(expected.len(), 3);
        assert_eq!(db.tenants().residency().unwrap(), expected);
    }
}
