//! `audit:log`, `audit:verify`, and the log's Merkle tree: `audit:keygen`,
//! `audit:checkpoint`, `audit:prove`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use super::output::Table;
use crate::audit::{self, AuditError};
use crate::model::ExitStatus;
use crate::ops::audit::LogOptions;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// List audit events (those of the actor's tenants unless platform admin)
    #[command(
        name = "audit:log",
        after_help = "Examples:\n  maestro-cli audit:log --tenant acme --since 2026-11-01\n  maestro-cli audit:log --since 24h --output json"
    )]
    Log(LogArgs),
    /// Recompute the audit hash chain (and, with --checkpoint, the log against a checkpoint kept elsewhere); exit 4 naming the first bad event
    #[command(
        name = "audit:verify",
        after_help = "Examples:\n  maestro-cli audit:verify --output json\n  maestro-cli audit:verify --checkpoint checkpoint-from-siem.txt --pubkey keys/maestro-log.pub"
    )]
    Verify(VerifyArgs),
    /// Make the log's signing key pair (the signer key file is 0600; it is not the pack key)
    #[command(
        name = "audit:keygen",
        after_help = "Example:\n  maestro-cli audit:keygen --origin example.com/companyos/audit --dir /etc/maestro/log-key"
    )]
    Keygen(KeygenArgs),
    /// Sign a checkpoint of the log's Merkle tree and queue it for the witnesses (SIEM, syslog, webhooks)
    #[command(
        name = "audit:checkpoint",
        after_help = "Examples:\n  maestro-cli audit:checkpoint --key /etc/maestro/log-key/maestro-log.key\n  # hourly, as the log's one signer (cron):\n  0 * * * * maestro-cli audit:checkpoint --key /etc/maestro/log-key/maestro-log.key -q && maestro-cli sync -q"
    )]
    Checkpoint(CheckpointArgs),
    /// Print an event's inclusion proof against the newest checkpoint that covers it
    #[command(
        name = "audit:prove",
        after_help = "Example:\n  maestro-cli audit:prove --seq 42 --output json"
    )]
    Prove(ProveArgs),
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A signed checkpoint kept outside the state (from a witness): the log must extend it
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// The log's verifier key (from audit:keygen), to check the checkpoint's signature
    #[arg(long, value_name = "FILE", requires = "checkpoint")]
    pub pubkey: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write maestro-log.key and maestro-log.pub
    #[arg(long, default_value = "keys")]
    pub dir: PathBuf,
    /// The log's name: every checkpoint's first line (a schema-less URL, no spaces)
    #[arg(long, default_value = "maestro.local/audit")]
    pub origin: String,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct CheckpointArgs {
    /// The log's signer key (from audit:keygen)
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// Also write the signed note to this file
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct ProveArgs {
    /// The event's sequence number (first column of audit:log)
    #[arg(long)]
    pub seq: i64,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only events of this tenant
    #[arg(long)]
    pub tenant: Option<String>,
    /// Only events since a date (`2026-11-01`), an instant (RFC 3339) or an age (`36h`, `7d`, `1d12h`)
    #[arg(long)]
    pub since: Option<String>,
    /// At most this many events, the most recent
    #[arg(long, short = 'n')]
    pub limit: Option<u64>,
}

impl AuditCommand {
    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        match self {
            AuditCommand::Keygen(a) => return keygen(a, settings),
            AuditCommand::Checkpoint(a) if dry_run::wanted(a.dry_run, settings) => {
                return dry_run::rehearse(settings, |s| AuditCommand::Checkpoint(a).run(s));
            }
            AuditCommand::Checkpoint(a) => return checkpoint(a, settings),
            _ => {}
        }
        let mut ctx = settings.read_context()?;
        let printer = settings.printer;
        match self {
            AuditCommand::Keygen(_) | AuditCommand::Checkpoint(_) => Ok(ExitStatus::Ok),
            AuditCommand::Prove(a) => {
                let r = crate::ops::audit::prove(&mut ctx, a.seq)?;
                printer.data(&r, || {
                    Table::record(vec![
                        ("seq", r.seq.to_string()),
                        ("tree_size", r.tree_size.to_string()),
                        ("leaf", r.leaf.clone()),
                        ("root", r.root.clone()),
                        ("proof", r.proof.join(" ")),
                        (
                            "checkpoint",
                            if r.checkpoint.is_some() {
                                "signed"
                            } else {
                                "none yet: run `maestro-cli audit:checkpoint`"
                            }
                            .into(),
                        ),
                    ])
                })?;
                Ok(ExitStatus::Ok)
            }
            AuditCommand::Log(a) => {
                let events = crate::ops::audit::log(
                    &mut ctx,
                    &LogOptions {
                        tenant: a.tenant.as_deref(),
                        since: a.since.as_deref(),
                        limit: a.limit,
                    },
                )?;
                printer.data(&events, || {
                    let mut t = Table::new(vec![
                        "seq", "at", "actor", "tenant", "action", "target", "details",
                    ]);
                    for e in &events {
                        t.push(vec![
                            e.seq.to_string(),
                            e.at.clone(),
                            e.actor.clone(),
                            e.tenant_id.clone().unwrap_or_else(|| "-".into()),
                            e.action.clone(),
                            e.target.clone(),
                            crate::model::audit::canonical_json(&e.details),
                        ]);
                    }
                    t
                })?;
                Ok(ExitStatus::Ok)
            }
            AuditCommand::Verify(a) => {
                let mut report = audit::verify(&ctx.store.read()).map_err(AuditError::from)?;
                if let Some(path) = &a.checkpoint {
                    let note = std::fs::read_to_string(path)
                        .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", path.display()))?;
                    let verifier = a
                        .pubkey
                        .as_deref()
                        .map(audit::checkpoint::load_verifier)
                        .transpose()?;
                    report.checkpoint = Some(audit::proofs::check(
                        &ctx.store.read(),
                        &note,
                        verifier.as_ref(),
                    )?);
                }
                if !printer.format.is_table() || !printer.quiet {
                    printer.data(&report, || {
                        let mut t = Table::record(vec![
                            ("ok", report.ok.to_string()),
                            ("events", report.events.to_string()),
                            ("head", report.head.clone().unwrap_or_else(|| "-".into())),
                            (
                                "first_bad_seq",
                                report
                                    .first_bad
                                    .as_ref()
                                    .map_or("-".into(), |b| b.seq.to_string()),
                            ),
                            (
                                "problem",
                                report
                                    .first_bad
                                    .as_ref()
                                    .map_or("-".into(), |b| b.problem.clone()),
                            ),
                        ]);
                        if let Some(c) = &report.checkpoint {
                            t.headers.push("checkpoint");
                            t.rows[0].push(if c.ok {
                                format!(
                                    "the log extends it ({} of {} events; signature {})",
                                    c.checkpoint_size, c.log_size, c.signature
                                )
                            } else {
                                c.problem.clone().unwrap_or_default()
                            });
                        }
                        t
                    })?;
                }
                let mut status = ExitStatus::Ok;
                if let Some(bad) = &report.first_bad {
                    super::output::report_problem(&format!(
                        "audit chain broken at event {}: {}",
                        bad.seq, bad.problem
                    ));
                    status = ExitStatus::Problems;
                }
                if let Some(c) = report.checkpoint.as_ref().filter(|c| !c.ok) {
                    super::output::report_problem(&format!(
                        "the log does not extend the checkpoint of {} events: {}",
                        c.checkpoint_size,
                        c.problem.as_deref().unwrap_or("")
                    ));
                    status = ExitStatus::Problems;
                }
                Ok(status)
            }
        }
    }
}

fn keygen(a: KeygenArgs, settings: &Settings) -> anyhow::Result<ExitStatus> {
    if dry_run::wanted(a.dry_run, settings) {
        for name in [
            audit::checkpoint::SECRET_FILE,
            audit::checkpoint::PUBLIC_FILE,
        ] {
            if a.dir.join(name).exists() {
                anyhow::bail!(
                    "`{}` exists: a log key is never overwritten",
                    a.dir.join(name).display()
                );
            }
        }
        let real = a.dir.clone();
        return dry_run::rehearse_files(
            settings,
            &real,
            "nothing was written to",
            |s, stand_in| {
                keygen(
                    KeygenArgs {
                        dir: stand_in.to_path_buf(),
                        ..a
                    },
                    s,
                )
            },
        );
    }
    let (secret, public, verifier) = audit::checkpoint::keygen(&a.dir, &a.origin)?;
    let printer = settings.printer;
    let keys = audit::checkpoint::KeyReport {
        origin: verifier.name.clone(),
        key_id: verifier.id_hex(),
        verifier_key: verifier.text().trim_end().to_string(),
        secret_key: secret.display().to_string(),
        public_key: public.display().to_string(),
    };
    if !(printer.quiet && printer.format.is_table()) {
        printer.data(&keys, || {
            Table::record(vec![
                ("secret_key", keys.secret_key.clone()),
                ("public_key", keys.public_key.clone()),
                ("verifier_key", keys.verifier_key.clone()),
            ])
        })?;
    }
    printer.note("keep the signer key with the log's one signer (a cron job or service account); give the verifier key to whoever checks the log");
    Ok(ExitStatus::Ok)
}

fn checkpoint(a: CheckpointArgs, settings: &Settings) -> anyhow::Result<ExitStatus> {
    let mut ctx = settings.context()?;
    let r = crate::ops::audit::checkpoint(&mut ctx, &a.key)?;
    if let Some(out) = &a.out {
        std::fs::write(out, &r.note)
            .map_err(|e| anyhow::anyhow!("cannot write `{}`: {e}", out.display()))?;
    }
    let printer = settings.printer;
    printer.note(&if r.new {
        format!(
            "signed the checkpoint of {} events; `maestro-cli sync` sends it to the witnesses",
            r.size
        )
    } else {
        format!(
            "the checkpoint of {} events already covers the whole log",
            r.size
        )
    });
    if !(printer.quiet && printer.format.is_table()) {
        printer.data(&r, || {
            Table::record(vec![
                ("origin", r.origin.clone()),
                ("size", r.size.to_string()),
                ("root", r.root.clone()),
                ("key_id", r.key_id.clone()),
                ("at", r.at.clone()),
                ("new", r.new.to_string()),
            ])
        })?;
    }
    Ok(ExitStatus::Ok)
}
