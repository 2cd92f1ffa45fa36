//! Tenant operations. Each mutation runs in one `BEGIN IMMEDIATE` transaction together with
//! its authorization check and its audit event; a denial rolls the transaction back and is
//! then recorded on its own.

use serde_json::json;

use super::{Boundary, Regions, Role, Tenant, TenantError, TenantStatus, Tier, boundary};
use crate::audit::{self, NewEvent};
use crate::authz::{self, Action, guarded_read, guarded_write, record_denial};
use crate::context::Context;
use crate::model::ids::{PrincipalId, RegionId, TenantId};
use crate::policy::LazyGovernance;
use crate::store::Db;

#[derive(Debug, Clone)]
pub struct CreateOptions {
    /// Raw, validated here before it touches anything.
    pub id: String,
    /// Display name; the id when absent.
    pub name: Option<String>,
    pub tier: Tier,
    /// Comma-separated region ids, or `*` (dev tier).
    pub regions: String,
    /// The tenant's first admin.
    pub admin: String,
}

#[derive(Debug, Clone, Default)]
pub struct UpdateOptions {
    pub id: String,
    pub name: Option<String>,
    pub tier: Option<Tier>,
    pub regions: Option<String>,
}

/// A tenant creation whose values have been validated.
#[derive(Debug, Clone)]
pub struct Provision {
    pub id: TenantId,
    pub name: String,
    pub tier: Tier,
    pub regions: Regions,
    pub admin: PrincipalId,
}

impl CreateOptions {
    /// Checks every value before anything is touched.
    pub fn validate(&self, config: &crate::config::Config) -> Result<Provision, TenantError> {
        Ok(Provision {
            id: TenantId::parse(&self.id)?,
            name: validate_name(self.name.as_deref().unwrap_or(&self.id))?,
            regions: parse_regions_with(config, &self.regions, self.tier)?,
            tier: self.tier,
            admin: PrincipalId::parse(&self.admin)?,
        })
    }
}

/// Everything a tenant creation checks before it writes (values, authorization, the id being free),
/// without writing anything but a denial. Used before a `new-tenant` flow run starts, so a
/// refused creation leaves no run behind.
pub fn preflight_create(ctx: &mut Context, opts: &CreateOptions) -> Result<Provision, TenantError> {
    let p = opts.validate(&ctx.config)?;
    let actor = crate::authz::actor(ctx)?;
    let db = ctx.store.read();
    let first = db.principals().count()? == 0;
    let bindings = db.principals().roles_of(&actor)?;
    if !first
        && let Err(denied) = authz::decide(
            &ctx.abac,
            &db,
            &actor,
            &bindings,
            Action::TenantCreate,
            Some(&p.id),
        )
    {
        return Err(record_denial(ctx, denied).into());
    }
    if ctx.store.read().tenants().get(&p.id)?.is_some() {
        return Err(TenantError::Exists(p.id));
    }
    Ok(p)
}

/// Inserts the tenant, its admin binding and its boundary, and appends `tenant.create`.
/// Call inside a write transaction (the run that calls it bootstrapped a new state).
pub fn provision(
    abac: &LazyGovernance,
    db: &Db<'_>,
    clock: &crate::model::clock::Clock,
    actor: &PrincipalId,
    p: &Provision,
) -> Result<Tenant, TenantError> {
    let now = clock.now_rfc3339();
    authz::authorize(abac, db, clock, actor, Action::TenantCreate, Some(&p.id))?;
    if db.tenants().get(&p.id)?.is_some() {
        return Err(TenantError::Exists(p.id.clone()));
    }
    let tenant = Tenant {
        namespace: boundary::namespace_for(&p.id),
        id: p.id.clone(),
        name: p.name.clone(),
        tier: p.tier,
        regions: p.regions.clone(),
        status: TenantStatus::Active,
        admins: vec![],
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    db.tenants().insert(&tenant)?;
    db.principals().ensure(&p.admin, &now)?;
    db.principals()
        .bind(&p.admin, Role::TenantAdmin, Some(&p.id), &now)?;
    let boundary = refresh_boundary(db, &p.id, &now)?;
    audit::append(
        db,
        clock,
        NewEvent {
            actor: actor.clone(),
            tenant_id: Some(p.id.clone()),
            action: "tenant.create",
            target: format!("tenant/{}", p.id),
            details: json!({
                "name": tenant.name,
                "tier": tenant.tier,
                "regions": tenant.regions,
                "namespace": tenant.namespace,
                "admin": p.admin,
                "manifests_sha256": boundary.sha256,
            }),
        },
    )?;
    load(db, &p.id)
}

/// Changes name, tier and/or regions; the audit event holds old and new values.
pub fn update(ctx: &mut Context, opts: &UpdateOptions) -> Result<Tenant, TenantError> {
    let id = TenantId::parse(&opts.id)?;
    if opts.name.is_none() && opts.tier.is_none() && opts.regions.is_none() {
        return Err(TenantError::NothingToUpdate);
    }
    let name = opts.name.as_deref().map(validate_name).transpose()?;
    let now = ctx.clock.now_rfc3339();
    let clock = ctx.clock;
    let config = ctx.config.clone();
    guarded_write(ctx, Action::TenantUpdate, Some(&id), |db, actor| {
        let old = load(db, &id)?;
        if old.status == TenantStatus::Deleted {
            return Err(TenantError::Deleted(id.clone()));
        }
        let tier = opts.tier.unwrap_or(old.tier);
        let regions = match &opts.regions {
            Some(raw) => parse_regions_with(&config, raw, tier)?,
            None if tier == Tier::Prod && old.regions == Regions::Any => {
                return Err(TenantError::BadRegions {
                    value: "*".into(),
                    reason:
                        "a prod tenant needs an explicit allowlist; pass --regions with --tier prod"
                            .into(),
                });
            }
            None => old.regions.clone(),
        };
        let mut new = old.clone();
        new.name = name.clone().unwrap_or_else(|| old.name.clone());
        new.tier = tier;
        new.regions = regions;
        new.updated_at = now.clone();
        let mut changes = serde_json::Map::new();
        if new.name != old.name {
            changes.insert("name".into(), json!({"old": old.name, "new": new.name}));
        }
        if new.tier != old.tier {
            changes.insert("tier".into(), json!({"old": old.tier, "new": new.tier}));
        }
        if new.regions != old.regions {
            changes.insert(
                "regions".into(),
                json!({"old": old.regions, "new": new.regions}),
            );
        }
        if changes.is_empty() {
            return Ok(old);
        }
        db.tenants().update(&new)?;
        let boundary = refresh_boundary(db, &id, &now)?;
        changes.insert("manifests_sha256".into(), json!(boundary.sha256));
        audit::append(
            db,
            &clock,
            NewEvent {
                actor: actor.clone(),
                tenant_id: Some(id.clone()),
                action: "tenant.update",
                target: format!("tenant/{id}"),
                details: serde_json::Value::Object(changes),
            },
        )?;
        load(db, &id)
    })
}

/// Soft delete: the status becomes `deleted`, audited; every row is kept.
pub fn delete(ctx: &mut Context, id: &str) -> Result<Tenant, TenantError> {
    let id = TenantId::parse(id)?;
    let (clock, abac) = (ctx.clock, ctx.abac.clone());
    guarded_write(ctx, Action::TenantDelete, Some(&id), |db, actor| {
        soft_delete(&abac, db, &clock, actor, id.as_str())
    })
}

/// The delete itself, authorized here too. Call inside a write transaction.
pub fn soft_delete(
    abac: &LazyGovernance,
    db: &Db<'_>,
    clock: &crate::model::clock::Clock,
    actor: &PrincipalId,
    id: &str,
) -> Result<Tenant, TenantError> {
    let id = TenantId::parse(id)?;
    authz::authorize(abac, db, clock, actor, Action::TenantDelete, Some(&id))?;
    let mut tenant = load(db, &id)?;
    if tenant.status == TenantStatus::Deleted {
        return Err(TenantError::Deleted(id.clone()));
    }
    tenant.status = TenantStatus::Deleted;
    tenant.updated_at = clock.now_rfc3339();
    db.tenants().update(&tenant)?;
    audit::append(
        db,
        clock,
        NewEvent {
            actor: actor.clone(),
            tenant_id: Some(id.clone()),
            action: "tenant.delete",
            target: format!("tenant/{id}"),
            details: json!({"status": {"old": "active", "new": "deleted"}}),
        },
    )?;
    Ok(tenant)
}

pub fn show(ctx: &mut Context, id: &str) -> Result<Tenant, TenantError> {
    let id = TenantId::parse(id)?;
    guarded_read(ctx, Action::TenantRead, Some(&id), |db| load(db, &id))
}

/// The tenant's rendered isolation boundary.
pub fn manifests(ctx: &mut Context, id: &str) -> Result<Boundary, TenantError> {
    let id = TenantId::parse(id)?;
    guarded_read(ctx, Action::TenantRead, Some(&id), |db| {
        load(db, &id)?;
        db.tenants()
            .boundary(&id)?
            .ok_or_else(|| TenantError::NotFound(id.clone()))
    })
}

/// The tenants the actor may see; deleted ones only with `include_deleted`.
pub fn list(ctx: &mut Context, include_deleted: bool) -> Result<Vec<Tenant>, TenantError> {
    let actor = crate::authz::actor(ctx)?;
    let db = ctx.store.read();
    let bindings = db.principals().roles_of(&actor)?;
    if bindings.is_empty()
        && let Err(denied) =
            authz::decide(&ctx.abac, &db, &actor, &bindings, Action::TenantRead, None)
    {
        return Err(record_denial(ctx, denied).into());
    }
    let visible = authz::visible_tenants(&bindings);
    let tenants = db.tenants().list(include_deleted)?;
    Ok(match visible {
        None => tenants,
        Some(ids) => tenants
            .into_iter()
            .filter(|t| ids.contains(&t.id))
            .collect(),
    })
}

pub fn load(db: &Db<'_>, id: &TenantId) -> Result<Tenant, TenantError> {
    db.tenants()
        .get(id)?
        .ok_or_else(|| TenantError::NotFound(id.clone()))
}

/// Renders the tenant's manifests from its stored state and records them.
pub(super) fn refresh_boundary(
    db: &Db<'_>,
    id: &TenantId,
    now: &str,
) -> Result<Boundary, TenantError> {
    let tenant = load(db, id)?;
    let (manifests, sha256) = boundary::render(&tenant)?;
    let b = Boundary {
        tenant_id: id.clone(),
        namespace: tenant.namespace,
        manifests,
        sha256,
        rendered_at: now.to_string(),
    };
    db.tenants().put_boundary(&b)?;
    Ok(b)
}

fn validate_name(name: &str) -> Result<String, TenantError> {
    let trimmed = name.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 200 || trimmed.chars().any(char::is_control)
    {
        return Err(TenantError::BadName(name.to_string()));
    }
    Ok(trimmed.to_string())
}

/// `eu-west-1,eu-central-1` → the list, each in the catalogue, no duplicates;
/// `*` → every region (dev tier only).
fn parse_regions_with(
    config: &crate::config::Config,
    raw: &str,
    tier: Tier,
) -> Result<Regions, TenantError> {
    let bad = |reason: &str| TenantError::BadRegions {
        value: raw.to_string(),
        reason: reason.to_string(),
    };
    if raw.trim() == "*" {
        return match tier {
            Tier::Dev => Ok(Regions::Any),
            Tier::Prod => Err(bad(
                "`*` is for dev tenants; a prod tenant needs an explicit allowlist",
            )),
        };
    }
    let mut list: Vec<RegionId> = Vec::new();
    for part in raw.split(',').map(str::trim) {
        if part.is_empty() {
            return Err(bad("it holds an empty region id"));
        }
        if part == "*" {
            return Err(bad("`*` cannot be combined with other regions"));
        }
        let region = RegionId::parse(part)?;
        if !config.has_region(&region) {
            return Err(TenantError::UnknownRegion {
                region: part.to_string(),
                catalogue: config.region_list(),
            });
        }
        if list.contains(&region) {
            return Err(bad(&format!("`{part}` is listed twice")));
        }
        list.push(region);
    }
    Ok(Regions::Only(list))
}
