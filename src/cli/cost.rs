//! `cost:ingest`, `cost:report`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use super::output::Table;
use crate::cost::{self, Dimension, ReportOptions};
use crate::model::ExitStatus;

#[derive(Debug, Subcommand)]
pub enum CostCommand {
    /// Ingest a FinOps FOCUS billing file (CSV, or .gz), attributing each row to a tenant
    #[command(
        name = "cost:ingest",
        long_about = "Ingest a FinOps FOCUS 1.0 billing file (CSV, or CSV.gz) in one transaction: \
                      each row is attributed to tenant / service / env from the tags named in \
                      [cost] of maestro.toml (rows without a tenant go to the unallocated \
                      bucket), and the daily rollups are updated. Ingesting the same file again \
                      changes nothing. A malformed row stops the ingest with nothing stored and \
                      names its line, unless --skip-bad.",
        after_help = "Examples:\n  maestro-cli cost:ingest billing/2024-09.csv.gz\n  maestro-cli cost:ingest focus.csv --skip-bad --output json\n  maestro-cli cost:ingest billing.jsonl --format jsonl"
    )]
    Ingest(IngestArgs),
    /// Cost per tenant / service / env / region / provider, shares, and top cost drivers
    #[command(
        name = "cost:report",
        after_help = "Examples:\n  maestro-cli cost:report --from 2024-09-01 --to 2024-09-30\n  maestro-cli cost:report --from 2024-09-01 --to 2024-09-30 --by tenant,service --top 5 --output csv\n  maestro-cli cost:report --from 2024-09-01 --to 2024-09-30 --tenant acme"
    )]
    Report(ReportArgs),
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The billing file (`.gz` is decompressed)
    pub file: PathBuf,
    /// focus (FOCUS 1.0 CSV), csv (the same columns), jsonl (an object per line)
    #[arg(long, value_enum, default_value = "focus")]
    pub format: cost::Format,
    /// Leave malformed rows out (counted and listed) instead of stopping
    #[arg(long)]
    pub skip_bad: bool,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day (UTC, inclusive)
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// Last day (UTC, inclusive)
    #[arg(long, value_name = "DATE")]
    pub to: String,
    /// Group by these dimensions, comma-separated; `day`, `week` (ISO) and `month` group over
    /// time (rows then in time order)
    #[arg(long, value_enum, value_delimiter = ',', default_value = "tenant")]
    pub by: Vec<Dimension>,
    /// How many top cost drivers (services and resources) to list
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Only this tenant
    #[arg(long)]
    pub tenant: Option<String>,
}

impl CostCommand {
    fn dry_run(&self) -> DryRunArg {
        match self {
            CostCommand::Ingest(a) => a.dry_run,
            _ => DryRunArg::default(),
        }
    }

    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        if dry_run::wanted(self.dry_run(), settings) {
            return dry_run::rehearse(settings, |s| self.run(s));
        }
        let printer = settings.printer;
        let mut ctx = if matches!(self, CostCommand::Report(_)) {
            settings.read_context()?
        } else {
            settings.context()?
        };
        match self {
            CostCommand::Ingest(a) => {
                let r = cost::ingest(
                    &mut ctx,
                    &a.file,
                    a.format,
                    a.skip_bad,
                    super::output::file_progress(&printer, &a.file),
                )?;
                super::output::ingest_notes(&printer, &r.file, r.already_ingested, &r.skipped_rows);
                printer.data(&r, || {
                    Table::record(vec![
                        ("file", r.file.clone()),
                        ("rows", r.rows.to_string()),
                        ("allocated", r.allocated.to_string()),
                        ("unallocated", r.unallocated.to_string()),
                        ("skipped", r.skipped.to_string()),
                        ("billed", r.billed.to_string()),
                        ("effective", r.effective.to_string()),
                        ("currency", r.currency.clone().unwrap_or_else(|| "-".into())),
                    ])
                })?;
                Ok(ExitStatus::Ok)
            }
            CostCommand::Report(a) => {
                let r = cost::report(
                    &mut ctx,
                    &ReportOptions {
                        from: a.from,
                        to: a.to,
                        by: a.by.clone(),
                        top: a.top,
                        tenant: a.tenant,
                    },
                )?;
                let key_headers: Vec<&'static str> =
                    a.by.iter()
                        .map(|d| match d {
                            Dimension::Tenant => "tenant",
                            Dimension::Service => "service",
                            Dimension::Env => "env",
                            Dimension::Region => "region",
                            Dimension::Provider => "provider",
                            Dimension::Day => "day",
                            Dimension::Week => "week",
                            Dimension::Month => "month",
                        })
                        .collect();
                printer.data(&r, || {
                    let mut headers = key_headers.clone();
                    headers.extend(["billed", "effective", "share %", "rows", "cost/request"]);
                    let mut t = Table::new(headers);
                    for g in &r.groups {
                        let mut row = g.key.clone();
                        row.extend([
                            g.billed.to_string(),
                            g.effective.to_string(),
                            format!("{:.1}", g.share),
                            g.rows.to_string(),
                            g.cost_per_request.map_or("-".into(), |c| c.to_string()),
                        ]);
                        t.push(row);
                    }
                    // Credits on their own line: the groups are charges, the total what was paid.
                    if !(r.credits.billed.is_zero() && r.credits.effective.is_zero()) {
                        let mut credits = vec!["credits".to_string()];
                        credits.extend(std::iter::repeat_n(String::new(), key_headers.len() - 1));
                        credits.extend([
                            r.credits.billed.to_string(),
                            r.credits.effective.to_string(),
                            "-".into(),
                            "-".into(),
                            "-".into(),
                        ]);
                        t.push(credits);
                    }
                    let mut total = vec!["TOTAL".to_string()];
                    total.extend(std::iter::repeat_n(String::new(), key_headers.len() - 1));
                    total.extend([
                        r.billed.to_string(),
                        r.effective.to_string(),
                        if r.credits.effective.is_zero() {
                            "100.0"
                        } else {
                            "-"
                        }
                        .into(),
                        r.rows.to_string(),
                        "-".into(),
                    ]);
                    t.push(total);
                    t
                })?;
                if printer.format.is_table() && !printer.quiet {
                    let mut t = Table::new(vec!["top driver", "kind", "effective", "share %"]);
                    for (kind, list) in
                        [("service", &r.top_services), ("resource", &r.top_resources)]
                    {
                        for d in list {
                            t.push(vec![
                                d.name.clone(),
                                kind.into(),
                                d.effective.to_string(),
                                format!("{:.1}", d.share),
                            ]);
                        }
                    }
                    printer.raw("\n")?;
                    printer.data(&(), || t)?;
                }
                Ok(ExitStatus::Ok)
            }
        }
    }
}
