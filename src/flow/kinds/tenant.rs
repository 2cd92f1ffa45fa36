//! `tenant.provision`: creates a tenant, its isolation boundary and its admin (the same
//! operation as `tenant:create`), inside the step's checkpoint transaction.

use std::collections::BTreeMap;

use super::{Args, AttemptResult, InlineCx, Mode, StepKind, check_keys, required_text, text};
use crate::tenant::{TenantError, Tier, ops};

pub struct TenantProvision;

impl StepKind for TenantProvision {
    fn name(&self) -> &'static str {
        "tenant.provision"
    }
    fn mode(&self) -> Mode {
        Mode::Inline
    }
    fn check(&self, with: &Args) -> Result<(), String> {
        check_keys(with, &["id", "regions", "admin"], &["name", "tier"])
    }
    fn run_inline(&self, cx: &InlineCx<'_>, args: &Args) -> AttemptResult {
        let opts = (|| -> Result<ops::CreateOptions, String> {
            let tier = match text(args, "tier").as_deref() {
                None | Some("") => Tier::Prod,
                Some(t) => t.parse()?,
            };
            Ok(ops::CreateOptions {
                id: text(args, "id").unwrap_or_default(),
                name: text(args, "name").filter(|n| !n.is_empty()),
                tier,
                regions: required_text(args, "regions")?,
                admin: required_text(args, "admin")?,
            })
        })();
        let opts = match opts {
            Ok(o) => o,
            Err(e) => return AttemptResult::failed(e, None),
        };
        let provisioned = opts
            .validate(cx.config)
            .and_then(|p| ops::provision(cx.abac, cx.db, cx.clock, cx.actor, &p));
        match provisioned {
            Ok(t) => AttemptResult::ok(BTreeMap::from([
                ("tenant_id".to_string(), t.id.to_string()),
                ("namespace".to_string(), t.namespace),
            ])),
            Err(TenantError::Authz(crate::authz::AuthzError::Denied(d))) => {
                AttemptResult::denied(d.to_string())
            }
            Err(e) => AttemptResult::failed(e.to_string(), None),
        }
    }
}

/// `tenant.delete`: marks a tenant deleted (soft: data and audit kept), audited.
pub struct TenantDelete;

impl StepKind for TenantDelete {
    fn name(&self) -> &'static str {
        "tenant.delete"
    }
    fn mode(&self) -> Mode {
        Mode::Inline
    }
    fn check(&self, with: &Args) -> Result<(), String> {
        check_keys(with, &["id"], &[])
    }
    fn run_inline(&self, cx: &InlineCx<'_>, args: &Args) -> AttemptResult {
        let id = text(args, "id").unwrap_or_default();
        match ops::soft_delete(cx.abac, cx.db, cx.clock, cx.actor, &id) {
            Ok(t) => AttemptResult::ok(BTreeMap::from([(
                "tenant_id".to_string(),
                t.id.to_string(),
            )])),
            Err(TenantError::Authz(crate::authz::AuthzError::Denied(d))) => {
                AttemptResult::denied(d.to_string())
            }
            Err(e) => AttemptResult::failed(e.to_string(), None),
        }
    }
}
