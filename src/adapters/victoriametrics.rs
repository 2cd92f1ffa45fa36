//! VictoriaMetrics: each tenant's metrics snapshot imported with its time,
//! `POST /api/v1/import/prometheus?extra_label=tenant_id=<id>`. The same sample imported twice
//! (same series, time and value) reads back once.

use super::exposition;
use super::http::{Auth, Http};
use crate::config::AdapterConfig;
use crate::model::outbox::OutboxRow;
use crate::outbox::payload::metrics::Snapshot;
use crate::outbox::{Backend, Failure, one_by_one, parse};

pub struct VictoriaMetrics {
    http: Http,
}

impl VictoriaMetrics {
    pub fn new(config: &AdapterConfig) -> VictoriaMetrics {
        VictoriaMetrics {
            http: Http::new(config, |t| t.map_or(Auth::None, Auth::Bearer)),
        }
    }
}

impl Backend for VictoriaMetrics {
    fn deliver(&mut self, rows: &[OutboxRow]) -> Vec<Result<(), Failure>> {
        one_by_one(rows, |row| {
            let snapshot = parse::<Snapshot>(row)?;
            let at: jiff::Timestamp = snapshot.at.parse().map_err(|e| {
                Failure::permanent(format!(
                    "outbox row {}: time `{}`: {e}",
                    row.id, snapshot.at
                ))
            })?;
            let label = format!("tenant_id={}", snapshot.tenant_id);
            let request = self
                .http
                .request(
                    reqwest::Method::POST,
                    "/api/v1/import/prometheus",
                    &[("extra_label", &label)],
                )?
                .header(reqwest::header::CONTENT_TYPE, "text/plain")
                .body(exposition::render(&snapshot, Some(at.as_millisecond())));
            self.http.send(request).map(|_| ())
        })
    }

    fn reachable(&self) -> Result<(), String> {
        self.http.probe("/health")
    }
}
