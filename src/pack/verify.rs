//! `pack:verify`: reads the archive once, as a stream (`read::read_archive`), in memory that
//! does not grow with what the archive holds or claims, never extracting; then checks every
//! file against the manifest, the signature, and the audit events inside.

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::read::{
    CHAIN, CHECKPOINT, CHECKPOINT_CONSISTENCY, MANIFEST, PUBLIC_KEY, SIGNATURE, read_archive,
};
use super::{FORMAT, FORMATS, PackError, keys};

/// Problems listed in the report; past this many they are only counted.
const MAX_PROBLEMS: usize = 1000;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct VerifyReport {
    pub ok: bool,
    pub tenant: Option<String>,
    pub files: usize,
    /// Where the public key came from: `--pubkey` or the pack itself.
    pub key: String,
    pub signed_comment: Option<String>,
    pub problems: Vec<String>,
    /// The audit log's checkpoint the events were proven against (format 2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<PackCheckpoint>,
}

/// The log's checkpoint a pack's events are proven in.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PackCheckpoint {
    pub origin: String,
    /// Events of the whole log the checkpoint covers, and its root (hex).
    pub size: u64,
    pub root: String,
    /// `verified by NAME+ID`, or why it was not checked.
    pub signature: String,
    /// With `--checkpoint FILE`: how the pack's checkpoint relates to that one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witnessed: Option<String>,
}

/// The problems found, in order. A hostile pack can make one per entry or per event line:
/// past `MAX_PROBLEMS` they are counted, not kept.
#[derive(Default)]
pub(super) struct Problems {
    list: Vec<String>,
    more: usize,
}

impl Problems {
    pub(super) fn push(&mut self, problem: String) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(problem);
        } else {
            self.more += 1;
        }
    }

    fn append(&mut self, other: Problems) {
        for p in other.list {
            self.push(p);
        }
        self.more += other.more;
    }

    fn is_empty(&self) -> bool {
        self.list.is_empty() && self.more == 0
    }

    pub(super) fn into_vec(mut self) -> Vec<String> {
        if self.more > 0 {
            self.list
                .push(format!("{} more problems, not listed", self.more));
        }
        self.list
    }
}

/// `manifest.json` as far as verify reads it: typed, so that the rest is skipped as it is
/// parsed, not held as a JSON tree.
#[derive(Deserialize)]
struct Manifest {
    format: Option<String>,
    tenant: Option<String>,
    period: Option<Period>,
    #[serde(default)]
    files: Vec<ManifestFile>,
}

#[derive(Deserialize)]
struct Period {
    from: Option<String>,
}

#[derive(Deserialize)]
struct ManifestFile {
    #[serde(default)]
    path: String,
    sha256: Option<String>,
    size: Option<u64>,
}

/// `audit/chain.json`: the anchors around the pack's events and the check at export.
#[derive(Deserialize)]
struct Chain {
    anchor_before_first: Option<String>,
    anchor_after_last: Option<String>,
    verified_at_export: Option<ChainCheck>,
}

#[derive(Deserialize)]
struct ChainCheck {
    ok: Option<bool>,
}

pub fn verify(path: &Path, pubkey: Option<&Path>) -> Result<VerifyReport, PackError> {
    verify_with_progress(path, pubkey, &None)
}

/// The file as it is read, its bytes counted on `progress`.
struct Counted<'a> {
    file: std::fs::File,
    progress: &'a crate::model::progress::Sink,
}

impl io::Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        if let Some(p) = self.progress {
            p.advance(n as u64);
        }
        Ok(n)
    }
}

/// [`verify`], advancing `progress` by the bytes of the file read.
pub fn verify_with_progress(
    path: &Path,
    pubkey: Option<&Path>,
    progress: &crate::model::progress::Sink,
) -> Result<VerifyReport, PackError> {
    verify_with(path, pubkey, None, None, progress)
}

/// [`verify_with_progress`], checking the checkpoint's signature with the log's verifier key
/// at `log_pubkey` when given.
pub fn verify_with(
    path: &Path,
    pubkey: Option<&Path>,
    log_pubkey: Option<&Path>,
    witnessed: Option<&Path>,
    progress: &crate::model::progress::Sink,
) -> Result<VerifyReport, PackError> {
    let log_key = log_pubkey
        .map(crate::audit::checkpoint::load_verifier)
        .transpose()
        .map_err(|e| PackError::Input(e.to_string()))?;
    let file = std::fs::File::open(path).map_err(|e| PackError::io(path, e))?;
    // The key to check the signature with, and where it came from.
    let pinned = match pubkey {
        Some(p) => Some((
            std::fs::read_to_string(p).map_err(|e| PackError::io(p, e))?,
            p.display().to_string(),
        )),
        None => None,
    };
    let mut problems = Problems::default();
    let contents = read_archive(
        io::BufReader::new(Counted { file, progress }),
        &mut problems,
    )
    .map_err(|e| PackError::io(path, e))?;
    if let Some(p) = progress {
        p.finish();
    }
    let mut report = VerifyReport {
        ok: false,
        tenant: None,
        files: contents.files.len(),
        key: String::new(),
        signed_comment: None,
        problems: Vec::new(),
        checkpoint: None,
    };
    let Some(manifest_bytes) = contents.kept.get(MANIFEST) else {
        if !contents.files.contains_key(MANIFEST) {
            problems.push(format!("{MANIFEST} is missing"));
        }
        report.problems = problems.into_vec();
        return Ok(report);
    };
    let manifest: Manifest = match serde_json::from_slice(manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            problems.push(match e.classify() {
                serde_json::error::Category::Data => {
                    format!("{MANIFEST} is not a pack manifest: {e}")
                }
                _ => format!("{MANIFEST} is not JSON: {e}"),
            });
            report.problems = problems.into_vec();
            return Ok(report);
        }
    };
    if !FORMATS.contains(&manifest.format.as_deref().unwrap_or_default()) {
        problems.push(format!(
            "{MANIFEST}: format is not one of `{}`",
            FORMATS.join("`, `")
        ));
    }
    report.tenant = manifest.tenant;
    // Every listed file present and unchanged; nothing unlisted.
    let mut listed = std::collections::BTreeSet::new();
    for f in &manifest.files {
        let name = f.path.as_str();
        listed.insert(name);
        match contents.files.get(name) {
            None => problems.push(format!("`{name}` is listed in the manifest but missing")),
            Some(seen) => {
                if Some(seen.sha256.as_str()) != f.sha256.as_deref() || Some(seen.size) != f.size {
                    problems.push(format!(
                        "`{name}` was altered: its sha256 or size differs from the manifest"
                    ));
                }
            }
        }
    }
    for name in contents.files.keys() {
        if !listed.contains(name.as_str()) && name != MANIFEST && name != SIGNATURE {
            problems.push(format!("`{name}` is not listed in the manifest"));
        }
    }
    // The signature.
    let (pk_text, key_source) = match pinned {
        Some(key) => key,
        None => (
            contents
                .kept
                .get(PUBLIC_KEY)
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default(),
            "maestro-pack.pub inside the pack (pin the key you trust with --pubkey)".to_string(),
        ),
    };
    report.key = key_source;
    match contents.kept.get(SIGNATURE) {
        // Present but too large: already a problem.
        None if contents.files.contains_key(SIGNATURE) => {}
        None => problems.push(format!("{SIGNATURE} is missing: the pack is not signed")),
        Some(sig) => match keys::verify(&pk_text, &String::from_utf8_lossy(sig), manifest_bytes) {
            Ok(trusted) => report.signed_comment = Some(trusted),
            Err(e) => problems.push(format!("{SIGNATURE}: {e}")),
        },
    }
    // The audit events (checked as they were read): each recomputes to its hash, in order,
    // between the anchors.
    let mut proven = None;
    if let Some(mut events) = contents.events {
        proven = events.tree_result.take();
        // A pack from the tenant's start shows its first event; a period's pack starts
        // after an event it leaves out on purpose.
        if let Some((seq, prev)) = events.first_tenant_prev {
            let from_start = manifest.period.as_ref().is_none_or(|p| p.from.is_none());
            if from_start && prev != 0 {
                problems.push(format!(
                    "audit/events.jsonl: event {seq} follows the tenant's event {prev}: the tenant's first events were left out"
                ));
            } else if prev >= seq {
                problems.push(format!(
                    "audit/events.jsonl: event {seq} names a later event ({prev}) as the one before it"
                ));
            }
        }
        problems.append(std::mem::take(&mut events.problems));
        match contents
            .kept
            .get(CHAIN)
            .map(|c| serde_json::from_slice::<Chain>(c))
        {
            None => {}
            Some(Err(e)) => problems.push(format!("{CHAIN} is not a chain record: {e}")),
            Some(Ok(chain)) => {
                if chain.anchor_before_first != events.first_prev
                    || chain.anchor_after_last != events.last_hash
                {
                    problems.push(format!(
                        "{CHAIN}: the anchors do not match the first and last events"
                    ));
                }
                if chain.verified_at_export.and_then(|v| v.ok) != Some(true) {
                    problems.push(format!(
                        "{CHAIN}: the audit chain was already broken when the pack was exported"
                    ));
                }
            }
        }
    }
    // The events against the log's checkpoint (format 2).
    let v2 = manifest.format.as_deref() == Some(FORMAT);
    let has_events = contents
        .files
        .get("audit/events.jsonl")
        .is_some_and(|f| f.size > 0);
    match proven {
        None if has_events && contents.files.contains_key(CHECKPOINT) => problems.push(format!(
            "{CHECKPOINT} comes after the events in the archive (re-packed?): a pack's files are in name order, so that the events are proven as they are read"
        )),
        None if v2 && has_events => problems.push(format!(
            "{CHECKPOINT} is missing: a pack of format 2 proves its events against the audit log's checkpoint"
        )),
        // Asked to check the log's side of a pack whose events have none: a problem too (a
        // pack without events has nothing to prove).
        None if has_events && (log_key.is_some() || witnessed.is_some()) => problems.push(format!(
            "the pack carries no checkpoint of the audit log ({CHECKPOINT}): --log-pubkey and --checkpoint cannot be checked"
        )),
        None => {}
        Some(Err(e)) => problems.push(e),
        Some(Ok(tree)) => {
            let signature = match &log_key {
                None => "not checked: pass --log-pubkey with the log's verifier key".to_string(),
                Some(v) => match crate::audit::checkpoint::verify_note(&tree.note, v) {
                    Ok(_) => format!("verified by {}+{}", v.name, v.id_hex()),
                    Err(e) => {
                        problems.push(format!("{CHECKPOINT}: {e}"));
                        format!("invalid: {e}")
                    }
                },
            };
            let witnessed = witnessed.map(|w| {
                compare(
                    w,
                    &tree,
                    log_key.as_ref(),
                    contents.kept.get(CHECKPOINT_CONSISTENCY).map(Vec::as_slice),
                )
                .unwrap_or_else(|e| {
                    problems.push(e.clone());
                    e
                })
            });
            report.checkpoint = Some(PackCheckpoint {
                origin: tree.origin,
                size: tree.size,
                root: crate::model::audit::hex(&tree.root),
                signature,
                witnessed,
            });
        }
    }
    report.ok = problems.is_empty();
    report.problems = problems.into_vec();
    Ok(report)
}

/// How the pack's checkpoint relates to the one at `path` (from a witness): the same tree,
/// or a prefix of it by one of the consistency proofs the pack carries.
fn compare(
    path: &Path,
    pack: &super::events::TreeProof,
    log_key: Option<&crate::audit::checkpoint::LogVerifier>,
    consistency: Option<&[u8]>,
) -> Result<String, String> {
    use crate::audit::checkpoint;
    use crate::model::merkle;
    let shown = path.display();
    let note = std::fs::read_to_string(path).map_err(|e| format!("`{shown}`: {e}"))?;
    let theirs = match log_key {
        Some(v) => checkpoint::verify_note(&note, v),
        None => checkpoint::parse(&note),
    }
    .map_err(|e| format!("`{shown}`: {e}"))?;
    if theirs.origin != pack.origin {
        return Err(format!(
            "`{shown}` is a checkpoint of `{}`, the pack's of `{}`",
            theirs.origin, pack.origin
        ));
    }
    if theirs.size == pack.size {
        return if theirs.root == pack.root {
            Ok(format!("the same tree of {} events", theirs.size))
        } else {
            Err(format!(
                "`{shown}` has another root for the same {} events: the log was rewritten or forked",
                theirs.size
            ))
        };
    }
    if theirs.size > pack.size {
        return Err(format!(
            "`{shown}` covers {} events, more than the pack's {}: ask for a pack exported since, or have the operator run `maestro-cli audit:verify --checkpoint` with it",
            theirs.size, pack.size
        ));
    }
    #[derive(Deserialize)]
    struct Earlier {
        size: u64,
        root: String,
        proof: Vec<String>,
    }
    let list: Vec<Earlier> = consistency
        .and_then(|b| serde_json::from_slice(b).ok())
        .unwrap_or_default();
    let Some(e) = list.iter().find(|e| e.size == theirs.size) else {
        return Err(format!(
            "the pack carries no proof from a checkpoint of {} events: have the operator run `maestro-cli audit:verify --checkpoint` with `{shown}`",
            theirs.size
        ));
    };
    let proof: Option<Vec<merkle::Hash>> = e.proof.iter().map(|h| merkle::from_hex(h)).collect();
    let holds = merkle::from_hex(&e.root) == Some(theirs.root)
        && proof.is_some_and(|p| {
            merkle::verify_consistency(theirs.size, pack.size, &theirs.root, &pack.root, &p)
        });
    if holds {
        Ok(format!(
            "the pack's tree of {} events extends it ({} events)",
            pack.size, theirs.size
        ))
    } else {
        Err(format!(
            "the pack's checkpoint is not consistent with `{shown}` ({} events): the log was rewritten",
            theirs.size
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_past_the_limit_are_counted_not_listed() {
        let mut problems = Problems::default();
        for i in 0..MAX_PROBLEMS {
            problems.push(format!("p{i}"));
        }
        let mut events = Problems::default();
        events.push("from the events".into());
        problems.append(events);
        problems.push("last".into());
        assert!(!problems.is_empty());
        let list = problems.into_vec();
        assert_eq!(list.len(), MAX_PROBLEMS + 1);
        assert_eq!(list[MAX_PROBLEMS - 1], format!("p{}", MAX_PROBLEMS - 1));
        assert_eq!(list[MAX_PROBLEMS], "2 more problems, not listed");
    }
}
