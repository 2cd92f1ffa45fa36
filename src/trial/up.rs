//! `trial:up`: the steps that stand the environment up, each skipped when its result exists.

use std::path::Path;

use super::files::{context, prepare};
use super::samples::{trial_cost, trial_signals};
use super::{
    ADMIN, OPERATOR, TrialDeny, TrialDeploy, TrialError, TrialPack, TrialSummary, TrialTenant, step,
};
use crate::context::Context;
use crate::flow::{self, FlowError, StartOptions, catalog};
use crate::model::clock::Clock;
use crate::model::ids::{PrincipalId, TenantId};
use crate::pack;
use crate::tenant::{Tier, ops, users};

/// (tenant, tier, regions, cluster it deploys to)
const TENANTS: &[(&str, Tier, &str, &str)] = &[
    ("trial-dev", Tier::Dev, "*", "trial-us"),
    ("trial-prod", Tier::Prod, "eu-west-1", "trial-eu"),
];

/// The staged deny: `trial-prod` (allowed: eu-west-1) into the cluster in us-east-1.
const DENY: (&str, &str) = ("trial-prod", "trial-us");

pub fn up(dir: &Path, name: &str, clock: Clock) -> Result<TrialSummary, TrialError> {
    step("prepare", prepare(dir, name))?;
    let mut ctx = step("open", context(dir, clock, ADMIN))?;
    step("platform admin", users::init(&mut ctx))?;
    for (id, tier, regions, _) in TENANTS {
        let tid = step("tenants", TenantId::parse(id))?;
        if step("tenants", ctx.store.read().tenants().get(&tid))?.is_none() {
            let opts = ops::CreateOptions {
                id: id.to_string(),
                name: None,
                tier: *tier,
                regions: regions.to_string(),
                admin: OPERATOR.into(),
            };
            step("tenants", crate::ops::tenant::create(&mut ctx, &opts))?;
        }
    }
    // The operator holds tenant-admin of the two trial tenants and nothing else.
    ctx.actor = Some(step("operator", PrincipalId::parse(OPERATOR))?);
    let mut deployments = Vec::new();
    for (id, _, _, cluster) in TENANTS {
        let existing = step("deploys", ctx.store.read().flows().deployments(Some(id)))?;
        if !existing
            .iter()
            .any(|d| d.service == "web" && d.cluster == *cluster)
        {
            step("deploys", deploy(&mut ctx, id, cluster))?
                .into_result()
                .map_err(|e| TrialError {
                    step: "deploys",
                    source: e.into(),
                })?;
        }
        let region = ctx
            .config
            .platform
            .clusters
            .get(*cluster)
            .map(|c| c.region.get_ref().clone())
            .unwrap_or_default();
        deployments.push(TrialDeploy {
            tenant: id.to_string(),
            cluster: cluster.to_string(),
            region,
            outcome: "deployed".into(),
        });
    }
    let deny = step("deny demo", staged_deny(&mut ctx))?;
    let signals = step("signals", trial_signals(&mut ctx, dir))?;
    let cost = step("cost", trial_cost(&mut ctx, dir))?;
    let keys = dir.join("keys");
    if !keys.join("maestro-pack.key").exists() {
        step("signing key", pack::keys::keygen(&keys, None))?;
    }
    // The log's key and a checkpoint of everything so far: a pack proves its events in it.
    let log_key = keys.join(crate::audit::checkpoint::SECRET_FILE);
    if !log_key.exists() {
        step(
            "log key",
            crate::audit::checkpoint::keygen(&keys, "trial.example/maestro/audit"),
        )?;
    }
    let log_key = step("checkpoint", crate::audit::checkpoint::load_key(&log_key))?;
    let clock = ctx.clock;
    step(
        "checkpoint",
        ctx.store
            .write(|db| crate::audit::proofs::sign(db, &clock, &log_key)),
    )?;
    let mut packs = Vec::new();
    std::fs::create_dir_all(dir.join("packs")).map_err(|e| TrialError {
        step: "packs",
        source: e.into(),
    })?;
    for (id, _, _, _) in TENANTS {
        let path = dir.join("packs").join(format!("{id}.tar.gz"));
        // Packs are deterministic: regenerating one from the same state gives the same bytes.
        let _ = std::fs::remove_file(&path);
        let opts = pack::ExportOptions {
            tenant: id.to_string(),
            from: None,
            to: None,
            key: keys.join("maestro-pack.key"),
            passphrase: None,
            target: pack::Target::Archive(path.clone()),
            generated_at: None,
        };
        step("packs", pack::export(&mut ctx, &opts))?;
        let report = step(
            "packs",
            pack::verify(&path, Some(&keys.join("maestro-pack.pub"))),
        )?;
        if !report.ok {
            return Err(TrialError {
                step: "packs",
                source: anyhow::anyhow!(
                    "pack of `{id}` does not verify: {}",
                    report.problems.join("; ")
                ),
            });
        }
        packs.push(TrialPack {
            tenant: id.to_string(),
            path: path.display().to_string(),
            verified: true,
        });
    }
    let mut tenants = Vec::new();
    for (id, _, _, _) in TENANTS {
        let t = step(
            "summary",
            ops::load(
                &ctx.store.read(),
                &TenantId::parse(id)
                    .map_err(crate::tenant::TenantError::from)
                    .map_err(|e| TrialError {
                        step: "summary",
                        source: e.into(),
                    })?,
            ),
        )?;
        tenants.push(TrialTenant {
            id: t.id.to_string(),
            tier: t.tier.to_string(),
            regions: t.regions.as_strings(),
            admin: t
                .admins
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(","),
            namespace: t.namespace,
        });
    }
    let audit_ok = step("summary", crate::audit::verify(&ctx.store.read()))?.ok;
    let d = dir.display().to_string();
    Ok(TrialSummary {
        product: ctx.config.branding.short().to_string(),
        support: ctx.config.branding.support_contact.clone(),
        name: name.to_string(),
        dir: d.clone(),
        config: dir.join("maestro.toml").display().to_string(),
        state: dir.join("state.db").display().to_string(),
        platform_admin: ADMIN.into(),
        operator: OPERATOR.into(),
        tenants,
        deployments,
        deny,
        signals,
        cost,
        packs,
        public_key: keys.join("maestro-pack.pub").display().to_string(),
        audit_ok,
        next: vec![
            format!(
                "export MAESTRO_CONFIG={d}/maestro.toml MAESTRO_STATE={d}/state.db MAESTRO_ACTOR={OPERATOR}"
            ),
            "maestro-cli tenant:list".into(),
            "maestro-cli policy:log --decision deny".into(),
            "maestro-cli signals:report --tenant trial-prod".into(),
            "maestro-cli cost:report --from 2026-11-01 --to 2026-11-30 --tenant trial-prod".into(),
            "maestro-cli perf:check --tenant trial-prod".into(),
            format!(
                "maestro-cli pack:verify {d}/packs/trial-prod.tar.gz --pubkey {d}/keys/maestro-pack.pub"
            ),
            format!("maestro-cli trial:down --dir {d}"),
        ],
    })
}

fn deploy(ctx: &mut Context, tenant: &str, cluster: &str) -> Result<flow::RunReport, FlowError> {
    let params = [
        ("service", "web"),
        ("version", "1.0.0"),
        ("env", "trial"),
        ("cluster", cluster),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    flow::start(
        ctx,
        StartOptions {
            flow: catalog::builtin("deploy")?,
            params,
            tenant: Some(tenant.into()),
            jobs: 2,
            templates: vec![],
            parent: None,
        },
        &mut |_| {},
    )
}

/// Runs the forbidden deploy once; afterwards reports the logged denial.
fn staged_deny(ctx: &mut Context) -> anyhow::Result<TrialDeny> {
    let (tenant, cluster) = DENY;
    let find = |ctx: &Context| -> anyhow::Result<Option<crate::store::DecisionRow>> {
        Ok(ctx
            .store
            .read()
            .decisions()
            .list(Some(&[tenant.to_string()]), Some(false), None)?
            .into_iter()
            .find(|d| {
                d.query == "data.maestro.residency"
                    && d.input.get("cluster").and_then(|c| c.as_str()) == Some(cluster)
            }))
    };
    if find(ctx)?.is_none() {
        let report = deploy(ctx, tenant, cluster)?;
        if report.status == "succeeded" || !report.denied {
            anyhow::bail!(
                "the deploy of `{tenant}` into `{cluster}` was not denied: {:?}",
                report.error
            );
        }
    }
    let d = find(ctx)?.ok_or_else(|| anyhow::anyhow!("the denial of `{tenant}` was not logged"))?;
    let message = d.deny_text();
    Ok(TrialDeny {
        tenant: tenant.into(),
        cluster: cluster.into(),
        message,
        decision_id: d.id,
    })
}
