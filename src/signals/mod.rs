//! Signals: daily commit signals mined from git repositories (Aurelius) and security alerts
//! detected in system logs (Securiteyes).
//!
//! - [`commits`] walks a repository with libgit2; [`classify`] types each commit;
//! - [`mine`] stores what is new per repository/branch, incrementally and idempotently;
//! - [`logs`] scans syslog/auth.log files with the rules of `templates/detections/`;
//! - [`report`] groups stored commits by day, week, repository, author or type.
//!
//! `signals:mine` runs from cron: [`lock`] makes sure two overlapping runs never both mine.

pub mod classify;
pub mod commits;
pub mod detect;
pub mod lock;
pub mod logs;
pub mod report;

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::audit::{self, NewEvent};
use crate::authz::{self, Action};
use crate::context::Context;
use crate::model::ids::{PrincipalId, TenantId};
use crate::model::{Diagnostic, ExitStatus};
use crate::outbox::{self, Queued};
use crate::tenant::{TenantError, ops};
use classify::Classifier;

#[derive(Debug, thiserror::Error)]
pub enum SignalsError {
    #[error(transparent)]
    Tenant(#[from] TenantError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("repository `{path}`: {detail}")]
    Repo { path: String, detail: String },
    #[error(
        "repository `{path}` is already mined for another owner; a repository belongs to one tenant"
    )]
    Owner { path: String },
    #[error("log `{path}`: {detail}")]
    Log { path: String, detail: String },
    #[error("detection rules `{file}`: {detail}")]
    Rules { file: String, detail: String },
    #[error("lock `{}`: {source}", path.display())]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid {what} `{value}`: expected a date such as `2026-11-01`")]
    BadDate { what: &'static str, value: String },
    #[error(
        "nothing to mine: give --repo PATH or --logs FILE, or list repositories in [signals] of maestro.toml"
    )]
    NothingToMine,
}

impl Diagnostic for SignalsError {
    fn exit_status(&self) -> ExitStatus {
        match self {
            SignalsError::Tenant(e) => e.exit_status(),
            _ => ExitStatus::Error,
        }
    }
    fn help(&self) -> Option<String> {
        match self {
            SignalsError::Tenant(e) => e.help(),
            SignalsError::NothingToMine => {
                Some("maestro-cli signals:mine --repo /srv/git/app --tenant acme".into())
            }
            SignalsError::Owner { .. } => Some(
                "mine it with the --tenant it was first mined for, or clone it elsewhere".into(),
            ),
            _ => None,
        }
    }
}

/// Parses a `YYYY-MM-DD` option.
pub fn parse_day(what: &'static str, value: &str) -> Result<jiff::civil::Date, SignalsError> {
    value.parse().map_err(|_| SignalsError::BadDate {
        what,
        value: value.to_string(),
    })
}

/// One repository branch to mine, and who owns it.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    pub branch: Option<String>,
    pub tenant: Option<TenantId>,
}

#[derive(Debug, Clone, Default)]
pub struct MineOptions {
    pub since: Option<jiff::civil::Date>,
    pub stats: bool,
}

/// What mining one repository branch did; `error` is set when it could not be mined.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct RepoOutcome {
    pub repo: String,
    pub branch: Option<String>,
    pub tenant_id: Option<String>,
    /// Commits visited this run.
    pub walked: u64,
    /// Commits stored this run (non-merge, not by a bot, not seen before).
    pub new: u64,
    pub merges: u64,
    pub bots: u64,
    /// Commits of a rewritten history's old branch, removed.
    pub removed: u64,
    pub rewritten: bool,
    pub tip: Option<String>,
    pub error: Option<String>,
}

/// Commits sent from the walking thread to the inserting one at a time.
const BATCH: usize = 1024;

/// Checks that the actor may mine for every owner among `targets`, before anything is read.
pub fn authorize_targets(ctx: &mut Context, tenants: &[Option<TenantId>]) -> anyhow::Result<()> {
    let owners: BTreeSet<Option<&TenantId>> = tenants.iter().map(Option::as_ref).collect();
    for tenant in owners {
        crate::authz::check(ctx, Action::SignalsMine, tenant)?;
        if let Some(t) = tenant {
            let row = ops::load(&ctx.store.read(), t)?;
            if row.status == crate::tenant::TenantStatus::Deleted {
                return Err(TenantError::Deleted(t.clone()).into());
            }
        }
    }
    Ok(())
}

/// Mines every target; a target that fails is reported in its outcome and the others are
/// still mined. Nothing is written for a branch whose tip has not moved.
/// `progress` counts the commits walked, of every target.
pub fn mine(
    ctx: &mut Context,
    targets: &[Target],
    options: &MineOptions,
    progress: &crate::model::progress::Sink,
) -> anyhow::Result<Vec<RepoOutcome>> {
    let tenants: Vec<Option<TenantId>> = targets.iter().map(|t| t.tenant.clone()).collect();
    authorize_targets(ctx, &tenants)?;
    let actor = crate::authz::actor(ctx)?;
    let classifier = Classifier::new(&ctx.config.signals)?;
    let mut outcomes = Vec::new();
    for target in targets {
        let mut outcome = RepoOutcome {
            repo: target.path.display().to_string(),
            branch: target.branch.clone(),
            tenant_id: target.tenant.as_ref().map(|t| t.to_string()),
            ..RepoOutcome::default()
        };
        let mined = mine_one(
            ctx,
            &actor,
            target,
            options,
            &classifier,
            progress,
            &mut outcome,
        );
        if let Err(e) = mined {
            outcome.error = Some(e.to_string());
        }
        outcomes.push(outcome);
    }
    if let Some(p) = progress {
        p.finish();
    }
    Ok(outcomes)
}

fn mine_one(
    ctx: &mut Context,
    actor: &PrincipalId,
    target: &Target,
    options: &MineOptions,
    classifier: &Classifier,
    progress: &crate::model::progress::Sink,
    outcome: &mut RepoOutcome,
) -> Result<(), SignalsError> {
    let opened = commits::open(&target.path, target.branch.as_deref())?;
    outcome.repo = opened.path.clone();
    outcome.branch = Some(opened.branch.clone());
    outcome.tip = Some(opened.tip.to_string());
    let tenant = target.tenant.as_ref();
    let (stored, others) = {
        let db = ctx.store.read();
        let rows = db.signals();
        if let Some(owner) = rows.repo_owner(&opened.path)?
            && owner.as_deref() != tenant.map(TenantId::as_str)
        {
            return Err(SignalsError::Owner { path: opened.path });
        }
        let stored = rows.repo(&opened.path, &opened.branch)?;
        let others = rows.other_tips(&opened.path, stored.as_ref().map_or(-1, |r| r.id))?;
        (stored, others)
    };
    let last = stored.as_ref().and_then(|r| r.tip.clone());
    if last.as_deref() == Some(opened.tip.to_string().as_str()) {
        return Ok(());
    }
    // A force push followed by gc leaves no old tip to compare with: then the commits to drop
    // are the stored ones the new history no longer reaches.
    let old_missing = last
        .as_deref()
        .is_some_and(|l| !commits::has_commit(&opened, l));
    let reachable: HashSet<String> = if old_missing {
        commits::reachable(&opened)?
    } else {
        HashSet::new()
    };
    let judge = commits::Judge {
        classifier,
        since: commits::Judge::since_day(options.since),
    };
    let stats = options.stats;
    let clock = ctx.clock;
    let now = clock.now_rfc3339();
    let tip = opened.tip.to_string();
    let (path, branch) = (opened.path.clone(), opened.branch.clone());
    // The walk (libgit2: inflate, parse) runs on its own thread while this one inserts what
    // it finds, in the one write transaction that also moves the tip and audits the run.
    let (new, removed, walk, counts) = ctx.store.write(
        |db| -> Result<(u64, u64, commits::Walk, Counts), SignalsError> {
            let rows = db.signals();
            // Another run may have mined this branch since it was read: then there is nothing to do.
            let current = rows.repo(&path, &branch)?;
            if current.as_ref().and_then(|r| r.tip.clone()) != last {
                return Ok((0, 0, commits::Walk::default(), Counts::default()));
            }
            authz::authorize(&ctx.abac, db, &clock, actor, Action::SignalsMine, tenant)?;
            let repo_id = match current {
                Some(r) => r.id,
                None => rows.insert_repo(&path, &branch, tenant)?,
            };
            let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<commits::Found>>(8);
            let mut counts = Counts::default();
            let walked = std::thread::scope(|scope| {
                // libgit2 on this thread (read, inflate, follow parents); parsing, classifying
                // and inserting on the other.
                let walker = scope.spawn(move || {
                    let mut batch = Vec::with_capacity(BATCH);
                    let mut sink = |found| {
                        batch.push(found);
                        if batch.len() < BATCH {
                            return true;
                        }
                        sender.send(std::mem::take(&mut batch)).is_ok()
                    };
                    let walk = commits::walk(&opened, last.as_deref(), &others, stats, &mut sink);
                    if !batch.is_empty() {
                        let _ = sender.send(batch);
                    }
                    walk
                });
                let stored = store_found(
                    &rows,
                    &judge,
                    tenant,
                    repo_id,
                    &batches,
                    progress,
                    &mut counts,
                );
                drop(batches);
                let walked = walker.join().unwrap_or_else(|_| {
                    Err(SignalsError::Repo {
                        path: path.clone(),
                        detail: "the history walk panicked".into(),
                    })
                });
                stored.map_err(|detail| SignalsError::Repo {
                    path: path.clone(),
                    detail,
                })?;
                walked
            })?;
            let new = counts.new;
            let dropped: Vec<String> = if old_missing {
                rows.commit_oids(repo_id)?
                    .into_iter()
                    .filter(|o| !reachable.contains(o))
                    .collect()
            } else {
                walked.dropped.clone()
            };
            let removed = rows.delete_commits(tenant, repo_id, &dropped)? as u64;
            rows.set_tip(repo_id, &tip, &now)?;
            if new > 0 || removed > 0 {
                queue_commit_days(db, repo_id, &path, tenant, &now)?;
                crate::metrics::refresh(db, &clock, tenant.map(TenantId::as_str))?;
            }
            audit::append(
                db,
                &clock,
                NewEvent {
                    actor: actor.clone(),
                    tenant_id: tenant.cloned(),
                    action: "signals.mine",
                    target: format!("{path}#{branch}"),
                    details: serde_json::json!({
                        "walked": walked.walked,
                        "new": new,
                        "removed": removed,
                        "rewritten": walked.rewritten,
                        "tip": tip,
                    }),
                },
            )?;
            Ok((new, removed, walked, counts))
        },
    )?;
    outcome.walked = walk.walked;
    outcome.merges = counts.merges;
    outcome.bots = counts.bots;
    outcome.rewritten = walk.rewritten;
    outcome.new = new;
    outcome.removed = removed;
    Ok(())
}

/// For IntelGraph: a `commits` outbox row for each day of the repository whose counts
/// changed since the last row queued for it.
fn queue_commit_days(
    db: &crate::store::Db<'_>,
    repo_id: i64,
    path: &str,
    tenant: Option<&TenantId>,
    now: &str,
) -> Result<(), crate::store::StoreError> {
    let prefix = format!("commits:{repo_id}:");
    let mut last: std::collections::HashMap<String, (i64, i64)> = Default::default();
    for payload in db.outbox().payloads("commits", &prefix)? {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&payload) {
            let day = v["day"].as_str().unwrap_or_default().to_string();
            last.insert(
                day,
                (
                    v["commits"].as_i64().unwrap_or(-1),
                    v["authors"].as_i64().unwrap_or(-1),
                ),
            );
        }
    }
    let mut days = db.signals().daily_counts(repo_id)?;
    // A day whose every commit a rewrite removed now counts none.
    for (day, counts) in &last {
        if *counts != (0, 0) && !days.iter().any(|(d, ..)| d == day) {
            days.push((day.clone(), 0, 0));
        }
    }
    days.sort();
    for (day, commits, authors) in days {
        if last.get(&day) == Some(&(commits, authors)) {
            continue;
        }
        let payload = serde_json::json!({
            "repo": path, "day": day, "commits": commits, "authors": authors,
            "tenant_id": tenant.map(TenantId::as_str),
        });
        let row = Queued {
            kind: "commits",
            tenant_id: tenant.map(TenantId::as_str),
            key: format!("{prefix}{day}:{commits}:{authors}:{now}"),
            payload: payload.to_string(),
        };
        outbox::enqueue_at(db, &row, now)?;
    }
    Ok(())
}

/// What the inserting side counted.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    new: u64,
    merges: u64,
    bots: u64,
    old: u64,
}

/// Judges and stores every commit the walker sends; stops at the first failure (the walker
/// then stops too, its channel closed).
fn store_found(
    rows: &crate::store::SignalRows<'_>,
    judge: &commits::Judge<'_>,
    tenant: Option<&TenantId>,
    repo_id: i64,
    batches: &std::sync::mpsc::Receiver<Vec<commits::Found>>,
    progress: &crate::model::progress::Sink,
    counts: &mut Counts,
) -> Result<(), String> {
    for batch in batches {
        if let Some(p) = progress {
            p.advance(batch.len() as u64);
        }
        for found in batch {
            match judge.judge(found)? {
                commits::Verdict::Merge => counts.merges += 1,
                commits::Verdict::Bot => counts.bots += 1,
                commits::Verdict::Old => counts.old += 1,
                commits::Verdict::Keep(row) => {
                    let fresh = rows
                        .insert_commit(tenant, repo_id, &row)
                        .map_err(|e| e.to_string())?;
                    counts.new += u64::from(fresh);
                }
            }
        }
    }
    Ok(())
}

/// An authorization refusal, reported as the tenant operations report it.
impl From<crate::authz::AuthzError> for SignalsError {
    fn from(e: crate::authz::AuthzError) -> Self {
        SignalsError::Tenant(crate::tenant::TenantError::Authz(e))
    }
}
