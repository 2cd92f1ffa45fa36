//! `sync`: deliver the outbox to each configured adapter, and `status`'s probe of each one.
//! Error texts come out with the adapters' tokens redacted (`outbox::redact`).

use crate::authz::{self, Action};
use crate::config::AdapterConfig;
use crate::context::Context;
use crate::outbox::Secrets;
use crate::outbox::sync::{self, Probe, SyncOutcome};
use crate::store::DeadRow;
use crate::tenant::TenantError;

/// Delivers the pending rows of each configured adapter (or only `only`); with `once`, one
/// batch each (see `outbox::sync::deliver`).
pub fn sync(
    ctx: &mut Context,
    only: Option<&str>,
    pace: sync::Pace,
    progress: &crate::model::progress::Sink,
) -> anyhow::Result<Vec<SyncOutcome>> {
    authz::check(ctx, Action::Sync, None)?;
    let configs = selected(ctx, only)?;
    let secrets = Secrets::from_config(&ctx.config);
    let mut outcomes = Vec::new();
    for config in &configs {
        let mut backend = crate::adapters::backend(config);
        let clock = ctx.clock;
        outcomes.push(sync::deliver(
            &mut ctx.store,
            &clock,
            config,
            backend.as_mut(),
            &secrets,
            pace,
            progress,
        )?);
    }
    if let Some(p) = progress {
        p.finish();
    }
    Ok(outcomes)
}

/// What `sync` would send to each configured adapter (or only `only`), sending nothing.
pub fn preview(
    ctx: &mut Context,
    only: Option<&str>,
    pace: sync::Pace,
) -> anyhow::Result<Vec<sync::SyncPreview>> {
    authz::check(ctx, Action::Sync, None)?;
    let configs = selected(ctx, only)?;
    let mut out = Vec::new();
    for config in &configs {
        out.push(sync::preview(&ctx.store, &ctx.clock, config, pace)?);
    }
    Ok(out)
}

/// The deliveries given up on (`sync:dead`), of one adapter or all; their errors redacted
/// (one recorded by an older version may still hold a token).
pub fn dead(ctx: &mut Context, adapter: Option<&str>) -> Result<Vec<DeadRow>, TenantError> {
    authz::check(ctx, Action::Sync, None)?;
    let secrets = Secrets::from_config(&ctx.config);
    let mut dead = ctx.store.read().outbox().dead(adapter)?;
    for row in &mut dead {
        row.last_error = row
            .last_error
            .take()
            .map(|e| secrets.redact(&e).into_owned());
    }
    Ok(dead)
}

/// Puts a dead delivery back in the queue (`sync:retry`): the number of deliveries requeued.
pub fn retry(ctx: &mut Context, id: i64, adapter: Option<&str>) -> anyhow::Result<usize> {
    authz::check(ctx, Action::Sync, None)?;
    let n = ctx.store.write(|db| db.outbox().requeue(id, adapter))?;
    if n == 0 {
        anyhow::bail!(
            "outbox row {id} is not in the dead letter{}: see `maestro-cli sync:dead`",
            adapter.map(|x| format!(" of `{x}`")).unwrap_or_default()
        );
    }
    Ok(n)
}

/// Probes each configured adapter: whether its server answers, and its queue.
pub fn probe(ctx: &Context) -> Vec<(&AdapterConfig, Probe)> {
    let secrets = Secrets::from_config(&ctx.config);
    ctx.config
        .adapters
        .iter()
        .map(|config| {
            let backend = crate::adapters::backend(config);
            let probe = sync::probe(&ctx.store, config, backend.as_ref(), &secrets);
            (config, probe)
        })
        .collect()
}

/// The configured adapters, or only the one named `only` (which must exist).
fn selected(ctx: &Context, only: Option<&str>) -> anyhow::Result<Vec<AdapterConfig>> {
    let configs: Vec<AdapterConfig> = ctx
        .config
        .adapters
        .iter()
        .filter(|a| only.is_none_or(|n| a.name.get_ref() == n))
        .cloned()
        .collect();
    if let Some(name) = only
        && configs.is_empty()
    {
        anyhow::bail!("no adapter named `{name}` in [[adapters]] of the configuration");
    }
    Ok(configs)
}
