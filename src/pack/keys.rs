//! Signing keys and signatures in minisign's format, so a customer can check a pack with the
//! stock `minisign -V`. Keys are made and (optionally passphrase-protected) stored with the
//! `minisign` crate; signatures are made here with deterministic Ed25519 (RFC 8032), so the
//! same manifest and key always give the same signature — a re-export is byte-identical.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use blake2::{Blake2b512, Digest};
use ct_codecs::{Base64, Decoder, Encoder};
use ed25519_dalek::{Signer, SigningKey};
use serde::Serialize;

use super::PackError;

/// The raw key material of a minisign secret key: its id and Ed25519 seed.
pub struct SigningSecret {
    keynum: [u8; 8],
    key: SigningKey,
}

/// The two files `pack:keygen` wrote, as displayed paths (the fields in the order
/// `--output json` has always printed them).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct KeyFiles {
    pub public_key: String,
    pub secret_key: String,
}

/// Writes `<dir>/maestro-pack.key` (mode 0600) and `<dir>/maestro-pack.pub`; refuses to
/// overwrite. With a passphrase the secret key is encrypted (scrypt), as minisign does.
pub fn keygen(dir: &Path, passphrase: Option<String>) -> Result<KeyFiles, PackError> {
    let sk_path = dir.join("maestro-pack.key");
    let pk_path = dir.join("maestro-pack.pub");
    for p in [&sk_path, &pk_path] {
        if p.exists() {
            return Err(PackError::Exists(p.clone()));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| PackError::io(dir, e))?;
    let encrypted = passphrase.is_some();
    let kp = match passphrase {
        Some(p) => minisign::KeyPair::generate_encrypted_keypair(Some(p)),
        None => minisign::KeyPair::generate_unencrypted_keypair(),
    }
    .map_err(|e| PackError::Key(e.to_string()))?;
    let comment = if encrypted {
        "maestro-cli pack secret key (passphrase-protected)"
    } else {
        "maestro-cli pack secret key"
    };
    let sk_text = kp
        .sk
        .to_box(Some(comment))
        .map_err(|e| PackError::Key(e.to_string()))?
        .to_string();
    let pk_text = kp
        .pk
        .to_box()
        .map_err(|e| PackError::Key(e.to_string()))?
        .to_string();
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&sk_path)
        .map_err(|e| PackError::io(&sk_path, e))?;
    f.write_all(sk_text.as_bytes())
        .map_err(|e| PackError::io(&sk_path, e))?;
    std::fs::write(&pk_path, pk_text).map_err(|e| PackError::io(&pk_path, e))?;
    Ok(KeyFiles {
        public_key: pk_path.display().to_string(),
        secret_key: sk_path.display().to_string(),
    })
}

/// Reads a minisign secret key; a passphrase-protected one needs `passphrase`.
pub fn load_secret(path: &Path, passphrase: Option<String>) -> Result<SigningSecret, PackError> {
    let text = std::fs::read_to_string(path).map_err(|e| PackError::io(path, e))?;
    let parsed = minisign::SecretKeyBox::from_string(&text)
        .map_err(|e| PackError::Key(format!("`{}`: {e}", path.display())))?;
    let sk = match parsed.into_unencrypted_secret_key() {
        Ok(sk) if !sk.is_encrypted() => sk,
        // Encrypted (or not a key at all): only a passphrase can tell.
        _ => {
            let Some(p) = passphrase else {
                return Err(PackError::Key(format!(
                    "`{}` is passphrase-protected: name the variable that holds the passphrase with --passphrase-env VAR",
                    path.display()
                )));
            };
            minisign::SecretKeyBox::from_string(&text)
                .and_then(|b| b.into_secret_key(Some(p)))
                .ok()
                .filter(|sk| !sk.is_encrypted())
                .ok_or_else(|| {
                    PackError::Key(format!(
                        "`{}`: wrong passphrase, or not a minisign secret key",
                        path.display()
                    ))
                })?
        }
    };
    // sig_alg 2, kdf_alg 2, chk_alg 2, salt 32, opslimit 8, memlimit 8, keynum 8, sk 64, chk 32
    let bytes = sk.to_bytes();
    if bytes.len() < 126 {
        return Err(PackError::Key(format!(
            "`{}` is not a minisign secret key",
            path.display()
        )));
    }
    let mut keynum = [0u8; 8];
    keynum.copy_from_slice(&bytes[54..62]);
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&bytes[62..94]);
    Ok(SigningSecret {
        keynum,
        key: SigningKey::from_bytes(&seed),
    })
}

impl SigningSecret {
    /// The public key file text (`minisign -p` format).
    pub fn public_key_text(&self) -> String {
        let mut raw = b"Ed".to_vec();
        raw.extend_from_slice(&self.keynum);
        raw.extend_from_slice(self.key.verifying_key().as_bytes());
        format!(
            "untrusted comment: minisign public key {:016X}\n{}\n",
            u64::from_le_bytes(self.keynum),
            Base64::encode_to_string(&raw).unwrap_or_default()
        )
    }

    /// A minisign signature (prehashed, `ED`) of `data` with `trusted_comment`.
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> String {
        let digest = Blake2b512::digest(data);
        let sig = self.key.sign(&digest).to_bytes();
        let mut boxed = b"ED".to_vec();
        boxed.extend_from_slice(&self.keynum);
        boxed.extend_from_slice(&sig);
        let mut global = sig.to_vec();
        global.extend_from_slice(trusted_comment.as_bytes());
        let global_sig = self.key.sign(&global).to_bytes();
        format!(
            "untrusted comment: signature from maestro-cli pack key\n{}\ntrusted comment: {trusted_comment}\n{}\n",
            Base64::encode_to_string(&boxed).unwrap_or_default(),
            Base64::encode_to_string(global_sig).unwrap_or_default()
        )
    }
}

/// Checks a minisign signature of `data` against a public key (file text).
pub fn verify(public_key: &str, signature: &str, data: &[u8]) -> Result<String, String> {
    let pk = minisign::PublicKeyBox::from_string(public_key)
        .and_then(|b| b.into_public_key())
        .map_err(|e| format!("invalid public key: {e}"))?;
    let sig = minisign::SignatureBox::from_string(signature)
        .map_err(|e| format!("invalid signature file: {e}"))?;
    // minisign slices the global signature (the fourth line) as 64 bytes without checking
    // its length: a shorter one would panic in `minisign::verify`.
    let global = signature.lines().nth(3).unwrap_or_default().trim();
    if Base64::decode_to_vec(global, None).map_or(true, |g| g.len() != 64) {
        return Err("invalid signature file: the global signature is not 64 bytes".into());
    }
    let trusted = sig.trusted_comment().unwrap_or_default();
    minisign::verify(&pk, &sig, std::io::Cursor::new(data), true, false, false)
        .map_err(|e| format!("signature does not verify: {e}"))?;
    Ok(trusted)
}

/// The key id of a public key file (for messages), if it parses.
pub fn public_key_id(public_key: &str) -> Option<String> {
    let line = public_key.lines().nth(1)?;
    let raw = Base64::decode_to_vec(line.trim(), None).ok()?;
    let mut keynum = [0u8; 8];
    keynum.copy_from_slice(raw.get(2..10)?);
    Some(format!("{:016X}", u64::from_le_bytes(keynum)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keygen_reports_both_files_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let keys = keygen(dir.path(), None).unwrap();
        let d = dir.path().display();
        assert_eq!(
            serde_json::to_string(&keys).unwrap(),
            format!(
                r#"{{"public_key":"{d}/maestro-pack.pub","secret_key":"{d}/maestro-pack.key"}}"#
            )
        );
        assert!(matches!(
            keygen(dir.path(), None),
            Err(PackError::Exists(_))
        ));
    }

    #[test]
    fn a_global_signature_of_any_length_but_64_bytes_is_refused_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let files = keygen(dir.path(), None).unwrap();
        let secret = load_secret(Path::new(&files.secret_key), None).unwrap();
        let public = secret.public_key_text();
        let signed = secret.sign(b"manifest", "pack");
        assert_eq!(verify(&public, &signed, b"manifest").unwrap(), "pack");
        let lines: Vec<&str> = signed.lines().collect();
        let global = Base64::decode_to_vec(lines[3], None).unwrap();
        for len in [0, 1, 36, 63, 65] {
            let mut bytes = global.clone();
            bytes.resize(len, 7);
            let forged = format!(
                "{}\n{}\n{}\n{}\n",
                lines[0],
                lines[1],
                lines[2],
                Base64::encode_to_string(&bytes).unwrap()
            );
            let e = verify(&public, &forged, b"manifest").unwrap_err();
            assert!(e.contains("not 64 bytes"), "{len}: {e}");
        }
    }
}
