//! The audit event as stored and hashed: `hash = sha256(prev_hash || canonical_json(event))`
//! where the event is `{seq, at, actor, tenant_id, action, target, details}` with keys sorted
//! and no whitespace; the first event's `prev_hash` is [`GENESIS`]. The store computes the hash
//! when it appends (the chain head is its serial point); `audit::verify` and `pack:verify`
//! recompute it.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A recorded event, as stored and as printed by `audit:log --output json`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub tenant_id: Option<String>,
    pub action: String,
    pub target: String,
    pub details: Value,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    /// The hash this event should carry, given its fields and `prev_hash`.
    pub fn compute_hash(&self) -> String {
        event_hash(
            &self.prev_hash,
            self.seq,
            &self.at,
            &self.actor,
            self.tenant_id.as_deref(),
            &self.action,
            &self.target,
            &canonical_json(&self.details),
        )
    }
}

/// `sha256(prev_hash || canonical JSON of the event)`, with the event's canonical JSON written
/// out directly (keys in sorted order: action, actor, at, details, seq, target, tenant_id).
/// `details` must already be canonical JSON — as stored.
#[allow(clippy::too_many_arguments)]
pub fn event_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    actor: &str,
    tenant_id: Option<&str>,
    action: &str,
    target: &str,
    details: &str,
) -> String {
    let js = |s: &str| Value::String(s.to_string()).to_string();
    let body = format!(
        "{{\"action\":{},\"actor\":{},\"at\":{},\"details\":{details},\"seq\":{seq},\"target\":{},\"tenant_id\":{}}}",
        js(action),
        js(actor),
        js(at),
        js(target),
        tenant_id.map_or_else(|| "null".to_string(), js),
    );
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(body.as_bytes());
    hex(&hasher.finalize())
}

/// An event as one JSON line (without its newline), in the field order of `AuditEvent`'s
/// serialization, `details` as stored (canonical JSON); a tenant's event ends with
/// `tenant_prev`, the number of the tenant's event before it (0 for its first). What a
/// pack's `audit/events.jsonl` holds, and the leaf of the event in the log's Merkle tree
/// (`model::merkle`): so the tree commits to each tenant's events being a gapless list, and
/// a pack cannot leave one out between two it shows.
#[allow(clippy::too_many_arguments)]
pub fn json_line(
    seq: i64,
    at: &str,
    actor: &str,
    tenant_id: Option<&str>,
    action: &str,
    target: &str,
    details: &str,
    prev_hash: &str,
    hash: &str,
    tenant_prev: Option<i64>,
) -> String {
    let js = |s: &str| Value::String(s.to_string()).to_string();
    let tenant_prev = tenant_prev
        .map(|p| format!(",\"tenant_prev\":{p}"))
        .unwrap_or_default();
    format!(
        "{{\"seq\":{seq},\"at\":{},\"actor\":{},\"tenant_id\":{},\"action\":{},\"target\":{},\"details\":{details},\"prev_hash\":{},\"hash\":{}{tenant_prev}}}",
        js(at),
        js(actor),
        tenant_id.map_or_else(|| "null".to_string(), js),
        js(action),
        js(target),
        js(prev_hash),
        js(hash),
    )
}

/// JSON with object keys sorted and no whitespace: the form that is hashed.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Lowercase hex of `bytes` (ct-codecs, constant-time).
pub fn hex(bytes: &[u8]) -> String {
    use ct_codecs::Encoder;
    // Fails only when twice the input's length overflows `usize`.
    ct_codecs::Hex::encode_to_string(bytes).expect("hex of an in-memory value")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_direct_event_hash_is_the_canonical_json_hash() {
        let e = AuditEvent {
            seq: 7,
            at: "2026-11-25T10:00:00.000Z".into(),
            actor: "a\"b@x.example".into(),
            tenant_id: None,
            action: "tenant.update".into(),
            target: "tenant/é".into(),
            details: serde_json::json!({"z": [1, {"b": null, "a": "\n"}], "a": true}),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        let body = serde_json::json!({
            "seq": e.seq, "at": e.at, "actor": e.actor, "tenant_id": e.tenant_id,
            "action": e.action, "target": e.target, "details": e.details,
        });
        let mut h = Sha256::new();
        h.update(e.prev_hash.as_bytes());
        h.update(canonical_json(&body).as_bytes());
        assert_eq!(e.compute_hash(), hex(&h.finalize()));
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let v = serde_json::json!({"b": 1, "a": {"d": [1, {"z": 0, "y": "é\n"}], "c": null}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":null,"d":[1,{"y":"é\n","z":0}]},"b":1}"#
        );
    }

    /// A JSON value as a tree, so that it can be written out with its keys in any order.
    #[derive(Debug, Clone)]
    enum Tree {
        Leaf(Value),
        List(Vec<Tree>),
        Object(Vec<(String, Tree)>),
    }

    fn tree() -> impl proptest::strategy::Strategy<Value = Tree> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "[a-zé\\\"\n\t ]{0,8}".prop_map(Value::String),
        ]
        .prop_map(Tree::Leaf);
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Tree::List),
                proptest::collection::btree_map("[a-z_]{1,6}", inner, 0..6)
                    .prop_map(|m| Tree::Object(m.into_iter().collect())),
            ]
        })
    }

    /// `tree` as JSON text, each object's keys rotated by `turn` places.
    fn text(tree: &Tree, turn: usize) -> String {
        match tree {
            Tree::Leaf(v) => v.to_string(),
            Tree::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(|t| text(t, turn))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Tree::Object(pairs) => {
                let mut pairs: Vec<&(String, Tree)> = pairs.iter().collect();
                if !pairs.is_empty() {
                    let n = turn % pairs.len();
                    pairs.rotate_left(n);
                }
                let body: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| format!("{} : {}", Value::String(k.clone()), text(v, turn)))
                    .collect();
                format!("{{ {} }}", body.join(" , "))
            }
        }
    }

    proptest::proptest! {
        /// The hashed form of an event's details does not depend on the order its keys were
        /// written in (nor on whitespace), and it reads back as the same value.
        #[test]
        fn canonical_json_is_stable_under_key_order(t in tree(), turn in 0usize..8) {
            let written: Value = serde_json::from_str(&text(&t, 0)).unwrap();
            let turned: Value = serde_json::from_str(&text(&t, turn)).unwrap();
            let canonical = canonical_json(&written);
            proptest::prop_assert_eq!(&canonical, &canonical_json(&turned));
            let back: Value = serde_json::from_str(&canonical).unwrap();
            proptest::prop_assert_eq!(&canonical_json(&back), &canonical);
            proptest::prop_assert_eq!(back, written);
        }
    }
}
