//! `policy:check`, `policy:test`, `policy:log`, `policy:drift`.

use std::io::BufReader;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::Settings;
use super::output::{OutputFormat, Printer, Table};
use crate::config::{Config, EngineKind};
use crate::governance::check::{self, Checked};
use crate::governance::drift;
use crate::model::ExitStatus;
use crate::policy::{Bundle, PolicyError, testing};

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Ask the policies for a decision; exit 0 allow, 3 deny (every decision is logged)
    #[command(
        name = "policy:check",
        after_help = "Examples:\n  maestro-cli policy:check deploy --tenant acme --service api --env prod --cluster us-prod-1\n  maestro-cli policy:check --input input.json --query data.maestro.tenant_isolation\n  maestro-cli policy:check --input-lines batch.jsonl --query data.maestro.residency --format junit\n  maestro-cli policy:check --engine opa-wasm --bundle bundle.tar.gz --list-entrypoints"
    )]
    Check(CheckArgs),
    /// Run the policies' tests (test_* rules; todo_test_* are skipped); exit 4 on failure
    #[command(
        name = "policy:test",
        after_help = "Examples:\n  maestro-cli policy:test\n  maestro-cli policy:test ./policies"
    )]
    Test(TestArgs),
    /// The decision log
    #[command(
        name = "policy:log",
        after_help = "Examples:\n  maestro-cli policy:log --tenant acme --decision deny\n  maestro-cli policy:log --id 01a252a5-0fd4 --output json"
    )]
    Log(LogArgs),
    /// Re-check the current state against today's policies; exit 4 when something drifted
    #[command(
        name = "policy:drift",
        after_help = "Example:\n  maestro-cli policy:drift --output json"
    )]
    Drift,
    /// Evaluate a query without state or log (like `opa eval`): one JSON result per input line
    #[command(
        name = "policy:eval",
        after_help = "Example:\n  maestro-cli policy:eval --policies ./policies --data data.json \\\n      --query data.maestro.residency.decision --input-lines inputs.jsonl"
    )]
    Eval(EvalArgs),
    /// Write the policy bundle in use (the built-in one unless `[policy] dir`) to a directory
    #[command(
        name = "policy:bundle",
        long_about = "Write every file of the policy bundle in use (its *.rego, tests \
                      included, and data.json) into DIR, to start your own: edit data.json \
                      (stewards, isolation exceptions, the mission charter) or the policies, run \
                      `maestro-cli policy:test DIR`, then set `[policy] dir = \"DIR\"` in \
                      maestro.toml. The copy has the same bundle sha256. Refuses to overwrite a \
                      file.",
        after_help = "Example:\n  maestro-cli policy:bundle --out policies && maestro-cli policy:test policies"
    )]
    Bundle(BundleArgs),
}

#[derive(Debug, Args)]
pub struct BundleArgs {
    /// The directory to write (created if need be)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A directory of *.rego files [default: `[policy] dir`, else the built-in policies]
    #[arg(long, value_name = "DIR")]
    pub policies: Option<PathBuf>,
    /// A JSON data document used instead of the bundle's data.json
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// The document to evaluate, e.g. `data.maestro.residency.decision`
    #[arg(long, value_name = "QUERY")]
    pub query: String,
    /// JSON lines, one input per line (`-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub input_lines: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiFormat {
    Junit,
    Tap,
    Sarif,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CheckArgs {
    #[command(subcommand)]
    pub what: Option<CheckWhat>,
    /// A JSON input document, or `-` for stdin
    #[arg(long, value_name = "FILE", conflicts_with = "input_lines")]
    pub input: Option<String>,
    /// JSON lines, one input per line (`-` for stdin): one decision each
    #[arg(long, value_name = "FILE")]
    pub input_lines: Option<String>,
    /// The policy document to ask, e.g. `data.maestro.residency`
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Report for CI instead of --output
    #[arg(long, value_enum)]
    pub format: Option<CiFormat>,
    /// The engine that decides [default: `[policy] engine`, else regorus]
    #[arg(long, value_enum, global = true)]
    pub engine: Option<EngineKind>,
    /// For `--engine opa-wasm`: an OPA-built policy.wasm or bundle.tar.gz [default: `[policy] bundle`]
    #[arg(long, value_name = "FILE", global = true)]
    pub bundle: Option<PathBuf>,
    /// List the entry points of the opa-wasm bundle, then stop
    #[arg(long)]
    pub list_entrypoints: bool,
}

#[derive(Debug, Subcommand)]
pub enum CheckWhat {
    /// The residency gate of a deploy, with input built from the store and configuration
    Deploy(DeployArgs),
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    #[arg(long)]
    pub tenant: String,
    #[arg(long)]
    pub service: String,
    #[arg(long)]
    pub env: String,
    #[arg(long)]
    pub cluster: String,
    /// Report for CI instead of --output
    #[arg(long, value_enum)]
    pub format: Option<CiFormat>,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// A directory of *.rego files [default: `[policy] dir`, else the built-in policies]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only decisions about this tenant
    #[arg(long)]
    pub tenant: Option<String>,
    /// Only allows or only denials
    #[arg(long, value_parser = ["allow", "deny"])]
    pub decision: Option<String>,
    /// At most this many, the most recent
    #[arg(long, short = 'n')]
    pub limit: Option<u64>,
    /// Only the decision(s) whose id starts with this (at least 4 characters)
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
}

impl PolicyCommand {
    pub fn run(self, settings: &Settings) -> anyhow::Result<ExitStatus> {
        let printer = settings.printer;
        match self {
            PolicyCommand::Bundle(a) => {
                let bundle = Bundle::for_config(&Config::discover(settings.config.as_deref())?)?;
                let written = bundle.write_to(&a.out)?;
                printer.note(&format!(
                    "wrote {} files of the {} bundle (sha256 {}) to `{}`; set `[policy] dir` to use it",
                    written.len(),
                    bundle.origin,
                    bundle.sha256,
                    a.out.display()
                ));
                Ok(ExitStatus::Ok)
            }
            PolicyCommand::Check(a) => {
                let mut ctx = settings.context()?;
                if let Some(engine) = a.engine {
                    ctx.config.policy.engine = engine;
                }
                if let Some(bundle) = a.bundle {
                    ctx.config.policy.bundle = Some(bundle);
                }
                if a.list_entrypoints {
                    return list_entrypoints(&ctx, printer);
                }
                let mut prerendered = None;
                let (results, format) = match (a.what, a.input, a.input_lines) {
                    (Some(CheckWhat::Deploy(d)), _, _) => (
                        vec![check::check_deploy(
                            &mut ctx, &d.tenant, &d.service, &d.env, &d.cluster,
                        )?],
                        d.format,
                    ),
                    (None, Some(file), None) => {
                        let query = a.query.ok_or_else(|| {
                            PolicyError::Input(
                                "--input needs --query, e.g. `--query data.maestro.residency`"
                                    .into(),
                            )
                        })?;
                        let input = check::read_document(open(&file)?, &file)?;
                        (vec![check::check(&mut ctx, &query, input)?], a.format)
                    }
                    (None, None, Some(file)) => {
                        let query = a.query.ok_or_else(|| {
                            PolicyError::Input("--input-lines needs --query".into())
                        })?;
                        let batch = check::read_batch(open(&file)?, &file)?;
                        let lines = a.format.is_none() && printer.format == OutputFormat::Json;
                        let (checked, text) = check::check_batch_rendered(
                            &mut ctx,
                            &query,
                            &batch.inputs,
                            &batch.order,
                            |c| (lines && c.len() != 1).then(|| json_lines(c)),
                        )?;
                        prerendered = text;
                        (checked, a.format)
                    }
                    _ => {
                        return Err(PolicyError::Input(
                            "say what to check: `policy:check deploy ...`, `--input FILE --query Q` or `--input-lines FILE --query Q`".into(),
                        )
                        .into());
                    }
                };
                match prerendered {
                    Some(text) => printer.raw(&text?)?,
                    None => print_checks(printer, &results, format)?,
                }
                let denied: Vec<&Checked> = results.iter().filter(|r| !r.allow).collect();
                if let Some(first) = denied.first() {
                    if results.len() == 1 {
                        return Err(PolicyError::Denied {
                            query: first.query.clone(),
                            deny: first.deny.clone(),
                        }
                        .into());
                    }
                    printer.note(&format!(
                        "{} of {} decisions denied",
                        denied.len(),
                        results.len()
                    ));
                    return Ok(ExitStatus::Denied);
                }
                Ok(ExitStatus::Ok)
            }
            PolicyCommand::Test(a) => {
                let bundle = match &a.dir {
                    Some(dir) => Bundle::load_dir(dir)?,
                    None => Bundle::for_config(&Config::discover(settings.config.as_deref())?)?,
                };
                let report = testing::run(bundle)?;
                if printer.format == OutputFormat::Json {
                    printer.data(&report, || Table::new(vec![]))?;
                } else {
                    let mut text = String::new();
                    for r in &report.results {
                        let tag = match r.outcome {
                            "pass" => "PASS",
                            "fail" => "FAIL",
                            _ => "SKIP",
                        };
                        text.push_str(&format!("{tag} {}:{} {}\n", r.module, r.line, r.name));
                        if let Some(d) = &r.detail {
                            text.push_str(&format!("     {d}\n"));
                        }
                    }
                    printer.raw(&text)?;
                }
                let mut summary = format!("{} passed, {} failed", report.passed, report.failed);
                if report.skipped > 0 {
                    summary.push_str(&format!(", {} skipped", report.skipped));
                }
                if printer.format == OutputFormat::Json {
                    printer.note(&summary);
                } else {
                    printer.raw(&(summary + "\n"))?;
                }
                Ok(if report.failed > 0 {
                    ExitStatus::Problems
                } else {
                    ExitStatus::Ok
                })
            }
            PolicyCommand::Log(a) => {
                let mut ctx = settings.read_context()?;
                let rows = crate::governance::log::log(
                    &mut ctx,
                    &crate::governance::log::LogOptions {
                        tenant: a.tenant.as_deref(),
                        allow: a.decision.as_deref().map(|d| d == "allow"),
                        limit: a.limit,
                        id: a.id.as_deref(),
                    },
                )?;
                printer.data(&rows, || {
                    let mut t = Table::new(vec![
                        "at", "decision", "query", "tenant", "actor", "deny", "id",
                    ]);
                    for r in &rows {
                        let deny = r.deny_text();
                        t.push(vec![
                            r.at.clone(),
                            if r.allow { "allow" } else { "deny" }.into(),
                            r.query.clone(),
                            r.tenant_id.clone().unwrap_or_else(|| "-".into()),
                            r.actor.clone(),
                            deny,
                            r.id.clone(),
                        ]);
                    }
                    t
                })?;
                Ok(ExitStatus::Ok)
            }
            PolicyCommand::Eval(a) => {
                let mut bundle = match &a.policies {
                    Some(dir) => Bundle::load_dir(dir)?,
                    None => Bundle::for_config(&Config::discover(settings.config.as_deref())?)?,
                };
                if let Some(path) = &a.data {
                    let text =
                        std::fs::read_to_string(path).map_err(|source| PolicyError::Read {
                            path: path.clone(),
                            source,
                        })?;
                    bundle.data = serde_json::from_str(&text)
                        .map_err(|e| PolicyError::Data(format!("{}: {e}", path.display())))?;
                }
                let mut gov = crate::policy::Governance::new(bundle)?;
                let inputs = check::read_lines(open(&a.input_lines)?, &a.input_lines)?;
                let mut text = String::new();
                for input in &inputs {
                    let v = gov
                        .eval(&a.query, input)?
                        .unwrap_or(serde_json::Value::Null);
                    text.push_str(&serde_json::to_string(&v)?);
                    text.push('\n');
                }
                printer.raw(&text)?;
                Ok(ExitStatus::Ok)
            }
            PolicyCommand::Drift => {
                let mut ctx = settings.read_context()?;
                let items = drift::drift(&mut ctx)?;
                printer.data(&items, || {
                    let mut t = Table::new(vec!["kind", "id", "tenant", "problem"]);
                    for i in &items {
                        t.push(vec![
                            i.kind.clone(),
                            i.id.clone(),
                            i.tenant_id.clone().unwrap_or_else(|| "-".into()),
                            i.problem.clone(),
                        ]);
                    }
                    t
                })?;
                if items.is_empty() {
                    printer.note("no drift: the current state complies with the policies");
                    Ok(ExitStatus::Ok)
                } else {
                    super::output::report_problem(&format!(
                        "{} item(s) no longer comply with the policies",
                        items.len()
                    ));
                    Ok(ExitStatus::Problems)
                }
            }
        }
    }
}

fn open(file: &str) -> Result<Box<dyn std::io::BufRead>, PolicyError> {
    if file == "-" {
        return Ok(Box::new(BufReader::new(std::io::stdin())));
    }
    let f = std::fs::File::open(file).map_err(|source| PolicyError::Read {
        path: file.into(),
        source,
    })?;
    Ok(Box::new(BufReader::new(f)))
}

fn print_checks(
    printer: Printer,
    results: &[Checked],
    format: Option<CiFormat>,
) -> anyhow::Result<()> {
    match format {
        Some(CiFormat::Tap) => printer.raw(&tap(results)),
        Some(CiFormat::Junit) => printer.raw(&junit(results)),
        Some(CiFormat::Sarif) => {
            printer.raw(&(serde_json::to_string_pretty(&sarif(results))? + "\n"))
        }
        None if results.len() == 1 => printer.data(&results[0], || {
            let r = &results[0];
            Table::record(vec![
                ("decision", if r.allow { "allow" } else { "deny" }.into()),
                ("query", r.query.clone()),
                ("deny", r.deny.join("; ")),
                ("audit", r.audit.to_string()),
                ("exceptions_applied", r.exceptions_applied.join(",")),
                ("decision_id", r.decision_id.clone()),
                ("bundle_sha256", r.bundle_sha256.clone()),
            ])
        }),
        None if printer.format == OutputFormat::Json => printer.raw(&json_lines(results)?),
        None => printer.data(&results, || {
            let mut t = Table::new(vec!["line", "decision", "deny", "decision_id"]);
            for (i, r) in results.iter().enumerate() {
                t.push(vec![
                    (i + 1).to_string(),
                    if r.allow { "allow" } else { "deny" }.into(),
                    r.deny.join("; "),
                    r.decision_id.clone(),
                ]);
            }
            t
        }),
    }
}

/// One JSON object a line.
fn json_lines(results: &[Checked]) -> serde_json::Result<String> {
    let mut text = Vec::with_capacity(results.len() * 320);
    for r in results {
        serde_json::to_writer(&mut text, r)?;
        text.push(b'\n');
    }
    Ok(String::from_utf8(text).unwrap_or_default())
}

fn tap(results: &[Checked]) -> String {
    let mut out = format!("TAP version 13\n1..{}\n", results.len());
    for (i, r) in results.iter().enumerate() {
        if r.allow {
            out.push_str(&format!(
                "ok {} - {} (decision {})\n",
                i + 1,
                r.query,
                r.decision_id
            ));
        } else {
            out.push_str(&format!(
                "not ok {} - {} (decision {})\n  ---\n  deny:\n",
                i + 1,
                r.query,
                r.decision_id
            ));
            for d in &r.deny {
                out.push_str(&format!("    - {}\n", serde_json::Value::from(d.as_str())));
            }
            out.push_str("  ...\n");
        }
    }
    out
}

use crate::markup::escape as xml;

fn junit(results: &[Checked]) -> String {
    let failures = results.iter().filter(|r| !r.allow).count();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"maestro-policy\" tests=\"{}\" failures=\"{failures}\">\n",
        results.len()
    );
    for (i, r) in results.iter().enumerate() {
        out.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"decision {} ({})\"",
            xml(&r.query),
            i + 1,
            xml(&r.decision_id)
        ));
        if r.allow {
            out.push_str("/>\n");
        } else {
            let msg = r.deny.join("; ");
            out.push_str(&format!(
                ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                xml(&msg),
                xml(&msg)
            ));
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn sarif(results: &[Checked]) -> serde_json::Value {
    let mut rules: Vec<&str> = results.iter().map(|r| r.query.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    let findings: Vec<serde_json::Value> = results
        .iter()
        .filter(|r| !r.allow)
        .flat_map(|r| {
            r.deny.iter().map(move |d| {
                serde_json::json!({
                    "ruleId": r.query,
                    "level": "error",
                    "message": {"text": d},
                    "properties": {"decision_id": r.decision_id, "bundle_sha256": r.bundle_sha256},
                })
            })
        })
        .collect();
    serde_json::json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {
                "name": "maestro-cli",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|q| serde_json::json!({"id": q})).collect::<Vec<_>>(),
            }},
            "results": findings,
        }],
    })
}

/// `policy:check --list-entrypoints`: the entry points of the opa-wasm bundle.
#[cfg(feature = "opa-wasm")]
fn list_entrypoints(ctx: &crate::context::Context, printer: Printer) -> anyhow::Result<ExitStatus> {
    let path = ctx.config.policy.bundle.as_deref().ok_or_else(|| {
        PolicyError::Input("--list-entrypoints needs an opa-wasm bundle: `--bundle FILE`".into())
    })?;
    let bundle = crate::policy::WasmBundle::read(path)?;
    let cache = crate::policy::wasm_cache(ctx.store.path());
    let engine = crate::policy::wasm::OpaWasm::new(&bundle, cache.as_deref())?;
    let names = engine.entrypoints().to_vec();
    printer.data(&names, || {
        let mut t = Table::new(vec!["entrypoint", "query"]);
        for n in &names {
            t.push(vec![n.clone(), format!("data.{}", n.replace('/', "."))]);
        }
        t
    })?;
    Ok(ExitStatus::Ok)
}

#[cfg(not(feature = "opa-wasm"))]
fn list_entrypoints(
    _ctx: &crate::context::Context,
    _printer: Printer,
) -> anyhow::Result<ExitStatus> {
    Err(PolicyError::Input(crate::policy::NO_OPA_WASM.into()).into())
}
