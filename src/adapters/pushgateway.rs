//! Prometheus Pushgateway: each tenant's metrics snapshot replaces its group,
//! `PUT /metrics/job/maestro/tenant_id/<id>`, in the text exposition format. A PUT replaces
//! the whole group, so delivering a snapshot twice changes nothing, and of several snapshots
//! of one tenant in a batch only the newest is sent.

use ct_codecs::{Base64UrlSafe, Encoder};

use super::exposition;
use super::http::{Auth, Http};
use crate::config::AdapterConfig;
use crate::model::outbox::OutboxRow;
use crate::outbox::payload::metrics::Snapshot;
use crate::outbox::{Backend, Failure, one_by_one, parse};

pub struct Pushgateway {
    http: Http,
}

/// A grouping-key path segment `label/value`: a value with `/` (or an empty one) in
/// URL-safe base64 as `label@base64/...`.
pub fn group_segment(label: &str, value: &str) -> String {
    if value.is_empty() {
        return format!("{label}@base64/=");
    }
    if value.contains('/')
        || !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
    {
        let encoded = Base64UrlSafe::encode_to_string(value.as_bytes()).unwrap_or_default();
        return format!("{label}@base64/{encoded}");
    }
    format!("{label}/{value}")
}

impl Pushgateway {
    pub fn new(config: &AdapterConfig) -> Pushgateway {
        Pushgateway {
            http: Http::new(config, |t| t.map_or(Auth::None, Auth::Bearer)),
        }
    }

    fn push(&self, snapshot: &Snapshot) -> Result<(), Failure> {
        let path = format!(
            "/metrics/job/maestro/{}",
            group_segment("tenant_id", &snapshot.tenant_id)
        );
        let request = self
            .http
            .request(reqwest::Method::PUT, &path, &[])?
            .header(reqwest::header::CONTENT_TYPE, "text/plain; version=0.0.4")
            .body(exposition::render(snapshot, None));
        self.http.send(request).map(|_| ())
    }
}

impl Backend for Pushgateway {
    fn deliver(&mut self, rows: &[OutboxRow]) -> Vec<Result<(), Failure>> {
        one_by_one(rows, |row| {
            let superseded = rows
                .iter()
                .any(|later| later.id > row.id && later.tenant_id == row.tenant_id);
            if superseded {
                return Ok(());
            }
            self.push(&parse::<Snapshot>(row)?)
        })
    }

    fn reachable(&self) -> Result<(), String> {
        self.http.probe("/-/healthy")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_values_with_a_slash_go_base64() {
        assert_eq!(group_segment("tenant_id", "acme"), "tenant_id/acme");
        assert_eq!(group_segment("tenant_id", "a/b"), "tenant_id@base64/YS9i");
        assert_eq!(group_segment("tenant_id", ""), "tenant_id@base64/=");
    }
}
