//! `trial:up` / `trial:down`: a self-contained trial environment in one directory — its own
//! configuration, state and signing key; a platform admin and a least-privilege operator; two
//! tenants made by the `new-tenant` flow; a deploy of each into an allowed region and the
//! staged deny of `trial-prod` into a forbidden one; commit signals of a small generated
//! repository and alerts from a sample auth log with a root login; a verified disclosure pack
//! per tenant.
//! Every step is skipped when its result already exists, so running `trial:up` again finishes
//! an interrupted run and leaves a finished one as it was.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Config;
use crate::context::Context;
use crate::flow::{self, FlowError, StartOptions, catalog};
use crate::model::Diagnostic;
use crate::model::clock::Clock;
use crate::model::ids::{PrincipalId, TenantId};
use crate::pack;
use crate::store::Store;
use crate::tenant::{Tier, ops, users};

/// Written into DIR by `trial:up`; `trial:down` removes only a DIR that has it.
pub const MARKER: &str = ".maestro-trial";
pub const ADMIN: &str = "trial-admin@trial.example";
pub const OPERATOR: &str = "operator@trial.example";

const CONFIG: &str = r##"# Written by `maestro-cli trial:up`: a trial platform with two clusters in two regions.
[platform]
name = "CompanyOS trial"

[platform.regions]
eu-west-1 = "Europe (Ireland)"
eu-central-1 = "Europe (Frankfurt)"
us-east-1 = "US East (N. Virginia)"

[platform.clusters]
trial-eu = { region = "eu-west-1" }
trial-us = { region = "us-east-1" }

[branding]
product_name = "CompanyOS Trial"
short_name = "Trial"
primary_color = "#1f6feb"
accent_color = "#8250df"
support_contact = "platform-team@example.com"

# The sample auth log's host belongs to trial-prod: its alerts are that tenant's.
[signals.hosts]
trial-web-1 = "trial-prod"

# Billing rows carry their tenant in the `tenant` tag (the default); budgets warn, not gate.
[perf]
phase = "warn"

[perf.budgets.web]
p95_ms = 200
error_rate_pct = 1.0
"##;

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

/// (tenant, tier, regions, cluster it deploys to)
const TENANTS: &[(&str, Tier, &str, &str)] = &[
    ("trial-dev", Tier::Dev, "*", "trial-us"),
    ("trial-prod", Tier::Prod, "eu-west-1", "trial-eu"),
];

/// The staged deny: `trial-prod` (allowed: eu-west-1) into the cluster in us-east-1.
const DENY: (&str, &str) = ("trial-prod", "trial-us");

#[derive(Debug, thiserror::Error)]
#[error("trial:up stopped at step `{step}`: {source}")]
pub struct TrialError {
    pub step: &'static str,
    #[source]
    pub source: anyhow::Error,
}

impl Diagnostic for TrialError {
    fn help(&self) -> Option<String> {
        Some(
            "fix the cause and run `maestro-cli trial:up` again: it continues where it stopped"
                .into(),
        )
    }
}

fn step<T, E: Into<anyhow::Error>>(step: &'static str, r: Result<T, E>) -> Result<T, TrialError> {
    r.map_err(|e| TrialError {
        step,
        source: e.into(),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct TrialTenant {
    pub id: String,
    pub tier: String,
    pub regions: Vec<String>,
    pub admin: String,
    pub namespace: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrialDeploy {
    pub tenant: String,
    pub cluster: String,
    pub region: String,
    pub outcome: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrialDeny {
    pub tenant: String,
    pub cluster: String,
    pub message: String,
    pub decision_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrialPack {
    pub tenant: String,
    pub path: String,
    pub verified: bool,
}

/// Commit signals of the trial repository and alerts of the sample auth log.
#[derive(Debug, Clone, Serialize)]
pub struct TrialSignals {
    pub repo: String,
    pub commits: u64,
    pub auth_log: String,
    pub alerts: u64,
    pub root_logins: u64,
}

/// Cost per tenant from the sample billing data, and the performance check of the samples.
#[derive(Debug, Clone, Serialize)]
pub struct TrialCost {
    pub billing: String,
    pub rows: u64,
    pub unallocated: u64,
    /// (tenant or `unallocated`, effective cost) for November 2026.
    pub per_tenant: Vec<(String, String)>,
    pub requests: String,
    pub perf_breaches: Vec<String>,
}

/// What exists after `trial:up`, as printed (and with `--output json`).
#[derive(Debug, Clone, Serialize)]
pub struct TrialSummary {
    /// `[branding]` short name (else product name) and support contact, for the banner.
    pub product: String,
    pub support: Option<String>,
    pub name: String,
    pub dir: String,
    pub config: String,
    pub state: String,
    pub platform_admin: String,
    pub operator: String,
    pub tenants: Vec<TrialTenant>,
    pub deployments: Vec<TrialDeploy>,
    pub deny: TrialDeny,
    pub signals: TrialSignals,
    pub cost: TrialCost,
    pub packs: Vec<TrialPack>,
    pub public_key: String,
    pub audit_ok: bool,
    pub next: Vec<String>,
}

fn context(dir: &Path, clock: Clock, actor: &str) -> anyhow::Result<Context> {
    let config = Config::load(&dir.join("maestro.toml"))?;
    crate::policy::abac::install(crate::policy::Bundle::for_config(&config)?);
    Ok(Context {
        store: Store::open(&dir.join("state.db"))?,
        config,
        clock,
        actor: Some(PrincipalId::parse(actor)?),
    })
}

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
            step("tenants", flow::create_tenant(&mut ctx, &opts))?;
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

/// A small git repository of trial-prod's, mined by the operator (its tenant-admin), and the
/// sample auth log, scanned by the platform admin. Both are no-ops the second time.
fn trial_signals(ctx: &mut Context, dir: &Path) -> anyhow::Result<TrialSignals> {
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
    let outcomes = crate::signals::mine(ctx, &[target], &crate::signals::MineOptions::default())?;
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
fn trial_cost(ctx: &mut Context, dir: &Path) -> anyhow::Result<TrialCost> {
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

fn prepare(dir: &Path, name: &str) -> anyhow::Result<()> {
    if dir.exists() && !dir.join(MARKER).exists() && std::fs::read_dir(dir)?.next().is_some() {
        anyhow::bail!(
            "`{}` exists and was not made by trial:up; choose another --dir",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir)?;
    if !dir.join(MARKER).exists() {
        std::fs::write(dir.join(MARKER), format!("{name}\n"))?;
    }
    if !dir.join("maestro.toml").exists() {
        std::fs::write(dir.join("maestro.toml"), CONFIG)?;
    }
    Ok(())
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

/// What `trial:down` removed, written next to DIR before DIR goes.
#[derive(Debug, Clone, Serialize)]
pub struct TeardownRecord {
    pub dir: String,
    pub name: String,
    pub removed: Vec<String>,
    pub tenants: Vec<String>,
    pub final_audit_head: Option<String>,
    pub audit_events: u64,
    pub at: String,
    pub record: String,
}

pub fn down(dir: &Path, clock: Clock) -> Result<TeardownRecord, TrialError> {
    let marker = dir.join(MARKER);
    let name = std::fs::read_to_string(&marker).map_err(|_| TrialError {
        step: "check",
        source: anyhow::anyhow!(
            "`{}` has no {MARKER} marker: trial:down removes only what trial:up made",
            dir.display()
        ),
    })?;
    let (head, events, tenants) = match Store::open(&dir.join("state.db")) {
        Ok(store) => {
            let v = step("record", crate::audit::verify(&store.read()))?;
            let t = step("record", store.read().tenants().list(true))?;
            (
                v.head,
                v.events,
                t.iter().map(|t| t.id.to_string()).collect(),
            )
        }
        Err(_) => (None, 0, vec![]),
    };
    let mut removed: Vec<String> = step("record", std::fs::read_dir(dir))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    removed.sort();
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let file_name = dir
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "maestro-trial".into());
    let record_path = parent.join(format!("{file_name}.teardown.json"));
    let record = TeardownRecord {
        dir: dir.display().to_string(),
        name: name.trim().to_string(),
        removed,
        tenants,
        final_audit_head: head,
        audit_events: events,
        at: clock.now_rfc3339(),
        record: record_path.display().to_string(),
    };
    let text = serde_json::to_string_pretty(&record).unwrap_or_default() + "\n";
    step("record", std::fs::write(&record_path, text))?;
    step("remove", std::fs::remove_dir_all(dir))?;
    Ok(record)
}
