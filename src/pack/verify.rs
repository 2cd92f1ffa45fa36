//! `pack:verify`: reads the archive as a stream, never extracting: rejects unsafe entries,
//! checks every file against the manifest, the signature, and the audit events inside.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{FORMAT, PackError, keys};
use crate::model::audit::hex;

/// Larger files than this are refused (a pack is evidence, not a payload).
const MAX_FILE: u64 = 1 << 30;

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    pub tenant: Option<String>,
    pub files: usize,
    /// Where the public key came from: `--pubkey` or the pack itself.
    pub key: String,
    pub signed_comment: Option<String>,
    pub problems: Vec<String>,
}

pub fn verify(path: &Path, pubkey: Option<&Path>) -> Result<VerifyReport, PackError> {
    let file = std::fs::File::open(path).map_err(|e| PackError::io(path, e))?;
    let mut archive =
        tar::Archive::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)));
    let mut problems = Vec::new();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let entries = archive.entries().map_err(|e| PackError::io(path, e))?;
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("the archive is damaged: {e}"));
                break;
            }
        };
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        if !kind.is_file() {
            problems.push(format!(
                "`{raw}`: a {} entry; a pack holds regular files only",
                kind_name(kind)
            ));
            continue;
        }
        let p = Path::new(&raw);
        if p.is_absolute() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
            problems.push(format!("`{raw}`: unsafe path (absolute, `..` or `.`)"));
            continue;
        }
        if entry.size() > MAX_FILE {
            problems.push(format!(
                "`{raw}`: {} bytes, larger than any pack file may be",
                entry.size()
            ));
            continue;
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        if let Err(e) = entry.read_to_end(&mut bytes) {
            problems.push(format!("`{raw}`: cannot read: {e}"));
            continue;
        }
        if files.insert(raw.clone(), bytes).is_some() {
            problems.push(format!("`{raw}`: appears twice"));
        }
    }
    let mut report = VerifyReport {
        ok: false,
        tenant: None,
        files: files.len(),
        key: String::new(),
        signed_comment: None,
        problems: Vec::new(),
    };
    let Some(manifest_bytes) = files.get("manifest.json").cloned() else {
        problems.push("manifest.json is missing".into());
        report.problems = problems;
        return Ok(report);
    };
    let manifest: serde_json::Value = match serde_json::from_slice(&manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            problems.push(format!("manifest.json is not JSON: {e}"));
            report.problems = problems;
            return Ok(report);
        }
    };
    if manifest.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        problems.push(format!("manifest.json: format is not `{FORMAT}`"));
    }
    report.tenant = manifest
        .get("tenant")
        .and_then(|t| t.as_str())
        .map(str::to_string);
    // Every listed file present and unchanged; nothing unlisted.
    let mut listed = std::collections::BTreeSet::new();
    for f in manifest
        .get("files")
        .and_then(|f| f.as_array())
        .into_iter()
        .flatten()
    {
        let name = f.get("path").and_then(|p| p.as_str()).unwrap_or("");
        listed.insert(name.to_string());
        match files.get(name) {
            None => problems.push(format!("`{name}` is listed in the manifest but missing")),
            Some(b) => {
                let sha = hex(&Sha256::digest(b));
                if Some(sha.as_str()) != f.get("sha256").and_then(|s| s.as_str())
                    || Some(b.len() as u64) != f.get("size").and_then(|s| s.as_u64())
                {
                    problems.push(format!(
                        "`{name}` was altered: its sha256 or size differs from the manifest"
                    ));
                }
            }
        }
    }
    for name in files.keys() {
        if !listed.contains(name) && name != "manifest.json" && name != "manifest.json.minisig" {
            problems.push(format!("`{name}` is not listed in the manifest"));
        }
    }
    // The signature.
    let (pk_text, key_source) = match pubkey {
        Some(p) => (
            std::fs::read_to_string(p).map_err(|e| PackError::io(p, e))?,
            p.display().to_string(),
        ),
        None => (
            files
                .get("maestro-pack.pub")
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default(),
            "maestro-pack.pub inside the pack (pin the key you trust with --pubkey)".to_string(),
        ),
    };
    report.key = key_source;
    match files.get("manifest.json.minisig") {
        None => problems.push("manifest.json.minisig is missing: the pack is not signed".into()),
        Some(sig) => match keys::verify(&pk_text, &String::from_utf8_lossy(sig), &manifest_bytes) {
            Ok(trusted) => report.signed_comment = Some(trusted),
            Err(e) => problems.push(format!("manifest.json.minisig: {e}")),
        },
    }
    // The audit events: each recomputes to its hash, in order, between the anchors.
    if let Some(ev) = files.get("audit/events.jsonl") {
        let mut last_seq = 0;
        let mut first_prev = None;
        let mut last_hash = None;
        for (i, line) in String::from_utf8_lossy(ev).lines().enumerate() {
            match serde_json::from_str::<EventLine<'_>>(line) {
                Err(e) => problems.push(format!(
                    "audit/events.jsonl:{}: not an audit event: {e}",
                    i + 1
                )),
                Ok(e) => {
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
                        problems.push(format!("audit/events.jsonl: event {} was altered (its hash does not match its content)", e.seq));
                    }
                    if e.seq <= last_seq {
                        problems.push(format!(
                            "audit/events.jsonl: event {} is out of order",
                            e.seq
                        ));
                    }
                    last_seq = e.seq;
                    first_prev.get_or_insert(e.prev_hash.to_string());
                    last_hash = Some(e.hash.to_string());
                }
            }
        }
        if let Some(chain) = files
            .get("audit/chain.json")
            .and_then(|c| serde_json::from_slice::<serde_json::Value>(c).ok())
        {
            if chain.get("anchor_before_first").and_then(|a| a.as_str()) != first_prev.as_deref()
                || chain.get("anchor_after_last").and_then(|a| a.as_str()) != last_hash.as_deref()
            {
                problems.push(
                    "audit/chain.json: the anchors do not match the first and last events".into(),
                );
            }
            if chain
                .pointer("/verified_at_export/ok")
                .and_then(|o| o.as_bool())
                != Some(true)
            {
                problems.push("audit/chain.json: the audit chain was already broken when the pack was exported".into());
            }
        }
    }
    report.ok = problems.is_empty();
    report.problems = problems;
    Ok(report)
}

/// An audit event line as exported: the details as their exact (canonical) text, so the
/// hash is recomputed over what was hashed when the event was appended.
#[derive(serde::Deserialize)]
struct EventLine<'a> {
    seq: i64,
    #[serde(borrow)]
    at: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    actor: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    tenant_id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    action: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    target: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    details: &'a serde_json::value::RawValue,
    #[serde(borrow)]
    prev_hash: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    hash: std::borrow::Cow<'a, str>,
}

fn kind_name(k: tar::EntryType) -> &'static str {
    match k {
        tar::EntryType::Symlink => "symbolic link",
        tar::EntryType::Link => "hard link",
        tar::EntryType::Directory => "directory",
        tar::EntryType::Char | tar::EntryType::Block => "device",
        tar::EntryType::Fifo => "fifo",
        _ => "special",
    }
}
