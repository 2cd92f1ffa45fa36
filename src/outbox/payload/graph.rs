//! IntelGraph's Cypher (S0-04, S0-07): the core schema and, for each outbox row the graph
//! cares about, the statements that bring the graph up to date. Statements are fixed texts
//! with parameters (`$id`, `$props`): no value is ever spliced into Cypher. `MERGE` makes
//! every statement idempotent, so a row delivered twice changes nothing.
//!
//! Nodes (each with a unique `id`): `Tenant`, `User`, `Feature` (a `feature-lifecycle` flow's
//! feature), `Incident` (a security alert), `Repo`, `CommitSignal` (a repository's day).

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::outbox::OutboxRow;

/// The node labels of the core schema, each with a uniqueness constraint on `id`.
pub const LABELS: &[&str] = &[
    "Tenant",
    "User",
    "Feature",
    "Incident",
    "Repo",
    "CommitSignal",
];

/// One Cypher statement and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    pub statement: String,
    pub parameters: Map<String, Value>,
}

fn statement(text: &str, parameters: Value) -> Statement {
    Statement {
        statement: text.to_string(),
        parameters: match parameters {
            Value::Object(m) => m,
            _ => Map::new(),
        },
    }
}

/// `CREATE CONSTRAINT ... IF NOT EXISTS` for every label.
pub fn schema() -> Vec<Statement> {
    LABELS
        .iter()
        .map(|label| Statement {
            statement: format!(
                "CREATE CONSTRAINT {}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE",
                label.to_lowercase()
            ),
            parameters: Map::new(),
        })
        .collect()
}

const MERGE_TENANT: &str = "MERGE (t:Tenant {id: $id}) SET t += $props";
const MERGE_USER: &str = "MERGE (u:User {id: $user}) SET u += $props";
const GRANT: &str = "MERGE (u:User {id: $user}) MERGE (t:Tenant {id: $tenant}) \
                     MERGE (u)-[r:HAS_ROLE {role: $role}]->(t) SET r.granted_at = $at";
const REVOKE: &str = "MATCH (u:User {id: $user})-[r:HAS_ROLE {role: $role}]->(t:Tenant {id: $tenant}) \
                      DELETE r";
const FEATURE: &str = "MERGE (f:Feature {id: $id}) SET f += $props";
const TENANT_FEATURE: &str = "MERGE (t:Tenant {id: $tenant}) MERGE (f:Feature {id: $id}) \
                              MERGE (t)-[:OWNS]->(f)";
const INCIDENT: &str = "MERGE (i:Incident {id: $id}) SET i += $props";
const TENANT_INCIDENT: &str = "MERGE (t:Tenant {id: $tenant}) MERGE (i:Incident {id: $id}) \
                               MERGE (t)-[:HAS_INCIDENT]->(i)";
const SIGNAL: &str = "MERGE (r:Repo {id: $repo}) MERGE (s:CommitSignal {id: $id}) \
                      SET s += $props MERGE (r)-[:HAS_SIGNAL]->(s)";
const TENANT_REPO: &str = "MERGE (t:Tenant {id: $tenant}) MERGE (r:Repo {id: $repo}) \
                           MERGE (t)-[:OWNS]->(r)";

/// Only the scalar and list-of-scalar values of `v` (what a Neo4j property can hold).
fn props(pairs: &[(&str, &Value)]) -> Value {
    let mut out = Map::new();
    for (k, v) in pairs {
        let storable = match v {
            Value::Null | Value::Object(_) => false,
            Value::Array(items) => items.iter().all(|i| !i.is_object() && !i.is_array()),
            _ => true,
        };
        if storable {
            out.insert((*k).to_string(), (*v).clone());
        }
    }
    Value::Object(out)
}

/// The statements that bring the graph up to date with `row` (none for rows it ignores).
pub fn statements(row: &OutboxRow) -> Vec<Statement> {
    let Ok(p) = serde_json::from_str::<Value>(&row.payload) else {
        return Vec::new();
    };
    match row.kind.as_str() {
        "graph-schema" => schema(),
        "audit" => audit(&p),
        "alert" => {
            let id = &row.idem_key;
            let fields = [
                "rule", "level", "title", "at", "host", "program", "user", "src_ip", "count",
            ];
            let pairs: Vec<(&str, &Value)> = fields.iter().map(|f| (*f, &p[*f])).collect();
            let mut out = vec![statement(
                INCIDENT,
                json!({"id": id, "props": props(&pairs)}),
            )];
            if let Some(t) = row.tenant_id.as_deref() {
                out.push(statement(TENANT_INCIDENT, json!({"id": id, "tenant": t})));
            }
            out
        }
        "commits" => {
            let (repo, day) = (&p["repo"], &p["day"]);
            let id = format!(
                "{}@{}",
                repo.as_str().unwrap_or_default(),
                day.as_str().unwrap_or_default()
            );
            let pairs = [
                ("day", day),
                ("repo", repo),
                ("commits", &p["commits"]),
                ("authors", &p["authors"]),
                ("tenant_id", &p["tenant_id"]),
            ];
            let mut out = vec![statement(
                SIGNAL,
                json!({"repo": repo, "id": id, "props": props(&pairs)}),
            )];
            if let Some(t) = row.tenant_id.as_deref() {
                out.push(statement(TENANT_REPO, json!({"repo": repo, "tenant": t})));
            }
            out
        }
        _ => Vec::new(),
    }
}

fn audit(event: &Value) -> Vec<Statement> {
    let d = &event["details"];
    let at = &event["at"];
    let tenant = event["tenant_id"].as_str();
    let target = event["target"].as_str().unwrap_or_default();
    let principal = target.strip_prefix("principal/").unwrap_or(target);
    match event["action"].as_str().unwrap_or_default() {
        "tenant.create" => vec![statement(
            MERGE_TENANT,
            json!({"id": tenant, "props": props(&[
                ("name", &d["name"]), ("tier", &d["tier"]), ("regions", &d["regions"]),
                ("namespace", &d["namespace"]), ("status", &json!("active")), ("created_at", at),
            ])}),
        )],
        "tenant.update" => {
            let new = |k: &str| d[k]["new"].clone();
            let (name, tier, regions) = (new("name"), new("tier"), new("regions"));
            vec![statement(
                MERGE_TENANT,
                json!({"id": tenant, "props": props(&[
                    ("name", &name), ("tier", &tier), ("regions", &regions), ("updated_at", at),
                ])}),
            )]
        }
        "tenant.delete" => vec![statement(
            MERGE_TENANT,
            json!({"id": tenant, "props": props(&[("status", &json!("deleted")), ("deleted_at", at)])}),
        )],
        "principal.bootstrap" => vec![statement(
            MERGE_USER,
            json!({"user": principal, "props": {"platform_admin": true}}),
        )],
        "principal.grant" | "principal.revoke" => {
            let role = &d["role"];
            let granted = event["action"] == "principal.grant";
            match (d["tenant"].as_str(), granted) {
                (Some(t), true) => vec![statement(
                    GRANT,
                    json!({"user": principal, "tenant": t, "role": role, "at": at}),
                )],
                (Some(t), false) => vec![statement(
                    REVOKE,
                    json!({"user": principal, "tenant": t, "role": role}),
                )],
                // A platform-wide role: a property of the user.
                (None, _) => vec![statement(
                    MERGE_USER,
                    json!({"user": principal, "props": {"platform_admin": granted}}),
                )],
            }
        }
        "flow.run.start" if d["flow"] == "feature-lifecycle" => {
            let params = &d["params"];
            let Some(feature) = params["feature"].as_str() else {
                return Vec::new();
            };
            let id = format!("{}/{feature}", tenant.unwrap_or("platform"));
            let mut out = vec![statement(
                FEATURE,
                json!({"id": id, "props": props(&[
                    ("name", &json!(feature)), ("service", &params["service"]),
                    ("version", &params["version"]), ("started_at", at),
                ])}),
            )];
            if let Some(t) = tenant {
                out.push(statement(TENANT_FEATURE, json!({"id": id, "tenant": t})));
            }
            out
        }
        _ => Vec::new(),
    }
}

/// A Cypher literal of `v`, for the `:param` lines of an export (strings single-quoted with
/// `\` and `'` escaped).
pub fn literal(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let mut out = String::with_capacity(s.len() + 2);
            out.push('\'');
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\'' => out.push_str("\\'"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c => out.push(c),
                }
            }
            out.push('\'');
            out
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(literal).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("`{}`: {}", k.replace('`', "``"), literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A statement as `cypher-shell` runs it: its parameters set by a `:param` line, then the
/// statement and `;`.
pub fn shell_text(s: &Statement) -> String {
    if s.parameters.is_empty() {
        format!("{};\n", s.statement)
    } else {
        format!(
            ":param {}\n{};\n",
            literal(&Value::Object(s.parameters.clone())),
            s.statement
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &str, payload: Value) -> OutboxRow {
        OutboxRow {
            id: 1,
            kind: kind.into(),
            tenant_id: payload["tenant_id"].as_str().map(str::to_string),
            idem_key: "k:1".into(),
            payload: payload.to_string(),
            created_at: "2026-11-25T10:00:00Z".into(),
            attempts: 0,
        }
    }

    #[test]
    fn values_reach_statements_as_parameters_only() {
        let evil = "x'}) DETACH DELETE (n) //";
        let s = statements(&row(
            "audit",
            json!({"action": "tenant.create", "tenant_id": "acme", "at": "t",
                   "details": {"name": evil, "tier": "prod", "regions": ["eu-west-1"]}}),
        ));
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].statement, MERGE_TENANT);
        assert_eq!(s[0].parameters["props"]["name"], evil);
        assert_eq!(literal(&json!(evil)), r"'x\'}) DETACH DELETE (n) //'");
    }

    #[test]
    fn rows_the_graph_ignores_make_no_statement() {
        assert!(statements(&row("audit", json!({"action": "policy.decision"}))).is_empty());
        assert!(statements(&row("metrics", json!({}))).is_empty());
        assert_eq!(schema().len(), LABELS.len());
    }
}
