//! `audit:checkpoint`, `audit:prove` and `audit:verify --checkpoint`: the log's Merkle tree
//! signed and published (the checkpoint goes through the outbox to every SIEM, syslog and
//! webhook adapter: witnesses outside the state), proven for one event, and checked against
//! a checkpoint kept elsewhere, so that a log rewritten with a recomputed hash chain is caught.

use serde::Serialize;

use super::checkpoint::{self, CheckpointError, LogKey, LogVerifier};
use super::tree;
use crate::model::clock::Clock;
use crate::model::ids::TenantId;
use crate::model::merkle::{self, Frontier, Hash};
use crate::outbox::{self, Queued};
use crate::store::{Db, StoreError, StoredCheckpoint};

fn hex(h: &Hash) -> String {
    crate::model::audit::hex(h)
}

/// What `audit:checkpoint` signed, or found already signed.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckpointReport {
    pub origin: String,
    /// Events the checkpoint covers (the tree's size).
    pub size: u64,
    /// The tree's root, hex.
    pub root: String,
    pub key_id: String,
    pub at: String,
    /// `false`: the newest checkpoint already covered every event; nothing was signed.
    pub new: bool,
    /// The signed note, as witnesses receive it.
    pub note: String,
}

/// Signs the tree of every event with `key`, keeps the checkpoint and queues it for the
/// witnesses; when the newest checkpoint already covers every event, returns it. Call inside
/// a write transaction.
pub fn sign(db: &Db<'_>, clock: &Clock, key: &LogKey) -> anyhow::Result<CheckpointReport> {
    let at = clock.now_rfc3339();
    let verifier = key.verifier();
    let size = db.audit().head()?.map_or(0, |(seq, _)| seq);
    let report = |c: &StoredCheckpoint, new: bool| -> anyhow::Result<CheckpointReport> {
        let parsed = checkpoint::parse(&c.note)?;
        Ok(CheckpointReport {
            origin: parsed.origin,
            size: parsed.size,
            root: c.root.clone(),
            key_id: verifier.id_hex(),
            at: c.at.clone(),
            new,
            note: c.note.clone(),
        })
    };
    if size == 0 {
        anyhow::bail!("the audit log is empty: there is nothing to sign yet");
    }
    let latest = db.audit().latest_checkpoint()?;
    if let Some(latest) = &latest
        && latest.size == size
        && checkpoint::verify_note(&latest.note, &verifier).is_ok()
    {
        return report(latest, false);
    }
    let root = tree::ensure(db, size)?.root();
    // The log signed before must be a prefix of this one: a rewritten history (its tree
    // rebuilt from rewritten events) is refused, not signed.
    if let Some(latest) = &latest {
        let old_root = merkle::from_hex(&latest.root);
        let extends = latest.size <= size
            && old_root.is_some_and(|old| {
                merkle::consistency_proof(&mut tree::source(db), latest.size as u64, size as u64)
                    .is_ok_and(|proof| {
                        merkle::verify_consistency(
                            latest.size as u64,
                            size as u64,
                            &old,
                            &root,
                            &proof,
                        )
                    })
            });
        if !extends {
            return Err(SignError::Fork { size: latest.size }.into());
        }
    }
    let note = key.sign_note(&checkpoint::body(&key.name, size as u64, &root));
    let stored = StoredCheckpoint {
        size,
        root: hex(&root),
        note,
        at: at.clone(),
    };
    db.audit().add_checkpoint(&stored)?;
    let payload = serde_json::json!({
        "origin": key.name, "size": size, "root": stored.root, "key_id": verifier.id_hex(),
        "at": at, "note": stored.note,
    });
    outbox::enqueue(
        db,
        clock,
        &Queued {
            kind: "checkpoint",
            tenant_id: None,
            key: format!("checkpoint:{size}"),
            payload: payload.to_string(),
        },
    )?;
    report(&stored, true)
}

/// Why `audit:checkpoint` signs nothing.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(
        "the audit log does not extend its checkpoint of {size} events: history was rewritten; nothing was signed"
    )]
    Fork { size: i64 },
}

impl crate::model::Diagnostic for SignError {
    fn exit_status(&self) -> crate::model::ExitStatus {
        crate::model::ExitStatus::Problems
    }

    fn help(&self) -> Option<String> {
        Some("find the first rewritten event with `maestro-cli audit:verify --checkpoint FILE` and a checkpoint a witness kept".into())
    }
}

/// `audit:prove`: an event's inclusion proof.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InclusionReport {
    pub seq: i64,
    /// The event's leaf index (seq - 1) and the tree the proof is against.
    pub index: u64,
    pub tree_size: u64,
    /// The leaf hash of the event's JSON line, the tree's root and the audit path (from the
    /// leaf up), hex.
    pub leaf: String,
    pub root: String,
    pub proof: Vec<String>,
    /// The signed checkpoint of that tree, when one covers the event.
    pub checkpoint: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    #[error("no audit event {0}")]
    NoEvent(i64),
    #[error("audit event {0} is platform-wide: only a platform admin may prove it")]
    PlatformWide(i64),
}

impl crate::model::Diagnostic for ProofError {
    fn help(&self) -> Option<String> {
        match self {
            ProofError::NoEvent(_) => Some("list events with `maestro-cli audit:log`".into()),
            ProofError::PlatformWide(_) => None,
        }
    }
}

/// The tenant of event `seq` (`None`: platform-wide), or `NoEvent`.
pub fn tenant_of(db: &Db<'_>, seq: i64) -> anyhow::Result<Option<TenantId>> {
    let mut tenant = None;
    let mut found = false;
    db.audit().for_each_link_between(seq, seq, |l| {
        found = true;
        tenant = l.tenant_id.map(str::to_string);
        Ok(())
    })?;
    if !found {
        return Err(ProofError::NoEvent(seq).into());
    }
    Ok(tenant.map(|t| TenantId::parse(&t)).transpose()?)
}

/// The inclusion proof of event `seq` against the newest checkpoint that covers it, else
/// against the whole log as it is.
pub fn prove(db: &Db<'_>, seq: i64) -> anyhow::Result<InclusionReport> {
    let head = db.audit().head()?.map_or(0, |(s, _)| s);
    if seq < 1 || seq > head {
        return Err(ProofError::NoEvent(seq).into());
    }
    let signed = db.audit().latest_checkpoint()?.filter(|c| c.size >= seq);
    let size = signed.as_ref().map_or(head, |c| c.size) as u64;
    let index = (seq - 1) as u64;
    let mut source = tree::source(db);
    let proof = merkle::inclusion_proof(&mut source, index, size)?;
    let root = merkle::range_hash(&mut source, 0, size)?;
    let leaf = tree::perfect(db, 0, index)?;
    Ok(InclusionReport {
        seq,
        index,
        tree_size: size,
        leaf: hex(&leaf),
        root: hex(&root),
        proof: proof.iter().map(hex).collect(),
        checkpoint: signed.map(|c| c.note),
    })
}

/// What `audit:verify --checkpoint` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CheckpointCheck {
    pub ok: bool,
    /// Events the checkpoint covers, and events in the log now.
    pub checkpoint_size: u64,
    pub log_size: u64,
    /// The first event that is not what it was when the checkpoint was signed, when it can
    /// be told (the leaf kept with each event since the tree exists); else none.
    pub first_bad: Option<i64>,
    pub problem: Option<String>,
    /// `verified by NAME+ID`, or why it was not checked.
    pub signature: String,
}

/// Checks that the log now is the log of `note` (a checkpoint kept outside the state) with
/// events appended: the first `size` events, read and hashed again, must give its root, and
/// the kept tree's consistency proof must lead from it to the log's root now.
pub fn check(
    db: &Db<'_>,
    note: &str,
    verifier: Option<&LogVerifier>,
) -> Result<CheckpointCheck, CheckpointError> {
    let (c, signature) = match verifier {
        Some(v) => (
            checkpoint::verify_note(note, v)?,
            format!("verified by {}+{}", v.name, v.id_hex()),
        ),
        None => (
            checkpoint::parse(note)?,
            "not checked: pass --pubkey with the log's verifier key".to_string(),
        ),
    };
    let store_err = |e: StoreError| CheckpointError::Note(e.to_string());
    let mut whole = Frontier::default();
    let mut at_checkpoint = None;
    let mut first_bad = None;
    db.audit()
        .for_each_link(|link| {
            let leaf = link.leaf_hash();
            if first_bad.is_none()
                && link.stored_leaf.is_some_and(|stored| stored != leaf)
                && (link.seq as u64) <= c.size
            {
                first_bad = Some(link.seq);
            }
            if whole.size + 1 != link.seq as u64 && first_bad.is_none() {
                first_bad = Some(whole.size as i64 + 1);
            }
            whole.append(leaf, |_| {});
            if whole.size == c.size {
                at_checkpoint = Some(whole.root());
            }
            Ok(())
        })
        .map_err(store_err)?;
    if c.size == 0 {
        at_checkpoint = Some(merkle::empty_root());
    }
    let mut out = CheckpointCheck {
        ok: false,
        checkpoint_size: c.size,
        log_size: whole.size,
        first_bad: None,
        problem: None,
        signature,
    };
    let Some(old_root) = at_checkpoint else {
        out.first_bad = Some(whole.size as i64 + 1);
        out.problem = Some(format!(
            "the checkpoint covers {} events; the log has {}: events were removed",
            c.size, whole.size
        ));
        return Ok(out);
    };
    if old_root != c.root {
        out.first_bad = first_bad;
        out.problem = Some(match first_bad {
            Some(seq) => format!(
                "event {seq} is not the event the checkpoint of {} events covered: history was rewritten",
                c.size
            ),
            None => format!(
                "the first {} events no longer hash to the checkpoint's root: history was rewritten (their kept leaves were rewritten too, so the first changed event cannot be named)",
                c.size
            ),
        });
        return Ok(out);
    }
    let proof =
        merkle::consistency_proof(&mut tree::source(db), c.size, whole.size).map_err(store_err)?;
    if !merkle::verify_consistency(c.size, whole.size, &old_root, &whole.root(), &proof) {
        out.problem = Some(
            "the kept tree (its tiles) does not match the events: its consistency proof fails"
                .into(),
        );
        return Ok(out);
    }
    out.ok = true;
    Ok(out)
}
