//! The JSON Schema of every command's `--output json`, under `docs/schemas/v1/`: generated from
//! the types the commands print (so a schema cannot say what the code does not), committed so
//! that a change of shape shows in review, and current by test. Refresh them after changing an
//! output type with `MAESTRO_BLESS=1 cargo test --lib cli::schemas`. The integration test
//! `schemas` runs every command listed here through the binary and validates what it prints.

use schemars::{JsonSchema, Schema, json_schema};

/// The version of the JSON shapes. Within a version a field may be added, never renamed,
/// removed or given another type; a change of that kind makes the next version (a new
/// directory beside `v1/`, the old one kept for readers that pin it).
pub const VERSION: u32 = 1;

/// How a command prints its JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One JSON document.
    Document,
    /// JSON values one a line, each valid against the schema (events as they happen, or one
    /// result per input line).
    Lines,
}

/// One command's output schema.
pub struct OutputSchema {
    pub command: &'static str,
    pub shape: Shape,
    pub schema: Schema,
}

/// Commands that print no JSON: text, YAML, Cypher or shell scripts that have formats of their
/// own, or only a note on stderr.
pub const NO_JSON: &[&str] = &[
    "flow:graph",
    "policy:bundle",
    "intelgraph:schema",
    "intelgraph:export",
    "sync:retry",
    "completions",
];

fn of<T: JsonSchema>() -> Schema {
    schemars::schema_for!(T)
}

/// A value valid against any of `schemas` (a command with more than one kind of line or
/// answer: a dry run's plan or the run's events, a list or one followed line).
fn any_of(schemas: Vec<Schema>) -> Schema {
    let mut defs = serde_json::Map::new();
    let mut branches = Vec::new();
    for mut s in schemas {
        let Some(obj) = s.as_object_mut() else {
            continue;
        };
        obj.remove("$schema");
        if let Some(serde_json::Value::Object(d)) = obj.remove("$defs") {
            defs.extend(d);
        }
        branches.push(serde_json::Value::Object(obj.clone()));
    }
    let mut out = json_schema!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "anyOf": branches,
    });
    if !defs.is_empty() {
        out.insert("$defs".into(), defs.into());
    }
    out
}

fn doc(command: &'static str, schema: Schema) -> OutputSchema {
    OutputSchema {
        command,
        shape: Shape::Document,
        schema,
    }
}

fn lines(command: &'static str, schema: Schema) -> OutputSchema {
    OutputSchema {
        command,
        shape: Shape::Lines,
        schema,
    }
}

/// Every command that prints JSON, in the order of `--help`.
pub fn all() -> Vec<OutputSchema> {
    use crate::{
        audit, cost, dashboards, flow, governance, model, pack, perf, policy, signals, status,
        store, tenant, trial,
    };
    let tenant = || of::<model::tenant::Tenant>();
    let bindings = || of::<Vec<store::RoleBinding>>();
    // A run as it goes: one line per event, then the report.
    let run = || {
        any_of(vec![
            of::<flow::FlowEvent>(),
            of::<flow::RunReport>(),
            of::<flow::plan::Plan>(),
        ])
    };
    let dashboard: Schema =
        serde_json::from_str(include_str!("../../templates/dashboards/schema.json"))
            .unwrap_or_else(|_| json_schema!(false));
    vec![
        doc("init", of::<tenant::users::InitOutcome>()),
        doc("tenant:create", of::<crate::ops::tenant::Created>()),
        doc("tenant:list", of::<Vec<model::tenant::Tenant>>()),
        doc("tenant:show", tenant()),
        doc("tenant:update", tenant()),
        doc("tenant:delete", tenant()),
        doc("tenant:manifests", of::<model::tenant::Boundary>()),
        doc("user:add", bindings()),
        doc("user:remove", bindings()),
        doc("user:list", bindings()),
        doc("audit:log", of::<Vec<model::audit::AuditEvent>>()),
        doc("audit:verify", of::<audit::VerifyReport>()),
        doc("audit:keygen", of::<audit::checkpoint::KeyReport>()),
        doc("audit:checkpoint", of::<audit::proofs::CheckpointReport>()),
        doc("audit:prove", of::<audit::proofs::InclusionReport>()),
        doc("flow:list", of::<Vec<flow::catalog::Entry>>()),
        doc("flow:validate", of::<flow::Validation>()),
        lines("flow:run", run()),
        lines(
            "flow:status",
            any_of(vec![of::<flow::RunReport>(), of::<flow::FlowEvent>()]),
        ),
        doc("flow:runs", of::<Vec<store::RunRow>>()),
        lines(
            "flow:logs",
            any_of(vec![
                of::<Vec<store::AttemptRow>>(),
                of::<store::AttemptRow>(),
            ]),
        ),
        lines("flow:resume", run()),
        doc("deploy:list", of::<Vec<store::Deployment>>()),
        lines(
            "policy:check",
            any_of(vec![of::<governance::Checked>(), of::<Vec<String>>()]),
        ),
        doc("policy:test", of::<policy::testing::TestReport>()),
        doc("policy:log", of::<Vec<store::DecisionRow>>()),
        doc("policy:drift", of::<Vec<governance::drift::DriftItem>>()),
        lines(
            "policy:eval",
            json_schema!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "description": "The query's value for each input line (null when undefined): any JSON"
            }),
        ),
        doc("pack:keygen", of::<pack::keys::KeyFiles>()),
        doc("pack:export", of::<pack::ExportReport>()),
        doc("pack:verify", of::<pack::VerifyReport>()),
        doc("signals:mine", of::<super::signals::MineReport<'static>>()),
        doc("signals:report", of::<Vec<signals::report::Group>>()),
        doc("signals:alerts", of::<Vec<store::AlertRow>>()),
        doc("cost:ingest", of::<cost::IngestReport>()),
        doc("cost:report", of::<cost::CostReport>()),
        doc("perf:ingest", of::<perf::IngestReport>()),
        doc(
            "perf:baseline",
            any_of(vec![
                of::<Vec<perf::Stats>>(),
                of::<Vec<perf::KeptBaseline>>(),
            ]),
        ),
        doc("perf:check", of::<perf::CheckReport>()),
        doc("dashboard:export", dashboard),
        doc("dashboard:publish", of::<dashboards::Published>()),
        doc(
            "sync",
            any_of(vec![
                of::<Vec<crate::outbox::sync::SyncOutcome>>(),
                of::<Vec<crate::outbox::sync::SyncPreview>>(),
            ]),
        ),
        doc("sync:dead", of::<Vec<store::DeadRow>>()),
        doc("trial:up", of::<trial::TrialSummary>()),
        doc("trial:down", of::<trial::TeardownRecord>()),
        doc("status", of::<status::Status>()),
        // Not a command: what every `--dry-run --output json` prints (`flow:run`'s aside).
        doc("dry-run", of::<super::dry_run::DryRunReport>()),
    ]
}

/// The file a command's schema is kept in, under `docs/schemas/`.
pub fn file_name(command: &str) -> String {
    format!("v{VERSION}/{}.json", command.replace(':', "-"))
}

/// A command's schema as committed: its id, title and shape, then what schemars made.
pub fn render(s: &OutputSchema) -> String {
    let mut obj = serde_json::Map::new();
    let generated = s.schema.as_object().cloned().unwrap_or_default();
    if let Some(v) = generated.get("$schema") {
        obj.insert("$schema".into(), v.clone());
    }
    obj.insert(
        "$id".into(),
        format!("urn:maestro-cli:schema:v{VERSION}:{}", s.command).into(),
    );
    obj.insert(
        "title".into(),
        format!("maestro-cli {} --output json", s.command).into(),
    );
    obj.insert(
        "x-maestro-shape".into(),
        match s.shape {
            Shape::Document => "document",
            Shape::Lines => "lines",
        }
        .into(),
    );
    for (k, v) in generated {
        if k != "$schema" && k != "title" {
            obj.insert(k, v);
        }
    }
    serde_json::to_string_pretty(&serde_json::Value::Object(obj)).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_schemas_are_current() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schemas");
        let bless = std::env::var_os("MAESTRO_BLESS").is_some();
        let mut stale = Vec::new();
        let mut want = BTreeSet::new();
        for s in all() {
            let path = dir.join(file_name(s.command));
            let text = render(&s);
            want.insert(file_name(s.command));
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &text).unwrap();
            } else if std::fs::read_to_string(&path).unwrap_or_default() != text {
                stale.push(path.display().to_string());
            }
        }
        let versioned = dir.join(format!("v{VERSION}"));
        for entry in std::fs::read_dir(&versioned).unwrap() {
            let name = format!(
                "v{VERSION}/{}",
                entry.unwrap().file_name().to_string_lossy()
            );
            if !want.contains(&name) {
                if bless {
                    std::fs::remove_file(dir.join(&name)).unwrap();
                } else {
                    stale.push(format!("{name} (no command prints it)"));
                }
            }
        }
        assert!(
            stale.is_empty(),
            "stale schemas: {stale:?}; run `MAESTRO_BLESS=1 cargo test --lib cli::schemas`"
        );
    }

    /// Every command is either described here or known to print no JSON, so a new command
    /// cannot come without its schema.
    #[test]
    fn every_command_has_a_schema_or_prints_no_json() {
        let described: BTreeSet<&str> = all().iter().map(|s| s.command).collect();
        for sub in super::super::Cli::command().get_subcommands() {
            let name = sub.get_name();
            if sub.is_hide_set() || name == "help" {
                continue;
            }
            assert!(
                described.contains(name) != NO_JSON.contains(&name),
                "`{name}`: give it a schema in cli/schemas.rs or list it in NO_JSON (not both)"
            );
        }
    }

    #[test]
    fn every_schema_is_a_valid_json_schema() {
        for s in all() {
            let value = serde_json::to_value(&s.schema).unwrap();
            assert!(
                jsonschema::meta::is_valid(&value),
                "{}: not a valid JSON Schema",
                s.command
            );
        }
    }
}
