//! Remote backends: one [`Backend`](crate::outbox::Backend) per remote system, reached only
//! from the outbox (`crate::outbox`: commands queue rows in the same transaction as their
//! change, and `sync` delivers them here, per adapter, in order). An adapter turns rows into
//! its server's requests and its answers into delivered / retry / refused-for-good; the
//! outbox decides what happens next.
//!
//! - [`syslog`]: RFC 5424 over TCP (audit events, security alerts), for a SIEM;
//! - [`pushgateway`], [`victoriametrics`]: each tenant's metrics (`outbox::payload::metrics`);
//! - [`loki`]: audit events and alerts as log lines labelled `tenant_id` and `kind`;
//! - [`neo4j`]: IntelGraph, the Cypher statements of `outbox::payload::graph`;
//! - [`grafana`]: the dashboards `dashboard:publish` queues;
//! - [`webhook`]: alerts and audit events as JSON signed with HMAC-SHA256.
//!
//! Tokens come from the environment variable `token_env` names, at delivery time, in a
//! [`secret::Secret`] that never prints; a failure keeps the server's answer only as an
//! excerpt with the token redacted in every encoding (`crate::outbox::redact`).

pub mod exposition;
pub mod grafana;
pub mod http;
pub mod loki;
pub mod neo4j;
pub mod pushgateway;
pub mod secret;
pub mod syslog;
pub mod victoriametrics;
pub mod webhook;

use crate::config::{AdapterConfig, AdapterKind};
use crate::outbox::Backend;

/// The backend of an `[[adapters]]` entry.
pub fn backend(config: &AdapterConfig) -> Box<dyn Backend> {
    match config.kind {
        AdapterKind::Syslog => Box::new(syslog::Syslog::new(config)),
        AdapterKind::Pushgateway => Box::new(pushgateway::Pushgateway::new(config)),
        AdapterKind::Victoriametrics => Box::new(victoriametrics::VictoriaMetrics::new(config)),
        AdapterKind::Loki => Box::new(loki::Loki::new(config)),
        AdapterKind::Neo4j => Box::new(neo4j::Neo4j::new(config)),
        AdapterKind::Grafana => Box::new(grafana::Grafana::new(config)),
        AdapterKind::Webhook => Box::new(webhook::Webhook::new(config)),
    }
}
