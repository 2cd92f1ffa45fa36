//! A tenant's isolation boundary: the namespace `tenant-<id>` and the Kubernetes manifests
//! rendered from `templates/k8s/` (Namespace, ResourceQuota, NetworkPolicy, RoleBinding).

use sha2::{Digest, Sha256};

use super::{Regions, Tenant, TenantError, Tier};
use crate::model::audit::hex;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "namespace.yaml",
        include_str!("../../templates/k8s/namespace.yaml"),
    ),
    (
        "resourcequota.yaml",
        include_str!("../../templates/k8s/resourcequota.yaml"),
    ),
    (
        "networkpolicy.yaml",
        include_str!("../../templates/k8s/networkpolicy.yaml"),
    ),
    (
        "rolebinding.yaml",
        include_str!("../../templates/k8s/rolebinding.yaml"),
    ),
];

/// The namespace of a tenant: `tenant-<id>`, shortened with a hash suffix when that would
/// exceed the 63 characters of a DNS label.
pub fn namespace_for(id: &crate::model::ids::TenantId) -> String {
    let plain = format!("tenant-{id}");
    if plain.len() <= 63 {
        return plain;
    }
    let digest = hex(&Sha256::digest(id.as_str().as_bytes()));
    let head = id.as_str()[..47].trim_end_matches('-');
    format!("tenant-{head}-{}", &digest[..8])
}

/// Renders all manifests of `tenant`, `---` separated, and their sha256.
pub fn render(tenant: &Tenant) -> Result<(String, String), TenantError> {
    let quoted = |s: &str| serde_json::Value::from(s).to_string();
    let residency_labels = match &tenant.regions {
        Regions::Any => "    residency.maestro.io/any: \"allowed\"".to_string(),
        Regions::Only(list) => list
            .iter()
            .map(|r| format!("    residency.maestro.io/{r}: \"allowed\""))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let admin_subjects = if tenant.admins.is_empty() {
        "  []".to_string()
    } else {
        tenant
            .admins
            .iter()
            .map(|a| {
                format!(
                    "  - apiGroup: rbac.authorization.k8s.io\n    kind: User\n    name: {}",
                    quoted(a.as_str())
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (cpu, memory, pods) = match tenant.tier {
        Tier::Dev => ("4", "8Gi", "50"),
        Tier::Prod => ("32", "64Gi", "500"),
    };
    let limit_cpu = (cpu.parse::<u32>().unwrap_or(1) * 2).to_string();
    let limit_memory = match tenant.tier {
        Tier::Dev => "16Gi",
        Tier::Prod => "128Gi",
    };
    let values: &[(&str, String)] = &[
        ("namespace", tenant.namespace.clone()),
        ("tenant_id", tenant.id.to_string()),
        ("tenant_name", quoted(&tenant.name)),
        ("tier", tenant.tier.to_string()),
        ("allowed_regions", quoted(&tenant.regions.to_string())),
        ("residency_labels", residency_labels),
        ("admin_subjects", admin_subjects),
        ("quota_cpu", cpu.to_string()),
        ("quota_memory", memory.to_string()),
        ("quota_cpu_limit", limit_cpu),
        ("quota_memory_limit", limit_memory.to_string()),
        ("quota_pods", pods.to_string()),
        (
            "quota_pvcs",
            if tenant.tier == Tier::Dev {
                "10"
            } else {
                "100"
            }
            .to_string(),
        ),
    ];
    let mut docs = Vec::new();
    for (name, template) in TEMPLATES {
        docs.push(substitute(name, template, values)?);
    }
    let manifests = docs.join("---\n");
    let sha = hex(&Sha256::digest(manifests.as_bytes()));
    Ok((manifests, sha))
}

/// Replaces every `{{ key }}` in `template`; a placeholder without a value is an error.
fn substitute(
    name: &str,
    template: &str,
    values: &[(&str, String)],
) -> Result<String, TenantError> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| TenantError::Template {
            template: name.to_string(),
            problem: "`{{` without a closing `}}`".into(),
        })?;
        let key = after[..end].trim();
        let value =
            values
                .iter()
                .find(|(k, _)| *k == key)
                .ok_or_else(|| TenantError::Template {
                    template: name.to_string(),
                    problem: format!("unknown placeholder `{key}`"),
                })?;
        out.push_str(&value.1);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ids::{PrincipalId, RegionId, TenantId};
    use crate::tenant::TenantStatus;

    fn tenant(id: &str) -> Tenant {
        let id = TenantId::parse(id).unwrap();
        Tenant {
            namespace: namespace_for(&id),
            id,
            name: "Acme \"Corp\"".into(),
            tier: Tier::Prod,
            regions: Regions::Only(vec![RegionId::parse("eu-west-1").unwrap()]),
            status: TenantStatus::Active,
            admins: vec![PrincipalId::parse("alice@acme.example").unwrap()],
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn namespaces_are_dns_labels() {
        let short = TenantId::parse("acme").unwrap();
        assert_eq!(namespace_for(&short), "tenant-acme");
        let long = TenantId::parse(&"a".repeat(63)).unwrap();
        let ns = namespace_for(&long);
        assert_eq!(ns.len(), 63);
        assert!(crate::model::ids::dns_label_problem(&ns).is_none(), "{ns}");
    }

    #[test]
    fn manifests_carry_tenant_and_residency_labels() {
        let (yaml, sha) = render(&tenant("acme")).unwrap();
        assert_eq!(yaml.matches("tenant_id: acme").count(), 4);
        assert!(yaml.contains("residency.maestro.io/eu-west-1: \"allowed\""));
        assert!(yaml.contains("kind: NetworkPolicy"));
        assert!(yaml.contains("name: \"alice@acme.example\""));
        assert!(yaml.contains(r#"maestro.io/tenant-name: "Acme \"Corp\"""#));
        assert!(!yaml.contains("{{"));
        assert_eq!(sha.len(), 64);
    }

    #[test]
    fn unknown_placeholder_is_an_error() {
        let err = substitute("x.yaml", "a: {{ nope }}", &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "template `x.yaml`: unknown placeholder `nope`"
        );
    }
}
