//! The disclosure pack reader, through its public function `pack::verify` (the input is
//! written to a temporary file): a `.tar.gz` pack, or a bare tar, gzipped here first so that
//! mutations reach the archive's entries and not only the compressed stream.
//!
//! The corpus's packs are exported by `pack:export`, signed with the key in
//! `tests/fuzz/pack-seed-key.pub` ([`SEED_KEY`]): a mutation cannot sign anything else.
//!
//! Invariants, for any bytes:
//! - verifying never fails for lack of a readable pack: it reports problems instead;
//! - the key inside the pack and the seeds' key, pinned, agree on whether a pack is valid;
//! - a pack reported valid is exactly what was signed: one whole gzip stream (its checksum
//!   right, nothing after it) of a tar of regular files at safe paths, each once, each listed
//!   in the manifest with its sha256 and size and nothing else, the manifest's signature
//!   made by the seeds' key. So a mutation of a valid pack is found out, or changed nothing
//!   that was signed.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::{Features, shape};
use crate::model::audit::hex;
use crate::pack::{FORMATS, VerifyReport, keys, verify};

/// The public key that signed the packs in `tests/fuzz/corpus/pack/`.
pub const SEED_KEY: &str = include_str!("../../tests/fuzz/pack-seed-key.pub");

/// A temporary file, removed when dropped.
struct Temp(PathBuf);

impl Temp {
    fn new(suffix: &str, bytes: &[u8]) -> Temp {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("maestro-fuzz-{}-{n}{suffix}", std::process::id()));
        std::fs::write(&path, bytes).expect("write a temporary file");
        Temp(path)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

pub fn pack(bytes: &[u8]) -> Features {
    pack_with_key(bytes, SEED_KEY)
}

/// [`pack`] for packs signed with `key` (the text of a `.pub` file).
pub fn pack_with_key(bytes: &[u8], key: &str) -> Features {
    let mut seen = Features::default();
    let packed;
    let archive = if bytes.starts_with(&[0x1f, 0x8b]) {
        bytes
    } else {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).expect("gzip in memory");
        packed = gz.finish().expect("gzip in memory");
        &packed[..]
    };
    let file = Temp::new(".tar.gz", archive);
    let key_file = Temp::new(".pub", key.as_bytes());
    let run = |pubkey: Option<&Path>| -> VerifyReport {
        verify(&file.0, pubkey)
            .unwrap_or_else(|e| panic!("verify failed instead of reporting: {e}"))
    };
    let inside = run(None);
    let pinned = run(Some(&key_file.0));
    for p in &inside.problems {
        seen.add(&["problem", &shape(p)]);
    }
    assert_eq!(
        inside.ok, pinned.ok,
        "the pack's own key and the pinned one disagree: {:?} / {:?}",
        inside.problems, pinned.problems
    );
    assert_eq!(inside.ok, inside.problems.is_empty());
    if inside.ok {
        seen.add(&["valid"]);
        check_signed(archive, &inside, key);
    }
    seen
}

/// A valid pack is exactly what was signed (read here whole, independently of `verify`).
fn check_signed(archive: &[u8], report: &VerifyReport, key: &str) {
    let mut gz = flate2::bufread::GzDecoder::new(archive);
    let mut tar = Vec::new();
    if let Err(e) = gz.read_to_end(&mut tar) {
        // The detail on a line of its own: every damage is one kind of failure.
        panic!("a valid pack's gzip stream is damaged, not read to its end by verify\n{e}");
    }
    let rest = gz.into_inner();
    assert!(
        rest.is_empty(),
        "a valid pack has bytes after its gzip stream\n{} bytes",
        rest.len()
    );
    let mut files = BTreeMap::new();
    let mut entries = tar::Archive::new(&tar[..]);
    for entry in entries.entries().expect("a tar in memory") {
        let mut entry = entry.unwrap_or_else(|e| panic!("a valid pack's tar is damaged: {e}"));
        assert!(
            entry.header().entry_type().is_file(),
            "a valid pack holds a non-file"
        );
        let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let safe = Path::new(&path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        assert!(safe && !path.is_empty(), "a valid pack holds `{path}`");
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("a valid pack's `{path}` is damaged: {e}"));
        assert!(
            files.insert(path.clone(), bytes).is_none(),
            "`{path}` twice in a valid pack"
        );
    }
    assert_eq!(report.files, files.len());
    let manifest = files
        .remove("manifest.json")
        .expect("a valid pack has a manifest");
    let signature = files
        .remove("manifest.json.minisig")
        .expect("a valid pack has a signature");
    keys::verify(key, &String::from_utf8_lossy(&signature), &manifest)
        .unwrap_or_else(|e| panic!("a valid pack's manifest is not signed by the pinned key: {e}"));
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).expect("a signed manifest");
    assert!(
        FORMATS.contains(&manifest["format"].as_str().unwrap_or_default()),
        "a verified pack of another format: {}",
        manifest["format"]
    );
    let listed: BTreeMap<String, (String, u64)> = manifest["files"]
        .as_array()
        .expect("a signed manifest lists files")
        .iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (
                text("path"),
                (text("sha256"), f["size"].as_u64().unwrap_or(u64::MAX)),
            )
        })
        .collect();
    let held: BTreeMap<String, (String, u64)> = files
        .iter()
        .map(|(path, bytes)| {
            (
                path.clone(),
                (hex(&Sha256::digest(bytes)), bytes.len() as u64),
            )
        })
        .collect();
    assert_eq!(
        held, listed,
        "a valid pack's files are not the ones its manifest lists"
    );
}
