//! Securiteyes v1: scanning syslog / auth.log files (plain, `.gz`, or stdin) with the detection
//! rules, in one pass and constant memory (but for PAM fallback lines of hosts not yet known
//! to log the primary form, held until the end of the file).
//!
//! A file is known by its first line (sha256), so a rotated file (`auth.log` → `auth.log.1`
//! → `auth.log.2.gz`) keeps its identity; the bytes already scanned are remembered and skipped
//! on the next run. Alerts are unique per (file, line, rule): re-scanning never duplicates.
//!
//! `read` opens a file and parses its lines, `scanner` runs the detection rules over them,
//! `file` scans one file from where the last run stopped and records its alerts.

mod file;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzz;
mod read;
mod scanner;

use serde::Serialize;

use super::detect::Rules;
use crate::context::Context;
use crate::store::AlertRow;

#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// The year of year-less syslog timestamps; default: from the file's mtime.
    pub year: Option<i16>,
}

/// What scanning one file did.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct ScanOutcome {
    pub file: String,
    /// Lines read this run.
    pub lines: u64,
    /// Lines skipped because an earlier run scanned them.
    pub already_scanned: u64,
    /// Lines that are not syslog lines.
    pub unparsed: u64,
    /// Alerts raised this run.
    pub alerts: u64,
    /// The year given to year-less timestamps, and where it came from.
    pub year: Option<i16>,
    pub year_from: Option<String>,
    pub error: Option<String>,
}

/// Scans every file; a file that fails is reported in its outcome and the others are still
/// scanned. Returns the outcomes and the alerts raised this run.
pub fn scan(
    ctx: &mut Context,
    files: &[String],
    options: &ScanOptions,
) -> anyhow::Result<(Vec<ScanOutcome>, Vec<AlertRow>)> {
    super::authorize_targets(ctx, &[None])?;
    let rules = Rules::built_in()?;
    let mut outcomes = Vec::new();
    let mut raised = Vec::new();
    for file in files {
        let mut outcome = ScanOutcome {
            file: if file == "-" {
                "<stdin>".into()
            } else {
                file.clone()
            },
            ..ScanOutcome::default()
        };
        match file::scan_one(ctx, &rules, file, options, &mut outcome) {
            Ok(mut alerts) => raised.append(&mut alerts),
            Err(e) => outcome.error = Some(e.to_string()),
        }
        outcomes.push(outcome);
    }
    Ok((outcomes, raised))
}
