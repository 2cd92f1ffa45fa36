//! A webhook for chat and incident tools: each row as a JSON POST, signed with HMAC-SHA256
//! over `<timestamp>.<body>` with the key in `token_env`:
//!
//! ```text
//! X-Maestro-Event: alert
//! X-Maestro-Delivery: alert:3:117:root-login      (the idempotency key: drop repeats)
//! X-Maestro-Timestamp: 1764064800                 (unix seconds: refuse stale ones)
//! X-Maestro-Signature: sha256=<hex>
//! ```

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::http::{Auth, Http};
use super::secret::{self, Secret};
use crate::config::AdapterConfig;
use crate::model::outbox::OutboxRow;
use crate::outbox::{Backend, Failure, one_by_one, parse};

pub struct Webhook {
    http: Http,
    key: Result<Option<Secret>, String>,
}

/// HMAC-SHA256 (RFC 2104), by the `hmac` crate.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC takes a key of any length (a longer one is hashed first): this cannot fail.
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The `X-Maestro-Signature` value of `body` sent at `timestamp`.
pub fn signature(key: &[u8], timestamp: i64, body: &str) -> String {
    let signed = format!("{timestamp}.{body}");
    format!(
        "sha256={}",
        crate::model::audit::hex(&hmac_sha256(key, signed.as_bytes()))
    )
}

impl Webhook {
    pub fn new(config: &AdapterConfig) -> Webhook {
        Webhook {
            // The key signs; it is not sent.
            http: Http::new(config, |_| Auth::None),
            key: secret::token(config),
        }
    }

    fn post(&self, row: &OutboxRow) -> Result<(), Failure> {
        let key = match &self.key {
            Ok(Some(k)) => k,
            Ok(None) => {
                return Err(Failure::permanent(
                    "a webhook needs token_env (its HMAC key)",
                ));
            }
            Err(e) => return Err(Failure::retry(e.clone())),
        };
        let payload: Value = parse(row)?;
        let body = json!({
            "id": row.id,
            "kind": row.kind,
            "key": row.idem_key,
            "tenant_id": row.tenant_id,
            "created_at": row.created_at,
            "payload": payload,
        })
        .to_string();
        let timestamp = jiff::Timestamp::now().as_second();
        let request = self
            .http
            .request(reqwest::Method::POST, "", &[])?
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Maestro-Event", row.kind.as_str())
            .header("X-Maestro-Delivery", row.idem_key.as_str())
            .header("X-Maestro-Timestamp", timestamp.to_string())
            .header(
                "X-Maestro-Signature",
                signature(key.expose().as_bytes(), timestamp, &body),
            )
            .body(body);
        self.http.send(request).map(|_| ())
    }
}

impl Backend for Webhook {
    fn deliver(&mut self, rows: &[OutboxRow]) -> Vec<Result<(), Failure>> {
        one_by_one(rows, |row| self.post(row))
    }

    fn reachable(&self) -> Result<(), String> {
        self.http.probe("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2.
        assert_eq!(
            crate::model::audit::hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block.
        assert_eq!(
            crate::model::audit::hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
