//! pack:keygen / pack:export / pack:verify through the binary: tenant scoping (a canary),
//! determinism, tampering of every kind, minisign compatibility, branding.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::Digest;

use crate::support::{ADMIN, Sandbox, error_text, run_measuring_peak_rss};

const CONFIG: &str = "[platform.clusters]\neu-prod-1 = { region = \"eu-west-1\" }\nus-prod-1 = { region = \"us-east-1\" }\n";
const CANARY: &str = "CANARY-GLOBEX-7731";

/// acme with a deployment and a denied one; globex with a canary in its name, its admin and
/// a deployment.
fn platform(branding: &str) -> Sandbox {
    let s = Sandbox::initialised();
    std::fs::write(s.home().join("maestro.toml"), format!("{CONFIG}{branding}")).unwrap();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.ok(
        ADMIN,
        &[
            "tenant:create",
            "globex",
            "--name",
            CANARY,
            "--regions",
            "us-east-1",
            "--admin",
            "canary-7731@globex.example",
        ],
    );
    s.ok(
        ADMIN,
        &[
            "flow:run",
            "deploy",
            "--tenant",
            "acme",
            "-p",
            "service=api",
            "-p",
            "version=1.0",
            "-p",
            "cluster=eu-prod-1",
        ],
    );
    s.run(
        ADMIN,
        &[
            "flow:run",
            "deploy",
            "--tenant",
            "acme",
            "-p",
            "service=api",
            "-p",
            "version=1.0",
            "-p",
            "cluster=us-prod-1",
        ],
    );
    s.ok(
        ADMIN,
        &[
            "flow:run",
            "deploy",
            "--tenant",
            "globex",
            "-p",
            "service=canary-7731",
            "-p",
            "version=1.0",
            "-p",
            "cluster=us-prod-1",
        ],
    );
    s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
    s.checkpoint();
    s
}

/// acme's pack to `out`, after a checkpoint that covers its events.
pub fn export(s: &Sandbox, out: &str) -> PathBuf {
    s.checkpoint();
    s.ok(
        ADMIN,
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "keys/maestro-pack.key",
            "--out",
            out,
        ],
    );
    s.home().join(out)
}

pub fn entries(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let f = std::fs::File::open(path).unwrap();
    let mut a = tar::Archive::new(flate2::read::GzDecoder::new(f));
    let mut out = BTreeMap::new();
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().display().to_string();
        let mut b = Vec::new();
        e.read_to_end(&mut b).unwrap();
        out.insert(name, b);
    }
    out
}

/// Writes an archive with `files` and optional raw extra entries (links, `..` paths).
pub fn write(
    path: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    extra: impl FnOnce(&mut tar::Builder<flate2::write::GzEncoder<std::fs::File>>),
) {
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::fast(),
    );
    let mut t = tar::Builder::new(gz);
    for (name, b) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(b.len() as u64);
        h.set_mode(0o644);
        t.append_data(&mut h, name, b.as_slice()).unwrap();
    }
    extra(&mut t);
    t.into_inner().unwrap().finish().unwrap();
}

/// The help of a refusal to overwrite a file.
const HELP_EXISTS: &str = "choose another --out, or remove the old file first";

/// The key id of a minisign public key file, as minisign prints it.
fn key_id(public_key: &Path) -> String {
    let key = minisign::PublicKey::from_file(public_key).unwrap();
    format!(
        "{:016X}",
        u64::from_le_bytes(key.keynum().try_into().unwrap())
    )
}

fn verify(s: &Sandbox, path: &Path) -> (i32, String) {
    let out = s.run(
        "",
        &[
            "pack:verify",
            path.to_str().unwrap(),
            "--pubkey",
            "keys/maestro-pack.pub",
        ],
    );
    (out.code, out.stderr)
}

#[test]
fn pack_holds_one_tenant_and_is_byte_identical_when_exported_again() {
    let s = platform("");
    let a = export(&s, "a.tar.gz");
    let b = export(&s, "b.tar.gz");
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "re-export is not byte-identical"
    );
    let files = entries(&a);
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(CANARY) && !text.contains("canary-7731"),
            "{name} holds a record of tenant globex"
        );
    }
    for needed in [
        "manifest.json",
        "manifest.json.minisig",
        "provenance.json",
        "residency/declaration.json",
        "residency/deployments.json",
        "residency/report.md",
        "policy/decisions.jsonl",
        "policy/bundle/residency.rego",
        "policy/exceptions.json",
        "audit/events.jsonl",
        "audit/chain.json",
        "runbooks/flows.md",
        "index.html",
        "README.md",
    ] {
        assert!(files.contains_key(needed), "{needed} missing");
    }
    let deployments: serde_json::Value =
        serde_json::from_slice(&files["residency/deployments.json"]).unwrap();
    assert_eq!(deployments.as_array().unwrap().len(), 1);
    assert_eq!(deployments[0]["region"], "eu-west-1");
    assert_eq!(
        deployments[0]["decision_id"].as_str().unwrap().len(),
        36,
        "{deployments}"
    );
    let report = String::from_utf8_lossy(&files["residency/report.md"]).into_owned();
    assert!(report.contains("Denied deploy attempts: 1"), "{report}");
    let (code, err) = verify(&s, &a);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn stock_minisign_verifies_the_manifest() {
    if std::process::Command::new("minisign")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("minisign is not installed: skipped (.ci/run installs it)");
        return;
    }
    let s = platform("");
    let a = export(&s, "a.tar.gz");
    let dir = s.home().join("x");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, b) in entries(&a) {
        if name.starts_with("manifest") {
            std::fs::write(dir.join(&name), b).unwrap();
        }
    }
    let out = std::process::Command::new("minisign")
        .args(["-V", "-m", "manifest.json", "-p"])
        .arg(s.home().join("keys/maestro-pack.pub"))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Signature and comment signature verified")
    );
}

#[test]
fn every_kind_of_tampering_is_detected() {
    let s = platform("");
    let a = export(&s, "a.tar.gz");
    let files = entries(&a);
    let t = |name: &str| s.home().join(name);
    let other = s.home().join("other");
    s.ok(ADMIN, &["pack:keygen", "--dir", other.to_str().unwrap()]);
    let swapped = format!(
        "manifest.json.minisig: signature does not verify: Signature key id: {} is different from public key: {}",
        key_id(&other.join("maestro-pack.pub")),
        key_id(&s.home().join("keys/maestro-pack.pub"))
    );
    type Tamper<'a> = Box<dyn Fn(&Path) + 'a>;
    let cases: Vec<(&str, Tamper<'_>, &str)> = vec![
        (
            "one byte",
            Box::new(|p: &Path| {
                let mut f = files.clone();
                f.get_mut("residency/declaration.json").unwrap()[3] ^= 1;
                write(p, &f, |_| {});
            }),
            "`residency/declaration.json` was altered: its sha256 or size differs from the manifest",
        ),
        (
            "dropped",
            Box::new(|p: &Path| {
                let mut f = files.clone();
                f.remove("policy/decisions.jsonl");
                write(p, &f, |_| {});
            }),
            "`policy/decisions.jsonl` is listed in the manifest but missing",
        ),
        (
            "added",
            Box::new(|p: &Path| {
                let mut f = files.clone();
                f.insert("residency/extra.json".into(), b"{}".to_vec());
                write(p, &f, |_| {});
            }),
            "`residency/extra.json` is not listed in the manifest",
        ),
        (
            "signature swapped",
            Box::new(|p: &Path| {
                let mut f = files.clone();
                let out = s.home().join("o.tar.gz");
                if !out.exists() {
                    s.ok(
                        ADMIN,
                        &[
                            "pack:export",
                            "--tenant",
                            "acme",
                            "--key",
                            other.join("maestro-pack.key").to_str().unwrap(),
                            "--out",
                            "o.tar.gz",
                        ],
                    );
                }
                f.insert(
                    "manifest.json.minisig".into(),
                    entries(&out)["manifest.json.minisig"].clone(),
                );
                write(p, &f, |_| {});
            }),
            &swapped,
        ),
        (
            "dot-dot",
            Box::new(|p: &Path| {
                write(p, &files, |t| {
                    let mut h = tar::Header::new_gnu();
                    let body = b"x";
                    h.set_size(1);
                    h.set_mode(0o644);
                    h.as_gnu_mut().unwrap().name[..9].copy_from_slice(b"../escape");
                    h.set_cksum();
                    t.append(&h, &body[..]).unwrap();
                });
            }),
            "`../escape`: unsafe path (absolute, `..` or `.`)",
        ),
        (
            "symlink",
            Box::new(|p: &Path| {
                write(p, &files, |t| {
                    let mut h = tar::Header::new_gnu();
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_size(0);
                    t.append_link(&mut h, "evil", "/etc/passwd").unwrap();
                });
            }),
            "`evil`: a symbolic link entry; a pack holds regular files only",
        ),
    ];
    for (what, make, msg) in cases {
        let path = t(&format!("tampered-{}.tar.gz", what.replace(' ', "-")));
        make(&path);
        let (code, err) = verify(&s, &path);
        assert_eq!(code, 4, "{what}: {err}");
        assert_eq!(err, format!("problem: {msg}\n"), "{what}");
        assert!(
            !s.home().join("escape").exists() && !s.home().join("evil").exists(),
            "verify extracted something"
        );
    }
}

#[test]
fn an_altered_audit_event_is_named_and_every_problem_is_listed() {
    let s = platform("");
    let dir = s.home().join("packdir");
    s.ok(
        ADMIN,
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "keys/maestro-pack.key",
            "--dir",
            dir.to_str().unwrap(),
        ],
    );
    assert!(dir.join("manifest.json.minisig").exists() && dir.join("index.html").exists());
    let mut files = entries(&export(&s, "a.tar.gz"));
    let events = String::from_utf8(files["audit/events.jsonl"].clone()).unwrap();
    let first: serde_json::Value = serde_json::from_str(events.lines().next().unwrap()).unwrap();
    let seq = first["seq"].as_i64().unwrap();
    let forged = events.replacen(
        "\"actor\":\"ops@example.com\"",
        "\"actor\":\"mallory@evil.example\"",
        1,
    );
    assert_ne!(forged, events);
    files.insert("audit/events.jsonl".into(), forged.into_bytes());
    files.remove("runbooks/flows.md");
    let path = s.home().join("forged.tar.gz");
    write(&path, &files, |_| {});
    let (code, err) = verify(&s, &path);
    assert_eq!(code, 4);
    assert_eq!(
        err,
        format!(
            "problem: `audit/events.jsonl` was altered: its sha256 or size differs from the manifest\n\
             problem: `runbooks/flows.md` is listed in the manifest but missing\n\
             problem: audit/events.jsonl: event {seq} was altered (its hash does not match its content)\n\
             problem: the events and audit/checkpoint-proof.bin do not make the checkpoint's root: events were changed, added or moved\n"
        )
    );
}

#[test]
fn branding_reaches_the_summary_and_runbooks() {
    let s = Sandbox::initialised();
    std::fs::write(s.home().join("logo.png"), b"\x89PNG\r\n\x1a\nnot-really").unwrap();
    let branding = format!(
        "\n[branding]\nproduct_name = \"Acme Cloud\"\nshort_name = \"Acme\"\nlogo = \"{}\"\nprimary_color = \"#ff6600\"\naccent_color = \"#00aa55\"\nsupport_contact = \"help@acme.example\"\n",
        s.home().join("logo.png").display()
    );
    std::fs::write(s.home().join("maestro.toml"), format!("{CONFIG}{branding}")).unwrap();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
    let files = entries(&export(&s, "a.tar.gz"));
    let html = String::from_utf8_lossy(&files["index.html"]).into_owned();
    assert!(
        html.contains("<h1 id=\"product\">Acme Cloud</h1>"),
        "{html}"
    );
    assert!(html.contains("src=\"branding/logo.png\""), "{html}");
    assert!(html.contains("#ff6600"));
    assert!(html.contains("#00aa55"), "the accent colour");
    assert!(
        html.contains(
            "<footer>Acme Cloud · support: <span id=\"support\">help@acme.example</span></footer>"
        ),
        "{html}"
    );
    assert!(
        !html.contains("CompanyOS"),
        "the default name leaked into a white-labelled pack"
    );
    assert!(files.contains_key("branding/logo.png"));
    for (name, b) in files.iter().filter(|(n, _)| n.starts_with("runbooks/")) {
        assert!(
            String::from_utf8_lossy(b).starts_with("> Acme Cloud runbook"),
            "{name}"
        );
    }
    let readme = String::from_utf8_lossy(&files["README.md"]).into_owned();
    assert!(
        readme.starts_with("# Acme Cloud — disclosure pack"),
        "{readme}"
    );
    assert!(readme.contains("Support: help@acme.example."), "{readme}");
    let status = s.run(ADMIN, &["status"]);
    assert_eq!(status.stderr, "Acme: System Online\n", "the CLI banner");
    let dashboard = s.ok(ADMIN, &["dashboard:export", "pulse"]).stdout;
    assert!(
        dashboard.contains("\"title\": \"Acme Cloud Summitsight Pulse\""),
        "{dashboard}"
    );
}

#[test]
fn keys_are_private_passphrases_work_and_refusals_are_clear() {
    let s = platform("");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(s.home().join("keys/maestro-pack.key"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    s.run(ADMIN, &["pack:keygen", "--dir", "keys"])
        .assert_error(
            1,
            "`keys/maestro-pack.key` already exists; nothing was overwritten",
            Some(HELP_EXISTS),
        );
    // A passphrase-protected key needs its passphrase.
    let out = s
        .cmd(Some(ADMIN))
        .env("PACK_PASS", "correct horse")
        .args([
            "pack:keygen",
            "--dir",
            "locked",
            "--passphrase-env",
            "PACK_PASS",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = s.run(
        ADMIN,
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "locked/maestro-pack.key",
            "--out",
            "l.tar.gz",
        ],
    );
    out.assert_error(
        1,
        "signing key: `locked/maestro-pack.key` is passphrase-protected: name the variable that holds the passphrase with --passphrase-env VAR",
        Some("make a key pair with `maestro-cli pack:keygen --dir keys`"),
    );
    let out = s
        .cmd(Some(ADMIN))
        .env("PACK_PASS", "wrong")
        .args([
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "locked/maestro-pack.key",
            "--passphrase-env",
            "PACK_PASS",
            "--out",
            "l.tar.gz",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        error_text(
            "signing key: `locked/maestro-pack.key`: wrong passphrase, or not a minisign secret key",
            Some("make a key pair with `maestro-cli pack:keygen --dir keys`"),
        )
    );
    let out = s
        .cmd(Some(ADMIN))
        .env("PACK_PASS", "correct horse")
        .args([
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "locked/maestro-pack.key",
            "--passphrase-env",
            "PACK_PASS",
            "--out",
            "l.tar.gz",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Only a principal of the tenant exports it; an existing file is never overwritten.
    let out = s.run(
        "canary-7731@globex.example",
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "keys/maestro-pack.key",
            "--out",
            "g.tar.gz",
        ],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(!s.home().join("g.tar.gz").exists());
    // (The denial is an event of acme's: a checkpoint must cover it before acme exports.)
    s.checkpoint();
    let out = s.run(
        ADMIN,
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "keys/maestro-pack.key",
            "--out",
            "l.tar.gz",
        ],
    );
    assert_eq!(out.code, 1);
    out.assert_error(
        1,
        "`l.tar.gz` already exists; nothing was overwritten",
        Some(HELP_EXISTS),
    );
}

/// acme's pack, exported to `a.tar.gz` in a sandbox with its key pair in `keys/`.
fn exported() -> (Sandbox, Vec<u8>) {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
    let bytes = std::fs::read(export(&s, "a.tar.gz")).unwrap();
    (s, bytes)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// A tar stream of one file, `hidden.txt`, with its end-of-archive marker.
fn hidden_tar() -> Vec<u8> {
    let mut t = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(6);
    h.set_mode(0o644);
    t.append_data(&mut h, "hidden.txt", &b"hidden"[..]).unwrap();
    t.into_inner().unwrap()
}

/// `pack:verify` of `bytes` (written to `crafted.tar.gz`) with the sandbox's key.
fn verify_bytes(s: &Sandbox, bytes: &[u8]) -> (i32, String) {
    let path = s.home().join("crafted.tar.gz");
    std::fs::write(&path, bytes).unwrap();
    verify(s, &path)
}

#[test]
fn bytes_after_the_gzip_stream_are_a_problem() {
    let (s, mut bytes) = exported();
    assert_eq!(verify_bytes(&s, &bytes), (0, String::new()));
    bytes.extend_from_slice(b"unsigned words\n");
    assert_eq!(
        verify_bytes(&s, &bytes),
        (
            4,
            "problem: bytes after the end of the gzip stream: 15\n".into()
        )
    );
}

#[test]
fn a_second_gzip_member_is_a_problem() {
    let (s, mut bytes) = exported();
    // `gunzip` reads every member: it would give the pack's tar with another one after it.
    let second = gzip(&hidden_tar());
    bytes.extend_from_slice(&second);
    assert_eq!(
        verify_bytes(&s, &bytes),
        (
            4,
            format!(
                "problem: bytes after the end of the gzip stream: {} (a second gzip member)\n",
                second.len()
            )
        )
    );
}

#[test]
fn data_after_the_tar_end_of_archive_marker_is_a_problem() {
    let (s, bytes) = exported();
    let tar = gunzip(&bytes);
    // Zeros after the marker are padding (GNU tar fills its last 10 KiB record with them).
    let mut padded = tar.clone();
    padded.resize(tar.len() + 9 * 1024, 0);
    assert_eq!(verify_bytes(&s, &gzip(&padded)), (0, String::new()));
    // Another tar stream after the marker: `tar --ignore-zeros` lists its file.
    let mut hidden = tar;
    hidden.extend_from_slice(&hidden_tar());
    let mut reader = tar::Archive::new(hidden.as_slice());
    reader.set_ignore_zeros(true);
    let names: Vec<String> = reader
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().display().to_string())
        .collect();
    assert_eq!(names.last().map(String::as_str), Some("hidden.txt"));
    assert_eq!(
        verify_bytes(&s, &gzip(&hidden)),
        (
            4,
            "problem: data after the tar end-of-archive marker\n".into()
        )
    );
}

#[test]
fn a_gzip_trailer_with_a_wrong_crc_is_a_problem() {
    let (s, mut bytes) = exported();
    // The trailer: CRC-32 (4 bytes), then the length (4 bytes), little-endian.
    let crc = bytes.len() - 8;
    bytes[crc] ^= 1;
    assert_eq!(
        verify_bytes(&s, &bytes),
        (
            4,
            "problem: the archive is damaged: the gzip trailer's CRC-32 does not match the data\n"
                .into()
        )
    );
}

#[test]
fn a_gzip_trailer_with_a_wrong_size_is_a_problem() {
    let (s, mut bytes) = exported();
    let size = bytes.len() - 4;
    bytes[size] ^= 1;
    assert_eq!(
        verify_bytes(&s, &bytes),
        (
            4,
            "problem: the archive is damaged: the gzip trailer's size (ISIZE) does not match the data\n"
                .into()
        )
    );
}

/// Adds a file to the manifest in `files` and signs it again with the sandbox's key.
fn list_and_sign(
    s: &Sandbox,
    files: &mut BTreeMap<String, Vec<u8>>,
    path: &str,
    size: u64,
    sha256: &str,
) {
    let mut manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    manifest["files"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"path": path, "size": size, "sha256": sha256}));
    let manifest = serde_json::to_vec_pretty(&manifest).unwrap();
    let key = maestro_cli::pack::keys::load_secret(&s.home().join("keys/maestro-pack.key"), None)
        .unwrap();
    let signature = key.sign(&manifest, "file:manifest.json tenant:acme");
    files.insert("manifest.json".into(), manifest);
    files.insert("manifest.json.minisig".into(), signature.into_bytes());
}

#[test]
fn a_long_path_verifies_and_an_overlong_one_or_a_pax_header_is_refused() {
    let (s, _) = exported();
    let mut files = entries(&s.home().join("a.tar.gz"));
    // Past 100 bytes the tar crate (and GNU tar) write the path in a GNU long name entry.
    let long = format!("policy/bundle/{}.rego", "n".repeat(150));
    let rego = b"package long\n".to_vec();
    let sha = maestro_cli::model::audit::hex(&sha2::Sha256::digest(&rego));
    list_and_sign(&s, &mut files, &long, rego.len() as u64, &sha);
    files.insert(long, rego);
    let path = s.home().join("long.tar.gz");
    write(&path, &files, |_| {});
    assert_eq!(verify(&s, &path), (0, String::new()));
    let overlong = format!("{}.txt", "n".repeat(2000));
    write(&path, &files, |t| {
        let mut h = tar::Header::new_gnu();
        h.set_size(1);
        h.set_mode(0o644);
        t.append_data(&mut h, &overlong, &b"x"[..]).unwrap();
    });
    assert_eq!(
        verify(&s, &path),
        (
            4,
            "problem: a GNU long name of 2005 bytes, longer than any pack path\n".into()
        )
    );
    write(&path, &files, |t| {
        t.append_pax_extensions([("path", &b"renamed.txt"[..])])
            .unwrap();
        let mut h = tar::Header::new_ustar();
        h.set_size(1);
        h.set_mode(0o644);
        t.append_data(&mut h, "x.txt", &b"x"[..]).unwrap();
    });
    assert_eq!(
        verify(&s, &path),
        (
            4,
            "problem: ``: a pax header entry; a pack holds regular files only\n\
             problem: `x.txt` is not listed in the manifest\n"
                .into()
        )
    );
}

/// The sha256 of 1 GiB of zeros (`head -c 1G /dev/zero | sha256sum`).
const GIB_OF_ZEROS_SHA256: &str =
    "49bc20df15e412a64472421e13fe86ff1c5165e18b2afccf160d4dc19fe68a14";

#[test]
fn a_1_gib_file_is_verified_in_bounded_memory() {
    const GIB: u64 = 1 << 30;
    let (s, _) = exported();
    let mut files = entries(&s.home().join("a.tar.gz"));
    list_and_sign(
        &s,
        &mut files,
        "evidence/zeros.bin",
        GIB,
        GIB_OF_ZEROS_SHA256,
    );
    // Written as a stream (about 1 MB of gzip), the large file before the manifest.
    let path = s.home().join("large.tar.gz");
    let gz = flate2::write::GzEncoder::new(
        std::io::BufWriter::new(std::fs::File::create(&path).unwrap()),
        flate2::Compression::fast(),
    );
    let mut t = tar::Builder::new(gz);
    let mut h = tar::Header::new_gnu();
    h.set_size(GIB);
    h.set_mode(0o644);
    t.append_data(&mut h, "evidence/zeros.bin", std::io::repeat(0).take(GIB))
        .unwrap();
    for (name, b) in &files {
        let mut h = tar::Header::new_gnu();
        h.set_size(b.len() as u64);
        h.set_mode(0o644);
        t.append_data(&mut h, name, b.as_slice()).unwrap();
    }
    t.into_inner().unwrap().finish().unwrap().flush().unwrap();
    let mut cmd = s.std_cmd(None);
    cmd.args([
        "pack:verify",
        path.to_str().unwrap(),
        "--pubkey",
        "keys/maestro-pack.pub",
    ]);
    let (out, peak_kib) = run_measuring_peak_rss(&cmd);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{}", out.stdout);
    assert!(
        peak_kib < 64 * 1024,
        "pack:verify of a 1 GiB file peaked at {peak_kib} KiB of memory"
    );
}

/// On a terminal `pack:verify` shows the bytes it has read of the pack; piped, nothing.
#[test]
fn verifying_shows_its_progress_on_a_terminal_only() {
    let s = platform("");
    let pack = export(&s, "acme.tar.gz");
    let size = std::fs::metadata(&pack).unwrap().len();
    let shown = s.on_terminal("", "n", &["pack:verify", pack.to_str().unwrap()]);
    assert_eq!(shown.code, 0, "{}", shown.screen);
    let screen = &shown.screen;
    // indicatif's byte size of the whole pack, after the bytes read so far.
    let total = if size < 1024 {
        format!("/{size} B")
    } else {
        format!("/{:.2} KiB", size as f64 / 1024.0)
    };
    assert!(screen.contains(&total), "{total} in {screen}");
    let (code, stderr) = verify(&s, &pack);
    assert_eq!(code, 0);
    assert!(!stderr.contains("iB/"), "{stderr}");
}

/// On a terminal `pack:export` counts the audit events it reads (then the bytes it
/// compresses); piped, it prints no progress.
#[test]
fn exporting_shows_its_progress_on_a_terminal_only() {
    let s = platform("");
    let args = |out: &'static str| {
        [
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "keys/maestro-pack.key",
            "--out",
            out,
        ]
    };
    let shown = s.on_terminal(ADMIN, "n", &args("on-terminal.tar.gz"));
    assert_eq!(shown.code, 0, "{}", shown.screen);
    assert!(
        shown.screen.contains("audit events read: "),
        "{}",
        shown.screen
    );
    let piped = s.run(ADMIN, &args("piped.tar.gz"));
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert!(!piped.stderr.contains("read:"), "{}", piped.stderr);
    assert_eq!(
        std::fs::read(s.home().join("on-terminal.tar.gz")).unwrap(),
        std::fs::read(s.home().join("piped.tar.gz")).unwrap(),
        "the same pack, with or without a terminal"
    );
}
