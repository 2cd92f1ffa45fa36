//! What every adapter implements: deliver rows in order, say whether the server answers.

use std::time::Duration;

use super::redact::Secrets;
use crate::model::outbox::OutboxRow;

/// Why a delivery failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `true`: retrying cannot help (the row goes to the dead letter at once).
    pub permanent: bool,
    pub message: String,
    /// The server's `Retry-After`, when it gave one.
    pub retry_after: Option<Duration>,
    /// `false`: the row was not sent at all (it waits behind an earlier one); its attempts
    /// do not grow.
    pub tried: bool,
}

impl Failure {
    pub fn retry(message: impl Into<String>) -> Failure {
        Failure {
            permanent: false,
            message: message.into(),
            retry_after: None,
            tried: true,
        }
    }

    pub fn permanent(message: impl Into<String>) -> Failure {
        Failure {
            permanent: true,
            ..Failure::retry(message)
        }
    }

    /// A row not sent because an earlier one of its batch must be retried first.
    pub fn waiting() -> Failure {
        Failure {
            tried: false,
            ..Failure::retry("waiting behind an earlier row that is retried")
        }
    }

    /// The failure with `secrets` out of its message.
    pub fn redacted(mut self, secrets: &Secrets) -> Failure {
        if let std::borrow::Cow::Owned(message) = secrets.redact(&self.message) {
            self.message = message;
        }
        self
    }
}

/// A remote backend.
pub trait Backend {
    /// Delivers `rows` in order; one result per row.
    fn deliver(&mut self, rows: &[OutboxRow]) -> Vec<Result<(), Failure>>;
    /// Whether it answers at all (for `status`).
    fn reachable(&self) -> Result<(), String>;
}

/// Delivers `rows` one at a time with `send`, in order: after a failure that may pass, the
/// rest of the batch waits too (order is kept); a row refused for good does not hold the
/// others back.
pub fn one_by_one(
    rows: &[OutboxRow],
    mut send: impl FnMut(&OutboxRow) -> Result<(), Failure>,
) -> Vec<Result<(), Failure>> {
    let mut blocked = false;
    rows.iter()
        .map(|row| {
            if blocked {
                return Err(Failure::waiting());
            }
            let result = send(row);
            if matches!(&result, Err(f) if !f.permanent) {
                blocked = true;
            }
            result
        })
        .collect()
}

/// `payload` as JSON, or a permanent failure naming the row (a poison row goes to the dead
/// letter instead of holding its queue).
pub fn parse<T: serde::de::DeserializeOwned>(row: &OutboxRow) -> Result<T, Failure> {
    serde_json::from_str(&row.payload).map_err(|e| {
        Failure::permanent(format!(
            "outbox row {} ({}) is not valid: {e}",
            row.id, row.kind
        ))
    })
}
