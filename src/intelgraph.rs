//! IntelGraph on Neo4j: queueing the core schema for the Neo4j adapters, and the export of
//! every statement for `cypher-shell`. The statements themselves are built beside the outbox
//! (`outbox::payload::graph`), where the Neo4j adapter reads them too.

use std::io::Write;

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::NewEvent;
use crate::authz::{self, Action};
use crate::config::AdapterKind;
use crate::context::Context;
use crate::outbox::payload::graph::{LABELS, schema, shell_text, statements};
use crate::tenant::TenantError;

/// The core schema as `cypher-shell` runs it (`intelgraph:schema`).
pub fn schema_text() -> String {
    schema().iter().map(shell_text).collect()
}

/// Queues the schema for the Neo4j adapters (`sync` applies it), audited; `false` when this
/// schema was already queued.
pub fn queue_schema(ctx: &mut Context) -> Result<bool, TenantError> {
    let text: String = schema()
        .iter()
        .map(|s| format!("{};\n", s.statement))
        .collect();
    let sha256 = crate::model::audit::hex(&Sha256::digest(text.as_bytes()));
    let clock = ctx.clock;
    crate::authz::guarded_write(ctx, Action::GraphSchema, None, |db, actor| {
        let details = json!({"labels": LABELS, "sha256": sha256});
        let row = crate::outbox::Queued {
            kind: "graph-schema",
            tenant_id: None,
            key: format!("graph-schema:{}", &sha256[..16]),
            payload: details.to_string(),
        };
        let event = NewEvent {
            actor: actor.clone(),
            tenant_id: None,
            action: "intelgraph.schema",
            target: "intelgraph/schema".into(),
            details,
        };
        let queued = crate::audit::queue_audited(db, &clock, &row, event)?;
        Ok(queued)
    })
}

/// What `intelgraph:export` wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportCounts {
    pub rows: u64,
    pub statements: u64,
}

/// Writes, for `cypher-shell`, the schema and then the statements of every outbox row the
/// graph takes, oldest first: the very statements the Neo4j adapter sends.
pub fn export(ctx: &mut Context, out: &mut dyn Write) -> anyhow::Result<ExportCounts> {
    authz::check(ctx, Action::GraphExport, None)?;
    let mut counts = ExportCounts::default();
    writeln!(
        out,
        "// IntelGraph export by maestro-cli {}",
        env!("CARGO_PKG_VERSION")
    )?;
    for s in schema() {
        out.write_all(shell_text(&s).as_bytes())?;
        counts.statements += 1;
    }
    let kinds: Vec<&str> = AdapterKind::Neo4j
        .outbox_kinds()
        .iter()
        .copied()
        .filter(|k| *k != "graph-schema")
        .collect();
    ctx.store
        .read()
        .outbox()
        .for_each(&kinds, |row| -> anyhow::Result<()> {
            counts.rows += 1;
            for s in statements(&row) {
                out.write_all(shell_text(&s).as_bytes())?;
                counts.statements += 1;
            }
            Ok(())
        })?;
    Ok(counts)
}
