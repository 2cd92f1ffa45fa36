//! An outbox row as the store keeps it and the adapters deliver it.

use serde::Serialize;

/// An outbox row, with how often its delivery to one adapter was tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub tenant_id: Option<String>,
    pub idem_key: String,
    pub payload: String,
    pub created_at: String,
    pub attempts: i64,
}
