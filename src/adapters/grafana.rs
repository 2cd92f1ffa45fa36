//! Grafana: the dashboards `dashboard:publish` queues, `POST /api/dashboards/db` with
//! `overwrite: true` (a dashboard published twice is the same dashboard) into `folder_uid`
//! when configured. A 412 (another dashboard has the title or uid) and a 404 (no such
//! folder) get messages that say what to change.

use serde_json::Value;

use super::http::{Auth, Http};
use crate::config::AdapterConfig;
use crate::model::outbox::OutboxRow;
use crate::outbox::{Backend, Failure, one_by_one, parse};

pub struct Grafana {
    http: Http,
    folder_uid: Option<String>,
}

impl Grafana {
    pub fn new(config: &AdapterConfig) -> Grafana {
        Grafana {
            http: Http::new(config, |t| t.map_or(Auth::None, Auth::Bearer)),
            folder_uid: config.folder_uid.clone(),
        }
    }

    fn publish(&self, row: &OutboxRow) -> Result<(), Failure> {
        let mut body: Value = parse(row)?;
        if let Some(folder) = &self.folder_uid {
            body["folderUid"] = Value::from(folder.as_str());
        }
        let uid = body["dashboard"]["uid"].as_str().unwrap_or("?").to_string();
        let request = self
            .http
            .request(reqwest::Method::POST, "/api/dashboards/db", &[])?
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        let answer = self.http.exchange(request)?;
        match answer.status {
            412 => Err(Failure::permanent(format!(
                "Grafana refused dashboard `{uid}` (HTTP 412, precondition failed): another dashboard in that folder has its title, or another folder holds its uid; rename or move that one, then `maestro-cli sync:retry {}`",
                row.id
            ))),
            404 if self.folder_uid.is_some() => Err(Failure::permanent(format!(
                "Grafana has no folder `{}` (folder_uid of this adapter) for dashboard `{uid}` (HTTP 404)",
                self.folder_uid.as_deref().unwrap_or_default()
            ))),
            _ => self.http.check(answer).map(|_| ()),
        }
    }
}

impl Backend for Grafana {
    fn deliver(&mut self, rows: &[OutboxRow]) -> Vec<Result<(), Failure>> {
        one_by_one(rows, |row| self.publish(row))
    }

    fn reachable(&self) -> Result<(), String> {
        self.http.probe("/api/health")
    }
}
