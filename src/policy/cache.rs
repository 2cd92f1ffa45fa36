//! Decisions remembered across processes. A decision is a function of the engine (and its
//! version), the policy bundle, the data document, the query and the input, as long as the
//! modules the query reaches call no builtin that reads the clock, randomness or the network
//! (see [`super::deps`]; the shipped policies take the time from `input.now`). So a decision
//! once made is stored under a digest of all of these, and the next process that asks the
//! same question reads it instead of parsing, preparing and evaluating the policies again:
//! a deploy gate that every pipeline runs, or the ABAC question every command of an operator
//! asks. An entry is never stale (any change to what it depends on changes its key), only
//! unused; the newest [`DECISIONS_KEPT`](crate::store::DECISIONS_KEPT) are kept.
//!
//! Entries made in a process are written with the next decision it logs (in that
//! transaction, so no commit of their own); a read-only command remembers nothing. The
//! decision log still records every decision, remembered or not.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Decision, PolicyError};
use crate::model::audit::hex;
use crate::store::{Db, StoreError};

/// What a decision is a function of, besides its query and input.
pub struct Basis<'a> {
    pub engine: &'a str,
    pub engine_version: &'a str,
    pub bundle_sha256: &'a str,
    /// sha256 over the data document as it was added to the engine.
    pub data_sha256: &'a str,
}

/// The first part of every key. Change it whenever what is remembered changes meaning (how
/// [`Governance::decide`](super::Governance::decide) reads a decision out of the policy's
/// value, or the stored form of [`Decision`]): entries of the old form are then never read.
const FORM: &str = "maestro decision cache v1";

/// The key of the decision of `query` on `input`. A key found means the decision was pure
/// when it was stored, so the key also names what made it pure: the builtin namespaces
/// counted as impure and this binary's version (a new release asks afresh).
pub fn key(basis: &Basis<'_>, query: &str, input: &Value) -> String {
    let mut h = Sha256::new();
    for part in super::deps::IMPURE {
        h.update(part.as_bytes());
        h.update([1]);
    }
    for part in [
        FORM,
        env!("CARGO_PKG_VERSION"),
        basis.engine,
        basis.engine_version,
        basis.bundle_sha256,
        basis.data_sha256,
        query,
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.update(input.to_string().as_bytes());
    hex(&h.finalize())
}

/// The decision remembered under `key`. An entry that does not read back as a decision is
/// treated as absent (it is replaced when the decision is made again).
pub fn get(db: &Db<'_>, key: &str) -> Result<Option<Decision>, PolicyError> {
    Ok(db
        .decision_cache()
        .get(key)?
        .and_then(|text| serde_json::from_str(&text).ok()))
}

/// Decisions made and not yet written, `(key, decision as JSON)`: kept by the command's
/// context and shared by every governance it makes (a clone is a handle on the same list), so
/// that the next logged decision, whoever asks for it, writes them in its transaction.
#[derive(Debug, Clone, Default)]
pub struct Unwritten(Arc<Mutex<Vec<(String, String)>>>);

impl Unwritten {
    /// Keeps `decision` to be written under `key` with the next logged decision.
    pub fn note(&self, key: String, decision: &Decision) {
        if let (Ok(text), Ok(mut list)) = (serde_json::to_string(decision), self.0.lock()) {
            list.push((key, text));
        }
    }

    /// Writes the decisions kept by [`note`](Unwritten::note), in the caller's transaction.
    pub fn flush(&self, db: &Db<'_>) -> Result<(), StoreError> {
        let kept = match self.0.lock() {
            Ok(mut list) => std::mem::take(&mut *list),
            Err(_) => Vec::new(),
        };
        for (key, text) in &kept {
            db.decision_cache().put(key, text)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::DECISIONS_KEPT as KEPT;
    use crate::store::Store;

    #[test]
    fn every_part_of_the_basis_query_and_input_is_in_the_key() {
        let basis = Basis {
            engine: "regorus",
            engine_version: "0.10.1",
            bundle_sha256: "b",
            data_sha256: "d",
        };
        let input = serde_json::json!({"tenant": "acme", "cluster": "eu-prod-1"});
        let k = key(&basis, "data.q.decision", &input);
        assert_eq!(k.len(), 64);
        assert_eq!(k, key(&basis, "data.q.decision", &input.clone()));
        let others = [
            key(
                &Basis {
                    engine: "opa-wasm",
                    ..basis
                },
                "data.q.decision",
                &input,
            ),
            key(
                &Basis {
                    engine_version: "0.10.2",
                    ..basis
                },
                "data.q.decision",
                &input,
            ),
            key(
                &Basis {
                    bundle_sha256: "c",
                    ..basis
                },
                "data.q.decision",
                &input,
            ),
            key(
                &Basis {
                    data_sha256: "e",
                    ..basis
                },
                "data.q.decision",
                &input,
            ),
            key(&basis, "data.r.decision", &input),
            key(
                &basis,
                "data.q.decision",
                &serde_json::json!({"tenant": "acme"}),
            ),
            // No part can run into the next: `b` + `d` is not `bd` + ``.
            key(
                &Basis {
                    bundle_sha256: "bd",
                    data_sha256: "",
                    ..basis
                },
                "data.q.decision",
                &input,
            ),
        ];
        for other in others {
            assert_ne!(other, k);
        }
    }

    #[test]
    fn the_newest_entries_are_kept_and_a_broken_one_is_absent() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("state.db")).unwrap();
        let decision = Decision {
            allow: false,
            deny: vec!["no".into()],
            audit: false,
            exceptions_applied: vec![],
        };
        let unwritten = Unwritten::default();
        for i in 0..KEPT + 10 {
            unwritten.note(format!("k{i}"), &decision);
        }
        store.write(|db| unwritten.flush(db)).unwrap();
        let db = store.read();
        assert_eq!(db.decision_cache().count().unwrap(), KEPT);
        assert_eq!(get(&db, "k9").unwrap(), None);
        assert_eq!(get(&db, "k10").unwrap(), Some(decision.clone()));
        assert_eq!(get(&db, &format!("k{}", KEPT + 9)).unwrap(), Some(decision));
        store
            .write(|db| db.decision_cache().put("k10", "not a decision"))
            .unwrap();
        assert_eq!(get(&store.read(), "k10").unwrap(), None);
    }
}
