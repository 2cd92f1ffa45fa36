//! Grafana Loki: audit events and alerts as log lines, `POST /loki/api/v1/push`, one stream
//! per row labelled `job="maestro-cli"`, `kind` and `tenant_id`, at the row's time. The line
//! is `{"key": <idempotency key>, "event": <payload>}`; Loki drops an entry whose stream, time
//! and line it already has, so a row delivered twice is stored once. With `org_id_per_tenant`
//! each tenant's lines go to its own Loki tenant (`X-Scope-OrgID`).

use serde_json::{Value, json};

use super::http::{Auth, Http};
use crate::config::AdapterConfig;
use crate::model::outbox::OutboxRow;
use crate::outbox::{Backend, Failure, one_by_one};

pub struct Loki {
    http: Http,
    org_id: Option<String>,
    per_tenant: bool,
}

/// The push body of one row.
pub fn body(row: &OutboxRow) -> Result<Value, Failure> {
    let at: jiff::Timestamp = row.created_at.parse().map_err(|e| {
        Failure::permanent(format!(
            "outbox row {}: time `{}`: {e}",
            row.id, row.created_at
        ))
    })?;
    let event: Value = crate::outbox::parse(row)?;
    let line = json!({"key": row.idem_key, "event": event}).to_string();
    let mut stream = json!({"job": "maestro-cli", "kind": row.kind});
    if let Some(t) = &row.tenant_id {
        stream["tenant_id"] = json!(t);
    }
    Ok(json!({"streams": [{
        "stream": stream,
        "values": [[at.as_nanosecond().to_string(), line]],
    }]}))
}

impl Loki {
    pub fn new(config: &AdapterConfig) -> Loki {
        Loki {
            http: Http::new(config, |t| t.map_or(Auth::None, Auth::Bearer)),
            org_id: config.org_id.clone(),
            per_tenant: config.org_id_per_tenant,
        }
    }

    fn org(&self, row: &OutboxRow) -> Option<String> {
        match (&row.tenant_id, self.per_tenant) {
            (Some(t), true) => Some(t.clone()),
            _ => self.org_id.clone(),
        }
    }
}

impl Backend for Loki {
    fn deliver(&mut self, rows: &[OutboxRow]) -> Vec<Result<(), Failure>> {
        one_by_one(rows, |row| {
            let mut request = self
                .http
                .request(reqwest::Method::POST, "/loki/api/v1/push", &[])?
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body(row)?.to_string());
            if let Some(org) = self.org(row) {
                request = request.header("X-Scope-OrgID", org);
            }
            self.http.send(request).map(|_| ())
        })
    }

    fn reachable(&self) -> Result<(), String> {
        self.http.probe("/ready")
    }
}
