//! `--dry-run` of the commands whose only effect is on the state: the command runs as usual
//! against a copy of the state in a private scratch directory, then what it recorded there
//! (audit events, policy decisions, rows added or removed) is read back, printed, and the copy
//! removed. The state itself is only read, and a denial is the same denial (exit 3). Commands
//! with effects outside the state (files, shell steps, deliveries) have dry runs of their own.

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::Settings;
use super::output::{OutputFormat, Printer, Table, capture, relocating};
use crate::model::ExitStatus;
use crate::store::rehearsal::{self, Changes};
use crate::store::{Store, StoreError};

#[derive(Args, Debug, Clone, Copy, Default)]
pub struct DryRunArg {
    /// Print what would change and the policy decision; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// What `--dry-run --output json` prints: what the command would print, and its changes.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct DryRunReport {
    /// Always `true`: nothing was changed.
    pub dry_run: bool,
    /// The JSON values the command would print (each valid against the command's own schema).
    pub output: Vec<serde_json::Value>,
    pub changes: Changes,
}

/// A private directory (0700), removed with what is in it when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new() -> anyhow::Result<Scratch> {
        let path = std::env::temp_dir().join(format!("maestro-dry-run-{}", uuid::Uuid::now_v7()));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
            .map_err(|e| anyhow::anyhow!("cannot create `{}`: {e}", path.display()))?;
        Ok(Scratch(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether `settings` ask for a rehearsal that has not started yet (inside one, the printer
/// says it is rehearsing, so a command does not rehearse twice).
pub fn wanted(arg: DryRunArg, settings: &Settings) -> bool {
    arg.dry_run && !settings.printer.dry_run
}

/// Runs `run` against a copy of the state and prints what it changed there.
pub fn rehearse(
    settings: &Settings,
    run: impl FnOnce(&Settings) -> anyhow::Result<ExitStatus>,
) -> anyhow::Result<ExitStatus> {
    rehearse_state(settings, false, run)
}

/// The same; with `creates` (`init`) a state that does not exist yet is rehearsed from empty.
pub fn rehearse_state(
    settings: &Settings,
    creates: bool,
    run: impl FnOnce(&Settings) -> anyhow::Result<ExitStatus>,
) -> anyhow::Result<ExitStatus> {
    let exists = settings.state.exists();
    if !exists && !creates {
        return Err(StoreError::Missing {
            path: settings.state.clone(),
        }
        .into());
    }
    let scratch = Scratch::new()?;
    let copy = scratch.path().join("state.db");
    let original = if exists {
        let original = Store::open(&settings.state)?;
        original.copy_to(&copy)?;
        original
    } else {
        Store::open(&scratch.path().join("empty.db"))?
    };
    let mut inner = settings.clone();
    inner.state = copy.clone();
    inner.printer.dry_run = true;
    let (status, printed) = rehearsed(settings.printer, &copy, &settings.state, || run(&inner));
    let status = status?;
    let changes = rehearsal::changes(&original.read(), &Store::open(&copy)?.read())?;
    report(settings.printer, &settings.state, &printed, changes)?;
    Ok(status)
}

/// Runs `run` on a scratch path standing for `real` (a directory of files the command would
/// make), printing `real` wherever it would print the scratch path; the scratch is removed.
pub fn rehearse_files(
    settings: &Settings,
    real: &Path,
    untouched: &str,
    run: impl FnOnce(&Settings, &Path) -> anyhow::Result<ExitStatus>,
) -> anyhow::Result<ExitStatus> {
    let scratch = Scratch::new()?;
    let stand_in = scratch.path().join("files");
    let mut inner = settings.clone();
    inner.printer.dry_run = true;
    let (status, printed) = rehearsed(settings.printer, &stand_in, real, || run(&inner, &stand_in));
    let status = status?;
    let nothing = Changes {
        audit: vec![],
        decisions: vec![],
        tables: vec![],
    };
    if settings.printer.format == OutputFormat::Json {
        report(settings.printer, real, &printed, nothing)?;
    } else {
        settings
            .printer
            .note(&format!("dry run: {untouched} `{}`", real.display()));
    }
    Ok(status)
}

/// Runs `run` with `stand_in` shown as `real` wherever it prints; with `--output json` what
/// it prints is kept (to be wrapped in the dry run's report) and returned.
fn rehearsed(
    printer: Printer,
    stand_in: &Path,
    real: &Path,
    run: impl FnOnce() -> anyhow::Result<ExitStatus>,
) -> (anyhow::Result<ExitStatus>, String) {
    relocating(stand_in, real, || {
        if printer.format == OutputFormat::Json {
            capture(run)
        } else {
            (run(), String::new())
        }
    })
}

fn report(printer: Printer, state: &Path, printed: &str, changes: Changes) -> anyhow::Result<()> {
    if printer.format == OutputFormat::Json {
        let output = serde_json::Deserializer::from_str(printed)
            .into_iter::<serde_json::Value>()
            .collect::<Result<_, _>>()?;
        let report = DryRunReport {
            dry_run: true,
            output,
            changes,
        };
        return printer.data(&report, || Table::new(vec![]));
    }
    if changes.is_empty() {
        printer.note(&format!(
            "dry run: nothing would change in `{}`",
            state.display()
        ));
        return Ok(());
    }
    printer.note(&format!(
        "dry run: nothing was changed in `{}`; the command would record:",
        state.display()
    ));
    printer.data(&(), || changes_table(&changes))
}

fn changes_table(changes: &Changes) -> Table {
    let mut t = Table::new(vec!["would", "what", "detail"]);
    // A decision's own audit event (`policy.allow`, `policy.deny`) is its `decision` line.
    for e in changes
        .audit
        .iter()
        .filter(|e| !e.action.starts_with("policy."))
    {
        t.push(vec![
            "audit".into(),
            format!("{} {}", e.action, e.target),
            e.details.to_string(),
        ]);
    }
    for d in &changes.decisions {
        let deny = d.deny_text();
        t.push(vec![
            "decision".into(),
            format!("{} {}", if d.allow { "allow" } else { "deny" }, d.query),
            if deny.is_empty() { "-".into() } else { deny },
        ]);
    }
    for c in &changes.tables {
        let sign = if c.after > c.before { "+" } else { "-" };
        t.push(vec![
            "rows".into(),
            c.table.clone(),
            format!(
                "{sign}{} ({} -> {})",
                c.after.abs_diff(c.before),
                c.before,
                c.after
            ),
        ]);
    }
    t
}

/// Copies the directory `from` to `to` (made), files and subdirectories, for a rehearsal that
/// continues what is there.
pub fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Commands that change the state or write files: each takes `--dry-run`.
    const MUTATING: &[&str] = &[
        "init",
        "tenant:create",
        "tenant:update",
        "tenant:delete",
        "user:add",
        "user:remove",
        "flow:run",
        "flow:resume",
        "pack:keygen",
        "audit:keygen",
        "audit:checkpoint",
        "pack:export",
        "signals:mine",
        "cost:ingest",
        "perf:ingest",
        "perf:baseline",
        "dashboard:publish",
        "intelgraph:schema",
        "sync",
        "sync:retry",
        "trial:up",
        "trial:down",
    ];

    /// Every command that changes something takes `--dry-run`.
    #[test]
    fn every_mutating_command_has_a_dry_run() {
        let top = super::super::Cli::command();
        for name in MUTATING {
            let sub = top
                .find_subcommand(name)
                .unwrap_or_else(|| panic!("no command `{name}`"));
            assert!(
                sub.get_arguments().any(|a| a.get_long() == Some("dry-run")),
                "`{name}` changes something and has no --dry-run"
            );
        }
    }
}
