//! Signed checkpoints of the audit log's Merkle tree, in the C2SP formats that Go's checksum
//! database and Sigstore's Rekor use, so their tools read them:
//! - a checkpoint (c2sp.org/tlog-checkpoint) is the text `<origin>\n<size>\n<base64 root>\n`;
//! - signed as a note (c2sp.org/signed-note): the text, a blank line, then a line
//!   `— <key name> <base64(key id || Ed25519 signature)>` per signature;
//! - keys as Go's `golang.org/x/mod/sumdb/note` writes them: a verifier key
//!   `<name>+<key id, 8 hex>+<base64(0x01 || public key)>`, a signer key the same behind
//!   `PRIVATE+KEY+` with the seed; the key id is the first 4 bytes of
//!   `SHA-256(name || "\n" || 0x01 || public key)`.
//!
//! The log key is not the pack key: it signs the one log everyone sees, and only
//! `audit:checkpoint` needs it.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use ct_codecs::{Base64, Decoder, Encoder};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::model::merkle::Hash;

/// The signature line's mark (U+2014 EM DASH and a space).
const DASH: &str = "\u{2014} ";

/// The secret key file `audit:keygen` writes, and the verifier key beside it.
pub const SECRET_FILE: &str = "maestro-log.key";
pub const PUBLIC_FILE: &str = "maestro-log.pub";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("`{0}`: {1}")]
    Key(PathBuf, String),
    #[error("{0}")]
    Note(String),
}

impl crate::model::Diagnostic for CheckpointError {
    fn help(&self) -> Option<String> {
        match self {
            CheckpointError::Key(..) => Some(
                "the log's keys come from `maestro-cli audit:keygen --dir DIR` (maestro-log.key signs, maestro-log.pub verifies)".into(),
            ),
            CheckpointError::Note(_) => None,
        }
    }
}

/// What `audit:keygen` made.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct KeyReport {
    pub origin: String,
    pub key_id: String,
    /// The verifier key's text (also in the public key file): what checkers are given.
    pub verifier_key: String,
    pub secret_key: String,
    pub public_key: String,
}

/// A signer: the log's name (the checkpoints' origin) and its Ed25519 key.
pub struct LogKey {
    pub name: String,
    key: SigningKey,
}

/// A verifier key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogVerifier {
    pub name: String,
    pub id: [u8; 4],
    key: VerifyingKey,
}

fn key_id(name: &str, public: &[u8; 32]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n\x01");
    h.update(public);
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

fn hex4(id: [u8; 4]) -> String {
    format!("{:08x}", u32::from_be_bytes(id))
}

/// A key name is a note's origin: printable, no spaces or `+`.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty()
        || name
            .chars()
            .any(|c| c.is_whitespace() || c == '+' || c.is_control())
    {
        return Err(format!(
            "`{name}` is not a log name: no spaces or `+` (e.g. `example.com/companyos/audit`)"
        ));
    }
    Ok(())
}

impl LogKey {
    /// A new key for the log `name`, from the operating system's random source.
    pub fn generate(name: &str) -> Result<LogKey, String> {
        check_name(name)?;
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| format!("no random bytes: {e}"))?;
        Ok(LogKey {
            name: name.to_string(),
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// Reads a signer key (`PRIVATE+KEY+<name>+<id>+<base64>`).
    pub fn parse(text: &str) -> Result<LogKey, String> {
        let bad = || "not a log signer key (PRIVATE+KEY+<name>+<id>+<key>)".to_string();
        let rest = text.trim().strip_prefix("PRIVATE+KEY+").ok_or_else(bad)?;
        let (name, id, raw) = split_key(rest).ok_or_else(bad)?;
        let seed: [u8; 32] = match raw.split_first() {
            Some((1, seed)) => seed.try_into().map_err(|_| bad())?,
            _ => return Err(bad()),
        };
        let key = LogKey {
            name: name.to_string(),
            key: SigningKey::from_bytes(&seed),
        };
        if key.verifier().id != id {
            return Err("the key id does not match the key".into());
        }
        Ok(key)
    }

    pub fn verifier(&self) -> LogVerifier {
        let key = self.key.verifying_key();
        LogVerifier {
            name: self.name.clone(),
            id: key_id(&self.name, key.as_bytes()),
            key,
        }
    }

    fn secret_text(&self) -> String {
        let mut raw = vec![1u8];
        raw.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{}+{}\n",
            self.name,
            hex4(self.verifier().id),
            Base64::encode_to_string(&raw).unwrap_or_default()
        )
    }

    /// `text` (a note's body, ending with a newline) signed: the whole note.
    pub fn sign_note(&self, text: &str) -> String {
        let sig = self.key.sign(text.as_bytes()).to_bytes();
        let mut raw = self.verifier().id.to_vec();
        raw.extend_from_slice(&sig);
        format!(
            "{text}\n{DASH}{} {}\n",
            self.name,
            Base64::encode_to_string(&raw).unwrap_or_default()
        )
    }
}

/// `<name>+<8 hex>+<base64>` → (name, id, key bytes).
fn split_key(text: &str) -> Option<(&str, [u8; 4], Vec<u8>)> {
    // The name holds no `+`; the base64 may.
    let mut parts = text.splitn(3, '+');
    let name = parts.next()?;
    let id = parts.next()?;
    let raw = parts.next()?;
    check_name(name).ok()?;
    let id = u32::from_str_radix(id, 16).ok().filter(|_| id.len() == 8)?;
    let raw = Base64::decode_to_vec(raw, None).ok()?;
    Some((name, id.to_be_bytes(), raw))
}

impl LogVerifier {
    /// Reads a verifier key (`<name>+<id>+<base64>`).
    pub fn parse(text: &str) -> Result<LogVerifier, String> {
        let bad = || "not a log verifier key (<name>+<id>+<key>)".to_string();
        let (name, id, raw) = split_key(text.trim()).ok_or_else(bad)?;
        let public: [u8; 32] = match raw.split_first() {
            Some((1, public)) => public.try_into().map_err(|_| bad())?,
            _ => return Err(bad()),
        };
        if key_id(name, &public) != id {
            return Err("the key id does not match the key".into());
        }
        Ok(LogVerifier {
            name: name.to_string(),
            id,
            key: VerifyingKey::from_bytes(&public).map_err(|_| bad())?,
        })
    }

    pub fn text(&self) -> String {
        let mut raw = vec![1u8];
        raw.extend_from_slice(self.key.as_bytes());
        format!(
            "{}+{}+{}\n",
            self.name,
            hex4(self.id),
            Base64::encode_to_string(&raw).unwrap_or_default()
        )
    }

    /// The key id as the key's text shows it.
    pub fn id_hex(&self) -> String {
        hex4(self.id)
    }
}

/// Writes a new key pair for the log `name` into `dir`: the signer key (0600) and the
/// verifier key. Refuses to overwrite either.
pub fn keygen(dir: &Path, name: &str) -> Result<(PathBuf, PathBuf, LogVerifier), CheckpointError> {
    let (secret, public) = (dir.join(SECRET_FILE), dir.join(PUBLIC_FILE));
    for p in [&secret, &public] {
        if p.exists() {
            return Err(CheckpointError::Key(
                p.clone(),
                "exists: a log key is never overwritten".into(),
            ));
        }
    }
    let key = LogKey::generate(name).map_err(|e| CheckpointError::Key(dir.to_path_buf(), e))?;
    let io = |p: &Path, e: std::io::Error| CheckpointError::Key(p.to_path_buf(), e.to_string());
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&secret)
        .map_err(|e| io(&secret, e))?;
    f.write_all(key.secret_text().as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| io(&secret, e))?;
    let verifier = key.verifier();
    std::fs::write(&public, verifier.text()).map_err(|e| io(&public, e))?;
    Ok((secret, public, verifier))
}

/// Reads the signer key at `path`.
pub fn load_key(path: &Path) -> Result<LogKey, CheckpointError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CheckpointError::Key(path.to_path_buf(), e.to_string()))?;
    LogKey::parse(&text).map_err(|e| CheckpointError::Key(path.to_path_buf(), e))
}

/// Reads the verifier key at `path`.
pub fn load_verifier(path: &Path) -> Result<LogVerifier, CheckpointError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CheckpointError::Key(path.to_path_buf(), e.to_string()))?;
    LogVerifier::parse(&text).map_err(|e| CheckpointError::Key(path.to_path_buf(), e))
}

/// A checkpoint read from its note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// The whole signed note.
    pub note: String,
}

/// The checkpoint text of the tree of `size` leaves with `root`.
pub fn body(origin: &str, size: u64, root: &Hash) -> String {
    format!(
        "{origin}\n{size}\n{}\n",
        Base64::encode_to_string(root).unwrap_or_default()
    )
}

/// Reads a signed checkpoint note (its signatures are checked by [`verify_note`]).
pub fn parse(note: &str) -> Result<Checkpoint, CheckpointError> {
    let bad = |why: &str| CheckpointError::Note(format!("not a signed checkpoint: {why}"));
    let (text, _) = note
        .split_once("\n\n")
        .ok_or_else(|| bad("no blank line before the signatures"))?;
    let mut lines = text.lines();
    let origin = lines
        .next()
        .filter(|l| !l.is_empty())
        .ok_or_else(|| bad("no origin"))?;
    let size = lines
        .next()
        .and_then(|l| l.parse::<u64>().ok())
        .ok_or_else(|| bad("the second line is not a tree size"))?;
    let root: Hash = lines
        .next()
        .and_then(|l| Base64::decode_to_vec(l, None).ok())
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| bad("the third line is not a base64 SHA-256 root"))?;
    Ok(Checkpoint {
        origin: origin.to_string(),
        size,
        root,
        note: note.to_string(),
    })
}

/// Checks that `note` carries a valid signature by `verifier`, and that the checkpoint's
/// origin is the key's name.
pub fn verify_note(note: &str, verifier: &LogVerifier) -> Result<Checkpoint, CheckpointError> {
    let c = parse(note)?;
    let (text, signatures) = note.split_once("\n\n").unwrap_or((note, ""));
    let text = format!("{text}\n");
    if c.origin != verifier.name {
        return Err(CheckpointError::Note(format!(
            "the checkpoint is of `{}`, the key of `{}`",
            c.origin, verifier.name
        )));
    }
    for line in signatures.lines() {
        let Some(rest) = line.strip_prefix(DASH) else {
            continue;
        };
        let Some((name, sig)) = rest.split_once(' ') else {
            continue;
        };
        let Ok(raw) = Base64::decode_to_vec(sig, None) else {
            continue;
        };
        if name != verifier.name || raw.len() != 68 || raw[..4] != verifier.id {
            continue;
        }
        let Ok(sig) = Signature::from_slice(&raw[4..]) else {
            continue;
        };
        return match verifier.key.verify(text.as_bytes(), &sig) {
            Ok(()) => Ok(c),
            Err(_) => Err(CheckpointError::Note(format!(
                "the signature by `{}` does not match the checkpoint",
                verifier.name
            ))),
        };
    }
    Err(CheckpointError::Note(format!(
        "no signature by `{}+{}`",
        verifier.name,
        verifier.id_hex()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_signed_by_a_key_verifies_with_its_verifier_and_nothing_else() {
        let key = LogKey::generate("example.com/companyos/audit").unwrap();
        let again = LogKey::parse(&key.secret_text()).unwrap();
        assert_eq!(again.verifier(), key.verifier());
        let v = LogVerifier::parse(&key.verifier().text()).unwrap();
        let root = [7u8; 32];
        let note = key.sign_note(&body("example.com/companyos/audit", 42, &root));
        assert!(note.starts_with("example.com/companyos/audit\n42\nBwcH"));
        assert!(note.contains("\n\n\u{2014} example.com/companyos/audit "));
        let c = verify_note(&note, &v).unwrap();
        assert_eq!((c.size, c.root), (42, root));
        let forged = note.replacen("\n42\n", "\n43\n", 1);
        assert!(verify_note(&forged, &v).is_err());
        let other = LogKey::generate("example.com/companyos/audit").unwrap();
        assert!(verify_note(&note, &other.verifier()).is_err());
        assert!(LogVerifier::parse("name+00000000+AQ==").is_err());
        // The Go tests' key whose base64 holds a `+`.
        assert!(
            LogVerifier::parse("TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6")
                .is_ok()
        );
        assert!(LogKey::generate("has space").is_err());
    }

    /// A verifier key and a signed note from Go's `golang.org/x/mod/sumdb/note` examples:
    /// the formats are the same, not only alike.
    #[test]
    fn go_notes_verify() {
        let v = LogVerifier::parse(
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        )
        .unwrap();
        let note = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
        let (text, _) = note.split_once("\n\n").unwrap();
        let text = format!("{text}\n");
        let (line, raw) = (
            note.lines().last().unwrap(),
            note.lines().last().unwrap().rsplit(' ').next().unwrap(),
        );
        assert!(line.starts_with(DASH));
        let raw = Base64::decode_to_vec(raw, None).unwrap();
        assert_eq!(raw[..4], v.id);
        let sig = Signature::from_slice(&raw[4..]).unwrap();
        assert!(v.key.verify(text.as_bytes(), &sig).is_ok());
        // Go's signer key signs Go's text into Go's note, byte for byte (Ed25519 is
        // deterministic).
        let key = LogKey::parse(
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        )
        .unwrap();
        assert_eq!(key.verifier(), v);
        assert_eq!(key.sign_note(&text), note);
    }
}
