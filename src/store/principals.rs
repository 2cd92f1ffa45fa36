//! Queries on `principals` and `role_bindings`.

use rusqlite::{Row, params};
use serde::Serialize;

use super::{Db, StoreError};
use crate::model::ids::{PrincipalId, TenantId};
use crate::model::tenant::Role;

pub struct Principals<'a> {
    pub(super) db: &'a Db<'a>,
}

/// One role held by one principal, for one tenant or (platform-admin) for all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RoleBinding {
    pub principal: PrincipalId,
    pub role: Role,
    pub tenant: Option<TenantId>,
    pub created_at: String,
}

impl Principals<'_> {
    pub fn count(&self) -> Result<u64, StoreError> {
        self.db
            .conn
            .query_row("SELECT count(*) FROM principals", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.db.err(e))
    }

    /// Records the principal; returns whether it was new.
    pub fn ensure(&self, id: &PrincipalId, at: &str) -> Result<bool, StoreError> {
        let n = self
            .db
            .conn
            .execute(
                "INSERT INTO principals (id, created_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![id.as_str(), at],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(n == 1)
    }

    /// Grants a role; returns whether the binding was new.
    pub fn bind(
        &self,
        id: &PrincipalId,
        role: Role,
        tenant: Option<&TenantId>,
        at: &str,
    ) -> Result<bool, StoreError> {
        let n = self
            .db
            .conn
            .execute(
                "INSERT INTO role_bindings (principal_id, role, tenant_id, created_at)
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                params![id.as_str(), role.as_str(), tenant.map(|t| t.as_str()), at],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(n == 1)
    }

    /// Revokes a role; returns whether there was such a binding.
    pub fn unbind(
        &self,
        id: &PrincipalId,
        role: Role,
        tenant: Option<&TenantId>,
    ) -> Result<bool, StoreError> {
        let n = self
            .db
            .conn
            .execute(
                "DELETE FROM role_bindings
                  WHERE principal_id = ?1 AND role = ?2 AND tenant_id IS ?3",
                params![id.as_str(), role.as_str(), tenant.map(|t| t.as_str())],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(n > 0)
    }

    /// How many principals hold platform-admin.
    pub fn platform_admins(&self) -> Result<u64, StoreError> {
        self.db
            .conn
            .query_row(
                "SELECT count(*) FROM role_bindings WHERE role = 'platform-admin'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.max(0) as u64)
            .map_err(|e| self.db.err(e))
    }

    /// Every binding of one principal.
    pub fn roles_of(&self, id: &PrincipalId) -> Result<Vec<RoleBinding>, StoreError> {
        self.select("WHERE principal_id = ?1", id.as_str())
    }

    /// Every binding, or those of one tenant (platform admins are listed with no tenant).
    pub fn list(&self, tenant: Option<&TenantId>) -> Result<Vec<RoleBinding>, StoreError> {
        match tenant {
            Some(t) => self.select("WHERE tenant_id = ?1", t.as_str()),
            None => self.select("WHERE ?1 = ''", ""),
        }
    }

    fn select(&self, filter: &str, arg: &str) -> Result<Vec<RoleBinding>, StoreError> {
        let sql = format!(
            "SELECT principal_id, role, tenant_id, created_at FROM role_bindings {filter}
             ORDER BY principal_id, role, tenant_id"
        );
        let mut stmt = self.db.conn.prepare(&sql).map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map([arg], raw_binding)
            .map_err(|e| self.db.err(e))?;
        rows.map(|row| {
            let (principal, role, tenant, created_at) = row.map_err(|e| self.db.err(e))?;
            let bad = |what: String| {
                self.db
                    .corrupt(format!("role binding of `{principal}`: {what}"))
            };
            Ok(RoleBinding {
                principal: PrincipalId::parse(&principal).map_err(|e| bad(e.to_string()))?,
                role: role.parse().map_err(bad)?,
                tenant: tenant
                    .map(|t| TenantId::parse(&t))
                    .transpose()
                    .map_err(|e| bad(e.to_string()))?,
                created_at,
            })
        })
        .collect()
    }
}

type RawBinding = (String, String, Option<String>, String);

fn raw_binding(r: &Row<'_>) -> rusqlite::Result<RawBinding> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}
