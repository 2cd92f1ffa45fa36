//! `pack:keygen`, `pack:export`, `pack:verify`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use super::output::Table;
use crate::model::ExitStatus;
use crate::pack::{self, ExportOptions, PackError, Target};

#[derive(Debug, Subcommand)]
pub enum PackCommand {
    /// Make a signing key pair in minisign format (the secret key file is 0600)
    #[command(
        name = "pack:keygen",
        after_help = "Examples:\n  maestro-cli pack:keygen --dir keys\n  PACK_PASSPHRASE=... maestro-cli pack:keygen --dir keys --passphrase-env PACK_PASSPHRASE"
    )]
    Keygen(KeygenArgs),
    /// Export a tenant's signed, deterministic disclosure pack
    #[command(
        name = "pack:export",
        after_help = "Example:\n  maestro-cli pack:export --tenant acme --key keys/maestro-pack.key --out acme-pack.tar.gz"
    )]
    Export(ExportArgs),
    /// Check a pack: entries, manifest, signature, audit events; exit 4 listing every problem
    #[command(
        name = "pack:verify",
        after_help = "Example:\n  maestro-cli pack:verify acme-pack.tar.gz --pubkey keys/maestro-pack.pub"
    )]
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write maestro-pack.key and maestro-pack.pub
    #[arg(long, default_value = "keys")]
    pub dir: PathBuf,
    /// The name of an environment variable holding a passphrase for the secret key
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The tenant
    #[arg(long)]
    pub tenant: String,
    /// First day of the period (UTC, inclusive)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of the period (UTC, inclusive)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// The secret key from pack:keygen
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// The name of an environment variable holding the key's passphrase
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
    /// The archive to write [default: pack-<tenant>.tar.gz]
    #[arg(long, value_name = "FILE", conflicts_with = "dir")]
    pub out: Option<PathBuf>,
    /// Write the files into an empty directory instead of an archive
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub dry_run: DryRunArg,
    /// In a dry run's rehearsal, the path the pack would have been written to.
    #[arg(skip)]
    pub shown_as: Option<PathBuf>,
}

impl ExportArgs {
    fn target(&self) -> Target {
        match (&self.out, &self.dir) {
            (_, Some(d)) => Target::Dir(d.clone()),
            (Some(o), None) => Target::Archive(o.clone()),
            (None, None) => Target::Archive(PathBuf::from(format!("pack-{}.tar.gz", self.tenant))),
        }
    }
}

/// `pack:export --dry-run`: the export rehearsed on a copy of the state, written into a scratch
/// directory, refused first where the real one would be (the archive or directory exists).
fn rehearse_export(mut a: ExportArgs, settings: &Settings) -> anyhow::Result<ExitStatus> {
    let (real, taken) = match a.target() {
        Target::Archive(p) => (p.clone(), p.exists()),
        Target::Dir(d) => (
            d.clone(),
            std::fs::read_dir(&d).is_ok_and(|mut entries| entries.next().is_some()),
        ),
    };
    if taken {
        return Err(PackError::Exists(real).into());
    }
    let scratch = dry_run::Scratch::new()?;
    let inside = scratch.path().join("pack");
    match a.dir {
        Some(_) => a.dir = Some(inside),
        None => a.out = Some(inside),
    }
    a.shown_as = Some(real.clone());
    let status = dry_run::rehearse(settings, |s| PackCommand::Export(a).run(s))?;
    settings.printer.note(&format!(
        "dry run: nothing was written to `{}`",
        real.display()
    ));
    Ok(status)
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The pack (.tar.gz)
    pub file: PathBuf,
    /// The public key you trust [default: the one inside the pack, with a warning]
    #[arg(long, value_name = "FILE")]
    pub pubkey: Option<PathBuf>,
    /// The audit log's verifier key (audit:keygen), to check the signature of the log
    /// checkpoint the pack's events are proven against
    #[arg(long, value_name = "FILE")]
    pub log_pubkey: Option<PathBuf>,
    /// A checkpoint of the audit log you received elsewhere (e.g. from your SIEM): the pack's
    /// must be the same tree or extend it
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
}

fn passphrase(var: Option<&str>) -> Result<Option<String>, PackError> {
    match var {
        None => Ok(None),
        Some(v) => std::env::var(v).map(Some).map_err(|_| {
            PackError::Input(format!(
                "--passphrase-env `{v}`: that environment variable is not set"
            ))
        }),
    }
}

impl PackCommand {
    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        let printer = settings.printer;
        match self {
            PackCommand::Keygen(a) if dry_run::wanted(a.dry_run, settings) => {
                // Refused as the real one would be; otherwise made in a scratch directory.
                for name in ["maestro-pack.key", "maestro-pack.pub"] {
                    if a.dir.join(name).exists() {
                        return Err(PackError::Exists(a.dir.join(name)).into());
                    }
                }
                let real = a.dir.clone();
                dry_run::rehearse_files(settings, &real, "nothing was written to", |s, stand_in| {
                    let a = KeygenArgs {
                        dir: stand_in.to_path_buf(),
                        ..a
                    };
                    PackCommand::Keygen(a).run(s)
                })
            }
            PackCommand::Keygen(a) => {
                let keys = pack::keys::keygen(&a.dir, passphrase(a.passphrase_env.as_deref())?)?;
                if !(printer.quiet && printer.format.is_table()) {
                    printer.data(&keys, || {
                        Table::record(vec![
                            ("secret_key", keys.secret_key.clone()),
                            ("public_key", keys.public_key.clone()),
                        ])
                    })?;
                }
                printer.note(
                    "keep the secret key private; give the public key to whoever checks your packs",
                );
                Ok(ExitStatus::Ok)
            }
            PackCommand::Export(a) if dry_run::wanted(a.dry_run, settings) => {
                rehearse_export(a, settings)
            }
            PackCommand::Export(a) => {
                let generated_at = match std::env::var("SOURCE_DATE_EPOCH") {
                    Ok(v) if !v.is_empty() => Some(
                        v.parse::<i64>()
                            .ok()
                            .and_then(|s| jiff::Timestamp::from_second(s).ok())
                            .ok_or_else(|| {
                                PackError::Input(format!(
                                    "invalid SOURCE_DATE_EPOCH `{v}`: expected seconds since 1970"
                                ))
                            })?,
                    ),
                    _ => None,
                };
                let target = a.target();
                let mut ctx = settings.read_context()?;
                let mut report = pack::export_with_progress(
                    &mut ctx,
                    &ExportOptions {
                        tenant: a.tenant,
                        from: a.from,
                        to: a.to,
                        key: a.key,
                        passphrase: passphrase(a.passphrase_env.as_deref())?,
                        target,
                        generated_at,
                    },
                    &super::output::stage_progress(&printer),
                )?;
                if let Some(real) = &a.shown_as {
                    report.path = real.display().to_string();
                }
                if printer.quiet && printer.format.is_table() {
                    return Ok(ExitStatus::Ok);
                }
                printer.data(&report, || {
                    Table::record(vec![
                        ("path", report.path.clone()),
                        ("tenant", report.tenant.clone()),
                        ("files", report.files.to_string()),
                        ("manifest_sha256", report.manifest_sha256.clone()),
                        ("key_id", report.key_id.clone()),
                        ("generated_at", report.generated_at.clone()),
                    ])
                })?;
                Ok(ExitStatus::Ok)
            }
            PackCommand::Verify(a) => {
                let report = pack::verify_with(
                    &a.file,
                    a.pubkey.as_deref(),
                    a.log_pubkey.as_deref(),
                    a.checkpoint.as_deref(),
                    &super::output::file_progress(&printer, &a.file),
                )?;
                if !printer.format.is_table() || !printer.quiet {
                    printer.data(&report, || {
                        Table::record(vec![
                            ("ok", report.ok.to_string()),
                            ("tenant", report.tenant.clone().unwrap_or_default()),
                            ("files", report.files.to_string()),
                            ("key", report.key.clone()),
                            ("signed", report.signed_comment.clone().unwrap_or_default()),
                            (
                                "log_checkpoint",
                                report.checkpoint.as_ref().map_or_else(
                                    || "none (a pack of format 1)".into(),
                                    |c| {
                                        format!(
                                            "{} events of {}, root {}; signature {}{}",
                                            c.size,
                                            c.origin,
                                            c.root,
                                            c.signature,
                                            c.witnessed
                                                .as_ref()
                                                .map(|w| format!("; --checkpoint: {w}"))
                                                .unwrap_or_default()
                                        )
                                    },
                                ),
                            ),
                        ])
                    })?;
                }
                if a.pubkey.is_none() {
                    printer.note("warning: checked against the key inside the pack; pass --pubkey with the key you trust");
                }
                for p in &report.problems {
                    super::output::report_problem(p);
                }
                Ok(if report.ok {
                    ExitStatus::Ok
                } else {
                    ExitStatus::Problems
                })
            }
        }
    }
}
