//! What a tenant is: its id, tier, residency allowlist, status and isolation boundary.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::model::ids::{PrincipalId, RegionId, TenantId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Permissive: may use every region (`*`).
    Dev,
    /// Strict: an explicit region allowlist.
    Prod,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Dev => "dev",
            Tier::Prod => "prod",
        }
    }
}

impl FromStr for Tier {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "dev" => Ok(Tier::Dev),
            "prod" => Ok(Tier::Prod),
            other => Err(format!("unknown tier `{other}`: expected `dev` or `prod`")),
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a tenant's workloads and data may live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regions {
    /// Every region of the catalogue (`*`; dev tier only).
    Any,
    /// Only these, in the order declared, without duplicates.
    Only(Vec<RegionId>),
}

impl Regions {
    pub fn as_strings(&self) -> Vec<String> {
        match self {
            Regions::Any => vec!["*".to_string()],
            Regions::Only(list) => list.iter().map(|r| r.to_string()).collect(),
        }
    }

    pub fn allows(&self, region: &RegionId) -> bool {
        match self {
            Regions::Any => true,
            Regions::Only(list) => list.contains(region),
        }
    }
}

impl fmt::Display for Regions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_strings().join(","))
    }
}

impl Serialize for Regions {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_strings().serialize(s)
    }
}

/// A list of region ids; `["*"]` for any region.
impl schemars::JsonSchema for Regions {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Regions".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "array",
            "items": { "type": "string" },
            "description": "The regions allowed; [\"*\"] for any"
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TenantStatus {
    Active,
    Deleted,
}

impl TenantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TenantStatus::Active => "active",
            TenantStatus::Deleted => "deleted",
        }
    }
}

/// A tenant as stored and as printed by `tenant:show --output json` (a stable shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Tenant {
    pub id: TenantId,
    pub name: String,
    pub tier: Tier,
    pub regions: Regions,
    pub status: TenantStatus,
    /// The isolation boundary: the Kubernetes namespace that holds the tenant's resources.
    pub namespace: String,
    /// Principals with the `tenant-admin` role of this tenant, sorted.
    pub admins: Vec<PrincipalId>,
    pub created_at: String,
    pub updated_at: String,
}

/// A tenant's rendered isolation boundary, as stored and as printed by
/// `tenant:manifests --output json`. The fields stand in the order that output has always
/// had (alphabetical), since serde writes them in declaration order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Boundary {
    /// The Kubernetes manifests, one YAML stream.
    pub manifests: String,
    pub namespace: String,
    /// When they were rendered (RFC 3339).
    pub rendered_at: String,
    /// SHA-256 of `manifests`, lowercase hex.
    pub sha256: String,
    pub tenant_id: TenantId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    PlatformAdmin,
    TenantAdmin,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform-admin",
            Role::TenantAdmin => "tenant-admin",
            Role::Viewer => "viewer",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "platform-admin" => Ok(Role::PlatformAdmin),
            "tenant-admin" => Ok(Role::TenantAdmin),
            "viewer" => Ok(Role::Viewer),
            other => Err(format!(
                "unknown role `{other}`: expected `platform-admin`, `tenant-admin` or `viewer`"
            )),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boundary_prints_its_fields_in_order() {
        let b = Boundary {
            manifests: "kind: Namespace\n".into(),
            namespace: "tenant-acme".into(),
            rendered_at: "2026-11-25T10:00:00.000Z".into(),
            sha256: "ab".into(),
            tenant_id: TenantId::parse("acme").unwrap(),
        };
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"manifests":"kind: Namespace\n","namespace":"tenant-acme","rendered_at":"2026-11-25T10:00:00.000Z","sha256":"ab","tenant_id":"acme"}"#
        );
    }
}
