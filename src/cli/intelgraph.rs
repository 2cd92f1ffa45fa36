//! `intelgraph:schema`, `intelgraph:export`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Settings;
use super::dry_run::{self, DryRunArg};
use crate::intelgraph;
use crate::model::ExitStatus;

#[derive(Debug, Subcommand)]
pub enum IntelGraphCommand {
    /// Print the IntelGraph core schema (Cypher), or queue it for Neo4j with --apply
    #[command(
        name = "intelgraph:schema",
        long_about = "Print the core schema of IntelGraph: a uniqueness constraint on `id` for \
                      Tenant, User, Feature, Incident, Repo and CommitSignal. With --apply it is \
                      queued for every neo4j adapter in [[adapters]] and applied by the next \
                      `maestro-cli sync` (IF NOT EXISTS: applying twice changes nothing).",
        after_help = "Examples:\n  maestro-cli intelgraph:schema | cypher-shell -u neo4j\n  maestro-cli intelgraph:schema --apply && maestro-cli sync --adapter graph"
    )]
    Schema(SchemaArgs),
    /// Write the graph's Cypher statements for cypher-shell
    #[command(
        name = "intelgraph:export",
        long_about = "Write the schema and the MERGE statements of everything IntelGraph holds \
                      (tenants, users and their roles, features, incidents, repositories and \
                      their daily commit signals), oldest first, each preceded by a `:param` \
                      line with its parameters: the very statements the neo4j adapter sends. \
                      Values are never spliced into the Cypher text.",
        after_help = "Example:\n  maestro-cli intelgraph:export --out graph.cypher && cypher-shell -u neo4j -f graph.cypher"
    )]
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Queue the schema for the neo4j adapters instead of printing it
    #[arg(long)]
    pub apply: bool,
    #[command(flatten)]
    pub dry_run: DryRunArg,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write (`-`: stdout)
    #[arg(long, value_name = "FILE.cypher")]
    pub out: PathBuf,
}

impl IntelGraphCommand {
    fn dry_run(&self) -> DryRunArg {
        match self {
            IntelGraphCommand::Schema(a) => a.dry_run,
            _ => DryRunArg::default(),
        }
    }

    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        if dry_run::wanted(self.dry_run(), settings) {
            return dry_run::rehearse(settings, |s| self.run(s));
        }
        match self {
            IntelGraphCommand::Schema(a) if a.apply => {
                let mut ctx = settings.context()?;
                let queued = intelgraph::queue_schema(&mut ctx)?;
                settings.printer.note(if queued {
                    "queued the IntelGraph schema; `maestro-cli sync` applies it"
                } else {
                    "the IntelGraph schema is already queued"
                });
            }
            IntelGraphCommand::Schema(_) => {
                settings.printer.raw(&intelgraph::schema_text())?;
            }
            IntelGraphCommand::Export(a) => {
                let mut ctx = settings.context()?;
                if a.out.as_os_str() == "-" {
                    let mut out = std::io::stdout().lock();
                    intelgraph::export(&mut ctx, &mut out)?;
                } else {
                    let shown = a.out.display().to_string();
                    // Written beside, then renamed: a failed export leaves no half file.
                    let tmp = a.out.with_extension("cypher.partial");
                    let file = std::fs::File::create(&tmp)
                        .map_err(|e| anyhow::anyhow!("cannot create `{}`: {e}", tmp.display()))?;
                    let mut out = std::io::BufWriter::new(file);
                    let counts = intelgraph::export(&mut ctx, &mut out).and_then(|c| {
                        std::io::Write::flush(&mut out)?;
                        Ok(c)
                    });
                    let counts = match counts {
                        Ok(c) => c,
                        Err(e) => {
                            let _ = std::fs::remove_file(&tmp);
                            return Err(e);
                        }
                    };
                    std::fs::rename(&tmp, &a.out)
                        .map_err(|e| anyhow::anyhow!("cannot write `{shown}`: {e}"))?;
                    settings.printer.note(&format!(
                        "wrote `{shown}`: {} statements from {} outbox rows",
                        counts.statements, counts.rows
                    ));
                }
            }
        }
        Ok(ExitStatus::Ok)
    }
}
