//! The sample data and what is made of it: a small generated git repository and an auth log
//! (commit signals and alerts), billing data and request logs (cost per tenant and the
//! performance check).

use std::path::Path;

use super::{ADMIN, TrialCost, TrialSignals};
use crate::context::Context;
use crate::model::ids::{PrincipalId, TenantId};

/// Sample billing data and request logs (see `templates/trial/README.md`).
const FOCUS: &str = include_str!("../../templates/trial/focus.csv");
const REQUESTS: &str = include_str!("../../templates/trial/requests.jsonl");

/// A sample auth log with a root login (scanned by `trial:up`).
const AUTH_LOG: &str = include_str!("../../templates/trial/auth.log");

/// The trial repository's history: (days before now, author, message).
const COMMITS: &[(i64, &str, &str)] = &[
    (3, "Ada Dev <ada@trial.example>", "feat: checkout service"),
    (
        3,
        "Bo Dev <bo@trial.example>",
        "docs: how to run the checkout service",
    ),
    (
        2,
        "Ada Dev <ada@trial.example>",
        "fix(checkout): retry payment once",
    ),
    (
        2,
        "Bo Dev <bo@trial.example>",
        "perf: a novel cache for the price list",
    ),
    (
        1,
        "Ada Dev <ada@trial.example>",
        "refactor: split the checkout handlers",
    ),
    (
        1,
        "dependabot[bot] <bot@trial.example>",
        "build(deps): bump serde",
    ),
];

/// A small git repository of trial-prod's, mined by the operator (its tenant-admin), and the
/// sample auth log, scanned by the platform admin. Both are no-ops the second time.
pub(super) fn trial_signals(ctx: &mut Context, dir: &Path) -> anyhow::Result<TrialSignals> {
    let repo = dir.join("repo");
    if !repo.exists() {
        make_repo(&repo, ctx.clock.now())?;
    }
    let owner = TenantId::parse("trial-prod")?;
    let target = crate::signals::Target {
        path: repo.clone(),
        branch: None,
        tenant: Some(owner.clone()),
    };
    let outcomes = crate::signals::mine(
        ctx,
        &[target],
        &crate::signals::MineOptions::default(),
        &None,
    )?;
    if let Some(error) = outcomes.iter().find_map(|o| o.error.clone()) {
        anyhow::bail!("{error}");
    }
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs)?;
    let auth_log = logs.join("auth.log");
    if !auth_log.exists() {
        std::fs::write(&auth_log, AUTH_LOG)?;
    }
    let year = ctx
        .clock
        .now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .year();
    let (scans, _) = as_admin(ctx, |ctx| {
        crate::signals::logs::scan(
            ctx,
            &[auth_log.display().to_string()],
            &crate::signals::logs::ScanOptions { year: Some(year) },
        )
    })?;
    if let Some(error) = scans.iter().find_map(|s| s.error.clone()) {
        anyhow::bail!("{error}");
    }
    let filter = crate::store::SignalFilter {
        tenants: Some(vec![owner]),
        ..Default::default()
    };
    let db = ctx.store.read();
    let commits = db.signals().report_rows(&filter)?.len() as u64;
    let alerts = db.signals().alerts(&filter, &[])?;
    Ok(TrialSignals {
        repo: repo.display().to_string(),
        commits,
        auth_log: auth_log.display().to_string(),
        alerts: alerts.len() as u64,
        root_logins: alerts.iter().filter(|a| a.rule == "root-login").count() as u64,
    })
}

/// The sample billing data and request logs, ingested by the platform admin; a baseline for
/// trial-prod set by the operator (once); then the cost per tenant and the performance check.
pub(super) fn trial_cost(ctx: &mut Context, dir: &Path) -> anyhow::Result<TrialCost> {
    let data = dir.join("data");
    std::fs::create_dir_all(&data)?;
    let (billing, requests) = (data.join("focus.csv"), data.join("requests.jsonl"));
    for (path, text) in [(&billing, FOCUS), (&requests, REQUESTS)] {
        if !path.exists() {
            std::fs::write(path, text)?;
        }
    }
    let ingested = as_admin(ctx, |ctx| {
        let c = crate::cost::ingest(ctx, &billing, crate::cost::Format::Focus, false, None)?;
        crate::perf::ingest(ctx, &requests, false, None)?;
        Ok(c)
    })?;
    let prod = TenantId::parse("trial-prod")?;
    if ctx
        .store
        .read()
        .perf()
        .baselines(&Some(vec![prod]))?
        .is_empty()
    {
        crate::perf::set_baseline(ctx, "2026-11-01", "2026-11-01", Some("trial-prod"))?;
    }
    // The summary as the platform admin: it shows the unallocated bucket too.
    let (report, check) = as_admin(ctx, cost_and_perf)?;
    Ok(TrialCost {
        billing: billing.display().to_string(),
        rows: ingested.rows,
        unallocated: ingested.unallocated,
        per_tenant: report
            .groups
            .iter()
            .map(|g| (g.key.join(","), g.effective.to_string()))
            .collect(),
        requests: requests.display().to_string(),
        perf_breaches: check.breaches.iter().map(|b| b.describe()).collect(),
    })
}

/// Runs `body` as the trial's platform admin (platform-wide work: log scans, ingests), then
/// gives the context back to whoever acted before, whatever `body` returned.
fn as_admin<T>(
    ctx: &mut Context,
    body: impl FnOnce(&mut Context) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let before = ctx.actor.replace(PrincipalId::parse(ADMIN)?);
    let result = body(ctx);
    ctx.actor = before;
    result
}

/// November's cost per tenant, and the performance check of the last day.
fn cost_and_perf(
    ctx: &mut Context,
) -> anyhow::Result<(crate::cost::CostReport, crate::perf::CheckReport)> {
    let report = crate::cost::report(
        ctx,
        &crate::cost::ReportOptions {
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            by: vec![crate::cost::Dimension::Tenant],
            top: 5,
            tenant: None,
        },
    )?;
    let perf = ctx.config.perf.clone();
    let check = crate::perf::check(
        ctx,
        &crate::perf::CheckOptions {
            phase: perf.phase,
            from: None,
            to: None,
            tenant: None,
            budgets: perf.budgets,
            regression_pct: perf.regression_pct,
            error_regression_pp: perf.error_regression_pp,
        },
    )?;
    Ok((report, check))
}

/// Writes the trial repository with libgit2: one file per commit, dated days before `now`.
fn make_repo(path: &Path, now: jiff::Timestamp) -> anyhow::Result<()> {
    let repo = git2::Repository::init(path)?;
    let mut parent: Option<git2::Oid> = None;
    for (i, (days, author, message)) in COMMITS.iter().enumerate() {
        let (name, email) = author
            .split_once(" <")
            .map(|(n, e)| (n, e.trim_end_matches('>')))
            .unwrap_or((author, ""));
        let at = now.as_second() - days * 86_400 + i as i64 * 600;
        let signature = git2::Signature::new(name, email, &git2::Time::new(at, 0))?;
        let file = format!("change-{i}.txt");
        std::fs::write(path.join(&file), format!("{message}\n"))?;
        let mut index = repo.index()?;
        index.add_path(Path::new(&file))?;
        index.write()?;
        let tree = repo.find_tree(index.write_tree()?)?;
        let parents: Vec<git2::Commit<'_>> = parent
            .map(|p| repo.find_commit(p))
            .transpose()?
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        parent = Some(repo.commit(
            Some("HEAD"),
            &signature,
            &signature,
            message,
            &tree,
            &parents,
        )?);
    }
    Ok(())
}
