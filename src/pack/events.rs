//! The check of a pack's `audit/events.jsonl`, fed as the file is read: each line recomputes
//! to its hash and the sequence numbers rise. Only one line is held at a time, and a line
//! longer than `MAX_LINE` is reported, not read.

use std::borrow::Cow;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

use super::verify::Problems;
use crate::model::merkle::{self, Hash, MultiProofError};

/// An audit event is a few hundred bytes; a line longer than this is not parsed.
pub const MAX_LINE: usize = 1 << 20;

const FILE: &str = "audit/events.jsonl";

#[derive(Default)]
pub struct EventCheck {
    /// The line read so far (its first `MAX_LINE` bytes).
    line: Vec<u8>,
    /// The current line is longer than `MAX_LINE`: the rest of it is skipped.
    overlong: bool,
    /// 1-based number of the current line.
    number: usize,
    last_seq: i64,
    /// The first event's `tenant_prev` (0: the tenant's first event), for verify to hold
    /// against the pack's period.
    pub first_tenant_prev: Option<(i64, i64)>,
    /// The `prev_hash` of the first event and the `hash` of the last: the chain's anchors.
    pub first_prev: Option<String>,
    pub last_hash: Option<String>,
    pub problems: Problems,
    /// The events against the log's checkpoint, when the pack carries one.
    tree: Option<TreeCheck>,
    /// What that check found: `None` without a checkpoint.
    pub tree_result: Option<Result<TreeProof, String>>,
}

/// The tree the events were proven in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeProof {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// The checkpoint's signed note.
    pub note: String,
}

/// A thread computes the checkpoint's root from the multi-proof as the events' leaves stream
/// to it (`merkle::root_from_multi_proof` takes them in order): nothing but the proof and a
/// few leaves in flight are held.
struct TreeCheck {
    proof: TreeProof,
    leaves: Option<SyncSender<(u64, Hash)>>,
    worker: Option<JoinHandle<Result<Hash, MultiProofError>>>,
}

impl EventCheck {
    /// A check of the events that also proves them against `checkpoint` (a signed note) with
    /// `proof` (the multi-proof's hashes), when the pack carries them.
    pub fn against(checkpoint: Option<&[u8]>, proof: Option<&[u8]>) -> EventCheck {
        let mut check = EventCheck::default();
        let Some(note) = checkpoint else {
            return check;
        };
        let note = String::from_utf8_lossy(note).into_owned();
        let parsed = match crate::audit::checkpoint::parse(&note) {
            Ok(c) => c,
            Err(e) => {
                check.tree_result = Some(Err(format!("audit/checkpoint.txt: {e}")));
                return check;
            }
        };
        let proof_bytes = proof.unwrap_or_default();
        if !proof_bytes.len().is_multiple_of(32) {
            check.tree_result = Some(Err(
                "audit/checkpoint-proof.bin is not a list of SHA-256 hashes".into(),
            ));
            return check;
        }
        let hashes: Vec<Hash> = proof_bytes
            .chunks_exact(32)
            .map(|c| c.try_into().unwrap_or_default())
            .collect();
        let (tx, rx) = sync_channel::<(u64, Hash)>(4096);
        let size = parsed.size;
        let worker = std::thread::spawn(move || {
            merkle::root_from_multi_proof(
                size,
                &mut rx.into_iter().peekable(),
                &mut hashes.into_iter(),
            )
        });
        check.tree = Some(TreeCheck {
            proof: TreeProof {
                origin: parsed.origin,
                size,
                root: parsed.root,
                note,
            },
            leaves: Some(tx),
            worker: Some(worker),
        });
        check
    }

    /// The next bytes of the file.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        while let Some(end) = bytes.iter().position(|&b| b == b'\n') {
            if self.line.is_empty() && !self.overlong && end <= MAX_LINE {
                // A whole line in this piece: checked where it is, not copied.
                self.number += 1;
                self.check_bytes(&bytes[..end], true);
            } else {
                self.take(&bytes[..end]);
                self.end_line(true);
            }
            bytes = &bytes[end + 1..];
        }
        self.take(bytes);
    }

    /// The end of the file: a last line without a newline is checked too, an empty one is
    /// not there (as `str::lines` reads it).
    pub fn finish(&mut self) {
        if !self.line.is_empty() || self.overlong {
            self.end_line(false);
        }
        if let Some(mut tree) = self.tree.take() {
            drop(tree.leaves.take());
            let root = tree.worker.take().map(|w| w.join());
            self.tree_result = Some(match root {
                Some(Ok(Ok(root))) if root == tree.proof.root => Ok(tree.proof),
                Some(Ok(Ok(_))) | Some(Ok(Err(MultiProofError::Root))) => Err(
                    "the events and audit/checkpoint-proof.bin do not make the checkpoint's root: events were changed, added or moved"
                        .into(),
                ),
                Some(Ok(Err(e))) => Err(format!("audit/checkpoint-proof.bin: {e}")),
                _ => Err("the proof check stopped unexpectedly".into()),
            });
        }
    }

    fn take(&mut self, bytes: &[u8]) {
        if self.overlong {
            return;
        }
        if self.line.len() + bytes.len() > MAX_LINE {
            self.overlong = true;
            self.line = Vec::new();
        } else {
            self.line.extend_from_slice(bytes);
        }
    }

    fn end_line(&mut self, newline: bool) {
        self.number += 1;
        if std::mem::take(&mut self.overlong) {
            self.problems.push(format!(
                "{FILE}:{}: longer than {MAX_LINE} bytes: not read",
                self.number
            ));
            return;
        }
        let bytes = std::mem::take(&mut self.line);
        self.check_bytes(&bytes, newline);
        // The buffer is reused for the next line (its capacity, at most `MAX_LINE`, kept).
        self.line = bytes;
        self.line.clear();
    }

    /// Checks one line (without its `\n`), read as `str::lines` reads it.
    fn check_bytes(&mut self, bytes: &[u8], newline: bool) {
        let text = String::from_utf8_lossy(bytes);
        let text = match newline {
            true => text.strip_suffix('\r').unwrap_or(&text),
            false => &text,
        };
        self.check(text, bytes);
    }

    /// `line` as text to parse; `raw`, its bytes as read: the Merkle leaf is their hash.
    fn check(&mut self, line: &str, raw: &[u8]) {
        let e = match serde_json::from_str::<EventLine<'_>>(line) {
            Ok(e) => e,
            Err(e) => {
                self.problems
                    .push(format!("{FILE}:{}: not an audit event: {e}", self.number));
                return;
            }
        };
        let computed = crate::model::audit::event_hash(
            &e.prev_hash,
            e.seq,
            &e.at,
            &e.actor,
            e.tenant_id.as_deref(),
            &e.action,
            &e.target,
            e.details.get(),
        );
        if computed != e.hash {
            self.problems.push(format!(
                "{FILE}: event {} was altered (its hash does not match its content)",
                e.seq
            ));
        }
        if e.seq <= self.last_seq {
            self.problems
                .push(format!("{FILE}: event {} is out of order", e.seq));
        }
        // Each of the tenant's events names the one before it: none may be missing between
        // two the pack shows (the first is held against the period by verify).
        if let Some(prev) = e.tenant_prev {
            if self.last_seq == 0 {
                self.first_tenant_prev = Some((e.seq, prev));
            } else if prev != self.last_seq {
                self.problems.push(format!(
                    "{FILE}: event {} follows the tenant's event {prev}, not {}: the tenant's events between them were left out",
                    e.seq, self.last_seq
                ));
            }
        }
        self.last_seq = e.seq;
        if let Some(tx) = self.tree.as_ref().and_then(|t| t.leaves.as_ref())
            && e.seq >= 1
        {
            // A closed channel: the proof already failed; `finish` reports it.
            let _ = tx.send(((e.seq - 1) as u64, merkle::leaf_hash(raw)));
        }
        self.first_prev.get_or_insert(e.prev_hash.to_string());
        self.last_hash = Some(e.hash.to_string());
    }
}

/// An audit event line as exported: the details as their exact (canonical) text, so the
/// hash is recomputed over what was hashed when the event was appended.
#[derive(serde::Deserialize)]
struct EventLine<'a> {
    seq: i64,
    #[serde(borrow)]
    at: Cow<'a, str>,
    #[serde(borrow)]
    actor: Cow<'a, str>,
    #[serde(borrow)]
    tenant_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    action: Cow<'a, str>,
    #[serde(borrow)]
    target: Cow<'a, str>,
    #[serde(borrow)]
    details: &'a serde_json::value::RawValue,
    #[serde(borrow)]
    prev_hash: Cow<'a, str>,
    #[serde(borrow)]
    hash: Cow<'a, str>,
    /// The tenant's event before this one (events older than the tree have none).
    #[serde(default)]
    tenant_prev: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The problems of `text` fed in pieces of `piece` bytes.
    fn problems(text: &[u8], piece: usize) -> Vec<String> {
        let mut check = EventCheck::default();
        for chunk in text.chunks(piece.max(1)) {
            check.feed(chunk);
        }
        check.finish();
        check.problems.into_vec()
    }

    #[test]
    fn lines_are_numbered_as_str_lines_numbers_them_however_the_bytes_arrive() {
        let text = b"{}\r\n\nnot json";
        let expected = vec![
            "audit/events.jsonl:1: not an audit event: missing field `seq` at line 1 column 2",
            "audit/events.jsonl:2: not an audit event: EOF while parsing a value at line 1 column 0",
            "audit/events.jsonl:3: not an audit event: expected ident at line 1 column 2",
        ];
        for piece in [1, 2, 3, 5, 64] {
            assert_eq!(problems(text, piece), expected, "pieces of {piece}");
        }
        assert!(problems(b"", 1).is_empty());
        assert_eq!(
            problems(b"{}\n", 1).len(),
            1,
            "no empty line after the last newline"
        );
    }

    #[test]
    fn an_overlong_line_is_reported_unread_and_the_next_one_still_checked() {
        let mut text = vec![b'x'; MAX_LINE + 1];
        text.extend_from_slice(b"\n{}");
        for piece in [4096, text.len()] {
            assert_eq!(
                problems(&text, piece),
                vec![
                    format!("audit/events.jsonl:1: longer than {MAX_LINE} bytes: not read"),
                    "audit/events.jsonl:2: not an audit event: missing field `seq` at line 1 column 2"
                        .to_string(),
                ],
                "pieces of {piece}"
            );
        }
        let mut at_the_limit = vec![b' '; MAX_LINE];
        at_the_limit.push(b'\n');
        for piece in [4096, at_the_limit.len()] {
            assert_eq!(
                problems(&at_the_limit, piece),
                vec![format!(
                    "audit/events.jsonl:1: not an audit event: EOF while parsing a value at line 1 column {MAX_LINE}"
                )],
                "pieces of {piece}"
            );
        }
    }
}
