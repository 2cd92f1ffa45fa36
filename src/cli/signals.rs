//! `signals:mine`, `signals:report`, `signals:alerts`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use super::output::{self, OutputFormat, Table};
use crate::model::ExitStatus;
use crate::model::ids::TenantId;
use crate::signals::detect::Level;
use crate::signals::report::{self, GroupBy, ReadOptions};
use crate::signals::{self, MineOptions, SignalsError, Target, lock, logs};

#[derive(Debug, Subcommand)]
pub enum SignalsCommand {
    /// Mine commit signals from git repositories, and security alerts from system logs
    #[command(
        name = "signals:mine",
        long_about = "Mine commit signals from git repositories (new non-merge commits per UTC \
                      day, authors, type, innovation), and with --logs scan syslog/auth.log \
                      files for root logins and brute force. Incremental and idempotent: a \
                      rerun reads only what is new. Safe under cron: a lock keeps two runs from \
                      overlapping (the second exits 0 with a note, or waits with --wait); \
                      --quiet prints nothing on success.",
        after_help = "Examples:\n  maestro-cli signals:mine --repo /srv/git/app --tenant acme --stats\n  maestro-cli signals:mine --quiet            # the repositories in [signals] of maestro.toml\n  maestro-cli signals:mine --logs /var/log/auth.log --logs /var/log/auth.log.2.gz\n  journalctl -o short | maestro-cli signals:mine --logs - --year 2026\n\nCrontab:\n  17 2 * * *  MAESTRO_ACTOR=ops@example.com maestro-cli signals:mine --quiet"
    )]
    Mine(MineArgs),
    /// Commit signals grouped by day, week, repository, author or type
    #[command(
        name = "signals:report",
        after_help = "Examples:\n  maestro-cli signals:report --tenant acme --since 2026-11-01\n  maestro-cli signals:report --by type --output csv"
    )]
    Report(ReportArgs),
    /// Security alerts raised from system logs
    #[command(
        name = "signals:alerts",
        after_help = "Examples:\n  maestro-cli signals:alerts --level high\n  maestro-cli signals:alerts --since 2026-11-24 --output json"
    )]
    Alerts(AlertsArgs),
}

#[derive(Debug, Args)]
pub struct MineArgs {
    /// A repository's working tree (repeatable); default: the repositories in [signals]
    #[arg(long = "repo", value_name = "PATH")]
    pub repos: Vec<PathBuf>,
    /// The tenant owning --repo; with repositories from the config, only that tenant's
    #[arg(long)]
    pub tenant: Option<String>,
    /// Only commits committed on or after this UTC day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Branch or ref to mine [default: the repository's HEAD]
    #[arg(long, value_name = "REF")]
    pub branch: Option<String>,
    /// Also count files and lines changed per commit (slower)
    #[arg(long)]
    pub stats: bool,
    /// A syslog/auth.log file to scan for security signals (repeatable; `-` is stdin, `.gz` is read)
    #[arg(long = "logs", value_name = "FILE")]
    pub logs: Vec<String>,
    /// Year of year-less syslog timestamps [default: from the file's mtime]
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i16>,
    /// Wait for another run to finish instead of exiting
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Group by
    #[arg(long, value_enum, default_value_t = GroupBy::Day)]
    pub by: GroupBy,
    /// Only this tenant's repositories
    #[arg(long)]
    pub tenant: Option<String>,
    /// From this UTC day (inclusive, YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Up to this UTC day (exclusive, YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// Only alerts at or after this day (the log's own time)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only alerts before this day
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only alerts of this level or higher
    #[arg(long, value_enum)]
    pub level: Option<Level>,
    /// Only alerts of this tenant's hosts
    #[arg(long)]
    pub tenant: Option<String>,
}

#[derive(serde::Serialize, schemars::JsonSchema)]
pub(super) struct MineReport<'a> {
    repos: &'a [signals::RepoOutcome],
    logs: &'a [logs::ScanOutcome],
}

impl SignalsCommand {
    fn dry_run(&self) -> DryRunArg {
        match self {
            SignalsCommand::Mine(a) => a.dry_run,
            _ => DryRunArg::default(),
        }
    }

    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        if dry_run::wanted(self.dry_run(), settings) {
            return dry_run::rehearse(settings, |s| self.run(s));
        }
        match self {
            SignalsCommand::Mine(a) => mine(a, settings),
            SignalsCommand::Report(a) => {
                let mut ctx = settings.read_context()?;
                let read = ReadOptions {
                    tenant: a.tenant.as_deref(),
                    since: a.since.as_deref(),
                    until: a.until.as_deref(),
                };
                let groups = report::report(&mut ctx, &read, a.by)?;
                let key = match a.by {
                    GroupBy::Day => "day (UTC)",
                    GroupBy::Week => "week (UTC)",
                    GroupBy::Repo => "repo",
                    GroupBy::Author => "author",
                    GroupBy::Type => "type",
                };
                let opt = |v: Option<i64>| v.map_or("-".into(), |n| n.to_string());
                settings.printer.data(&groups, || {
                    let mut t = Table::new(vec![
                        key,
                        "commits",
                        "authors",
                        "innovations",
                        "files",
                        "+lines",
                        "-lines",
                    ]);
                    for g in &groups {
                        t.push(vec![
                            g.key.clone(),
                            g.commits.to_string(),
                            g.authors.to_string(),
                            g.innovations.to_string(),
                            opt(g.files),
                            opt(g.insertions),
                            opt(g.deletions),
                        ]);
                    }
                    t
                })?;
                Ok(ExitStatus::Ok)
            }
            SignalsCommand::Alerts(a) => {
                let mut ctx = settings.read_context()?;
                let read = ReadOptions {
                    tenant: a.tenant.as_deref(),
                    since: a.since.as_deref(),
                    until: a.until.as_deref(),
                };
                let alerts = report::alerts(&mut ctx, &read, a.level)?;
                let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                settings.printer.data(&alerts, || {
                    let mut t = Table::new(vec![
                        "at", "level", "rule", "host", "user", "src_ip", "count", "tenant", "line",
                    ]);
                    for x in &alerts {
                        t.push(vec![
                            x.at.clone(),
                            x.level.clone(),
                            x.rule.clone(),
                            x.host.clone(),
                            dash(&x.user),
                            dash(&x.src_ip),
                            x.count.to_string(),
                            dash(&x.tenant_id),
                            format!("{}:{}", x.file, x.line),
                        ]);
                    }
                    t
                })?;
                Ok(ExitStatus::Ok)
            }
        }
    }
}

fn mine(a: MineArgs, settings: &Settings) -> anyhow::Result<ExitStatus> {
    let printer = settings.printer;
    let mut ctx = settings.context()?;
    let tenant = a.tenant.as_deref().map(TenantId::parse).transpose()?;
    let options = MineOptions {
        since: a
            .since
            .as_deref()
            .map(|s| signals::parse_day("--since", s))
            .transpose()?,
        stats: a.stats,
    };
    let targets: Vec<Target> = if !a.repos.is_empty() {
        a.repos
            .iter()
            .map(|path| Target {
                path: path.clone(),
                branch: a.branch.clone(),
                tenant: tenant.clone(),
            })
            .collect()
    } else if a.logs.is_empty() {
        let mut targets = Vec::new();
        for repo in &ctx.config.signals.repos {
            let owner = repo
                .tenant
                .as_ref()
                .map(|t| TenantId::parse(t.get_ref()))
                .transpose()?;
            if tenant.is_some() && owner != tenant {
                continue;
            }
            targets.push(Target {
                path: repo.path.clone(),
                branch: a.branch.clone().or_else(|| repo.branch.clone()),
                tenant: owner,
            });
        }
        if targets.is_empty() {
            return Err(SignalsError::NothingToMine.into());
        }
        targets
    } else {
        Vec::new()
    };
    let Some(_lock) = lock::acquire(ctx.store.path(), a.wait)? else {
        printer.note(&format!(
            "note: another signals:mine is running (lock `{}`); nothing done. Pass --wait to wait for it",
            lock::path_for(ctx.store.path()).display()
        ));
        return Ok(ExitStatus::Ok);
    };
    let repos = if targets.is_empty() {
        Vec::new()
    } else {
        signals::mine(
            &mut ctx,
            &targets,
            &options,
            &super::output::count_progress(&printer, "commits"),
        )?
    };
    let (scans, alerts) = if a.logs.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        logs::scan(&mut ctx, &a.logs, &logs::ScanOptions { year: a.year })?
    };
    for alert in &alerts {
        output::alert_line(alert);
    }
    for scan in &scans {
        if let (Some(year), Some(from)) = (scan.year, &scan.year_from) {
            printer.note(&format!(
                "note: `{}` has timestamps without a year: {year} from {from}",
                scan.file
            ));
        }
    }
    let failed: Vec<&String> = repos
        .iter()
        .filter_map(|r| r.error.as_ref())
        .chain(scans.iter().filter_map(|s| s.error.as_ref()))
        .collect();
    if !printer.format.is_table() || !printer.quiet || !failed.is_empty() {
        let report = MineReport {
            repos: &repos,
            logs: &scans,
        };
        printer.data(&report, || mine_table(&repos, &scans))?;
    }
    for error in &failed {
        output::report_error(
            &anyhow::anyhow!("{error}"),
            None,
            1,
            printer.format == OutputFormat::Json,
            false,
        );
    }
    Ok(if failed.is_empty() {
        ExitStatus::Ok
    } else {
        ExitStatus::Error
    })
}

fn mine_table(repos: &[signals::RepoOutcome], scans: &[logs::ScanOutcome]) -> Table {
    let mut t = Table::new(vec![
        "source", "branch", "tenant", "read", "new", "skipped", "alerts", "status",
    ]);
    for r in repos {
        let status = match (&r.error, r.rewritten) {
            (Some(_), _) => "error".to_string(),
            (None, true) => format!("rewritten, {} removed", r.removed),
            (None, false) => "ok".to_string(),
        };
        t.push(vec![
            r.repo.clone(),
            r.branch.clone().unwrap_or_else(|| "-".into()),
            r.tenant_id.clone().unwrap_or_else(|| "-".into()),
            r.walked.to_string(),
            r.new.to_string(),
            format!("{} merges, {} bots", r.merges, r.bots),
            "-".into(),
            status,
        ]);
    }
    for s in scans {
        t.push(vec![
            s.file.clone(),
            "-".into(),
            "-".into(),
            s.lines.to_string(),
            "-".into(),
            format!("{} seen, {} unparsed", s.already_scanned, s.unparsed),
            s.alerts.to_string(),
            if s.error.is_some() { "error" } else { "ok" }.into(),
        ]);
    }
    t
}
