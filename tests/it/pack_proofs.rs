//! A pack's events proven against the audit log's signed checkpoint: `pack:verify` and the
//! pack's own `verify/verify.py` (Python, standard library only) agree on 60 packs, honest
//! ones and ones tampered with, among them packs an attacker re-signed with a pack key of
//! their own after trimming, adding, changing or reordering events: the log's checkpoint,
//! signed by another key, still gives them away.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{ADMIN, Sandbox};

type Files = BTreeMap<String, Vec<u8>>;

/// A change an attacker makes to a pack's files.
type Tamper<'a> = Box<dyn Fn(&mut Files) + 'a>;

fn unpack(path: &Path) -> Files {
    crate::pack::entries(path)
}

fn pack(path: &Path, files: &Files) {
    crate::pack::write(path, files, |_| {});
}

/// The manifest made true again for the files as they are, and signed with the attacker's
/// key, whose public half replaces the pack's own.
fn reseal(s: &Sandbox, files: &mut Files) {
    let mut manifest: Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let evil = maestro_cli::pack::keys::load_secret(&s.home().join("evil/maestro-pack.key"), None)
        .unwrap();
    files.insert(
        "maestro-pack.pub".into(),
        evil.public_key_text().into_bytes(),
    );
    let mut listed = Vec::new();
    for (name, bytes) in files.iter() {
        if name == "manifest.json" || name == "manifest.json.minisig" {
            continue;
        }
        listed.push(serde_json::json!({
            "path": name,
            "sha256": maestro_cli::model::audit::hex(&Sha256::digest(bytes)),
            "size": bytes.len(),
        }));
    }
    manifest["files"] = Value::Array(listed);
    let bytes = serde_json::to_vec_pretty(&manifest).unwrap();
    files.insert(
        "manifest.json.minisig".into(),
        evil.sign(&bytes, "resealed by mallory").into_bytes(),
    );
    files.insert("manifest.json".into(), bytes);
}

fn event_lines(files: &Files) -> Vec<String> {
    String::from_utf8(files["audit/events.jsonl"].clone())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn set_events(files: &mut Files, lines: &[String]) {
    files.insert(
        "audit/events.jsonl".into(),
        (lines.join("\n") + "\n").into_bytes(),
    );
}

/// Both verifiers' verdict on `files`, which must agree, and pack:verify's problems.
fn verdict(s: &Sandbox, label: &str, files: &Files) -> (bool, String) {
    let archive = s.home().join(format!("{label}.tar.gz"));
    pack(&archive, files);
    let out = s.run(
        "",
        &[
            "pack:verify",
            archive.to_str().unwrap(),
            "--log-pubkey",
            "log-key/maestro-log.pub",
            "--output",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{label}: {e}\n{}{}", out.stdout, out.stderr));
    let by_binary = report["ok"] == true;
    assert_eq!(
        out.code,
        if by_binary { 0 } else { 4 },
        "{label}: {}",
        out.stderr
    );
    let dir = s.home().join(label);
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let py = std::process::Command::new("python3")
        .arg(dir.join("verify/verify.py"))
        .arg(&dir)
        .args(["--json", "--log-pubkey"])
        .arg(s.home().join("log-key/maestro-log.pub"))
        .output()
        .unwrap();
    let by_python: Value = serde_json::from_slice(&py.stdout).unwrap_or_else(|e| {
        panic!(
            "{label}: verify.py: {e}\n{}",
            String::from_utf8_lossy(&py.stderr)
        )
    });
    assert_eq!(
        by_binary,
        by_python["ok"] == true,
        "{label}: pack:verify says {report:#}\nverify.py says {by_python:#}"
    );
    assert_eq!(
        py.status.code(),
        Some(if by_binary { 0 } else { 4 }),
        "{label}"
    );
    (by_binary, report["problems"].to_string())
}

#[test]
fn pack_verify_and_the_python_verifier_agree_on_honest_and_tampered_packs() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.create("globex", "us-east-1", "gina@globex.example");
    s.ok(
        ADMIN,
        &["tenant:update", "acme", "--regions", "eu-west-1,us-east-1"],
    );
    s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
    s.ok(ADMIN, &["pack:keygen", "--dir", "evil"]);
    s.checkpoint();
    s.create("initech", "eu-west-1", "ian@initech.example");
    s.checkpoint();
    let mut honest = Vec::new();
    for tenant in ["acme", "globex", "initech"] {
        for (i, period) in [&[][..], &["--from", "2026-11-25", "--to", "2026-11-25"]]
            .iter()
            .enumerate()
        {
            let out = format!("{tenant}-{i}.tar.gz");
            let mut args = vec![
                "pack:export",
                "--tenant",
                tenant,
                "--key",
                "keys/maestro-pack.key",
                "--out",
                &out,
            ];
            args.extend_from_slice(period);
            s.ok(ADMIN, &args);
            honest.push((format!("{tenant}-{i}"), unpack(&s.home().join(&out))));
        }
    }
    let mut verdicts = 0;
    for (label, files) in &honest {
        assert!(verdict(&s, label, files).0, "{label}: an honest pack");
        verdicts += 1;
        let tampered: Vec<(&str, bool, Tamper<'_>)> = vec![
            // Re-signed with the attacker's pack key and nothing else: the pack key alone
            // (unpinned) cannot tell; the log checkpoint has nothing to object to.
            ("resealed", true, Box::new(|f: &mut Files| reseal(&s, f))),
            (
                "trimmed",
                false,
                Box::new(|f: &mut Files| {
                    let mut lines = event_lines(f);
                    lines.remove(lines.len() / 2);
                    set_events(f, &lines);
                    reseal(&s, f);
                }),
            ),
            // The operator's own trimming: an event left out and the multi-proof made anew
            // for the rest, so every event shown is still proven in the log; the next event
            // names the one left out as its predecessor.
            (
                "trimmed-and-proven",
                false,
                Box::new(|f: &mut Files| {
                    let mut lines = event_lines(f);
                    if lines.len() < 3 {
                        lines.remove(0);
                    } else {
                        lines.remove(lines.len() / 2);
                    }
                    set_events(f, &lines);
                    let note = String::from_utf8(f["audit/checkpoint.txt"].clone()).unwrap();
                    let size: u64 = note.lines().nth(1).unwrap().parse().unwrap();
                    let indices: Vec<u64> = lines
                        .iter()
                        .map(|l| {
                            let v: Value = serde_json::from_str(l).unwrap();
                            v["seq"].as_u64().unwrap() - 1
                        })
                        .collect();
                    let store = maestro_cli::store::Store::open(&s.state()).unwrap();
                    let proof = maestro_cli::model::merkle::multi_proof(
                        &mut maestro_cli::audit::tree::source(&store.read()),
                        &indices,
                        size,
                    )
                    .unwrap();
                    f.insert("audit/checkpoint-proof.bin".into(), proof.concat());
                    reseal(&s, f);
                }),
            ),
            (
                "added",
                false,
                Box::new(|f: &mut Files| {
                    let mut lines = event_lines(f);
                    let last = lines.last().unwrap().clone();
                    let v: Value = serde_json::from_str(&last).unwrap();
                    let seq = v["seq"].as_i64().unwrap();
                    lines.push(last.replacen(
                        &format!("{{\"seq\":{seq},"),
                        &format!("{{\"seq\":{},", seq + 1),
                        1,
                    ));
                    set_events(f, &lines);
                    reseal(&s, f);
                }),
            ),
            (
                "edited",
                false,
                Box::new(|f: &mut Files| {
                    let lines: Vec<String> = event_lines(f)
                        .into_iter()
                        .map(|l| l.replacen("ops@example.com", "mallory@evil.example", 1))
                        .collect();
                    set_events(f, &lines);
                    reseal(&s, f);
                }),
            ),
            (
                "swapped",
                false,
                Box::new(|f: &mut Files| {
                    let mut lines = event_lines(f);
                    let n = lines.len();
                    lines.swap(0, n - 1);
                    set_events(f, &lines);
                    reseal(&s, f);
                }),
            ),
            (
                "short-proof",
                false,
                Box::new(|f: &mut Files| {
                    let proof = f.get_mut("audit/checkpoint-proof.bin").unwrap();
                    let keep = proof.len().saturating_sub(32);
                    proof.truncate(keep);
                    if keep == 0 {
                        // A proof of nothing but the events: one hash too many instead.
                        proof.extend_from_slice(&[7u8; 32]);
                    }
                    reseal(&s, f);
                }),
            ),
            (
                "other-root",
                false,
                Box::new(|f: &mut Files| {
                    let note = String::from_utf8(f["audit/checkpoint.txt"].clone()).unwrap();
                    let mut lines: Vec<&str> = note.split('\n').collect();
                    let forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
                    lines[2] = forged;
                    f.insert("audit/checkpoint.txt".into(), lines.join("\n").into_bytes());
                    reseal(&s, f);
                }),
            ),
            (
                "runbook-changed",
                false,
                Box::new(|f: &mut Files| {
                    f.get_mut("runbooks/flows.md")
                        .unwrap()
                        .extend_from_slice(b"\nrm -rf /\n");
                }),
            ),
        ];
        for (kind, ok, tamper) in tampered {
            let mut files = files.clone();
            tamper(&mut files);
            let (passed, problems) = verdict(&s, &format!("{label}-{kind}"), &files);
            assert_eq!(passed, ok, "{label}-{kind}");
            if kind == "trimmed-and-proven" {
                assert!(problems.contains("left out"), "{label}-{kind}: {problems}");
            }
            verdicts += 1;
        }
    }
    assert!(verdicts >= 50, "{verdicts} packs");
}

/// A pack of format 1 (from before the tree) still verifies; export refuses when no
/// checkpoint covers the tenant's last event, saying how to make one.
#[test]
fn older_packs_verify_and_an_export_without_a_checkpoint_is_refused() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
    s.run(
        ADMIN,
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "keys/maestro-pack.key",
            "--out",
            "a.tar.gz",
        ],
    )
    .assert_error(
        1,
        "no checkpoint of the audit log covers tenant `acme`'s last event (8): a pack carries one, with the proof of its events",
        Some("the log's signer signs one with `maestro-cli audit:checkpoint --key FILE` (hourly by cron); then export again"),
    );
    assert!(!s.home().join("a.tar.gz").exists());
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
            "a.tar.gz",
        ],
    );
    // The same pack as format 1 wrote it: no checkpoint, no proof, format 1, re-signed with
    // the pack key (its own, here).
    let mut files = unpack(&s.home().join("a.tar.gz"));
    files.retain(|name, _| !name.starts_with("audit/checkpoint"));
    let mut manifest: Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    manifest["format"] = "maestro-pack/1".into();
    manifest["files"] = Value::Array(
        manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| !f["path"].as_str().unwrap().starts_with("audit/checkpoint"))
            .cloned()
            .collect(),
    );
    let bytes = serde_json::to_vec_pretty(&manifest).unwrap();
    let key = maestro_cli::pack::keys::load_secret(&s.home().join("keys/maestro-pack.key"), None)
        .unwrap();
    files.insert(
        "manifest.json.minisig".into(),
        key.sign(&bytes, "format 1").into_bytes(),
    );
    files.insert("manifest.json".into(), bytes.clone());
    pack(&s.home().join("old.tar.gz"), &files);
    let out = s.run(
        "",
        &[
            "pack:verify",
            "old.tar.gz",
            "--pubkey",
            "keys/maestro-pack.pub",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Asked to check the log's side, a pack without one is a problem, not a pass.
    let out = s.run(
        "",
        &[
            "pack:verify",
            "old.tar.gz",
            "--pubkey",
            "keys/maestro-pack.pub",
            "--log-pubkey",
            "log-key/maestro-log.pub",
        ],
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("the pack carries no checkpoint of the audit log"),
        "{}",
        out.stderr
    );
    // The same files claiming format 2 lack what format 2 must carry.
    manifest["format"] = "maestro-pack/2".into();
    let bytes = serde_json::to_vec_pretty(&manifest).unwrap();
    files.insert(
        "manifest.json.minisig".into(),
        key.sign(&bytes, "format 2").into_bytes(),
    );
    files.insert("manifest.json".into(), bytes);
    pack(&s.home().join("new.tar.gz"), &files);
    let out = s.run(
        "",
        &[
            "pack:verify",
            "new.tar.gz",
            "--pubkey",
            "keys/maestro-pack.pub",
        ],
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains("audit/checkpoint.txt is missing"),
        "{}",
        out.stderr
    );
}

/// `pack:verify --checkpoint FILE`: a checkpoint the customer kept from a witness is the
/// pack's own tree, or an earlier one the pack's extends; after the operator rewrote history
/// (chain and tree rebuilt, a new checkpoint signed with the log key), it is not.
#[test]
fn a_witnessed_checkpoint_is_checked_against_the_pack() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
    s.checkpoint();
    let witnessed = |out: &str| {
        s.ok(
            ADMIN,
            &[
                "audit:checkpoint",
                "--key",
                "log-key/maestro-log.key",
                "--out",
                out,
            ],
        );
    };
    witnessed("early.txt");
    s.create("globex", "us-east-1", "gina@globex.example");
    s.ok(ADMIN, &["tenant:update", "acme", "--name", "Acme Corp"]);
    witnessed("late.txt");
    let export = |out: &str| {
        crate::pack::export(&s, out);
    };
    export("acme.tar.gz");
    let check = |pack: &str, checkpoint: &str| {
        let out = s.run(
            "",
            &[
                "pack:verify",
                pack,
                "--pubkey",
                "keys/maestro-pack.pub",
                "--log-pubkey",
                "log-key/maestro-log.pub",
                "--checkpoint",
                checkpoint,
                "--output",
                "json",
            ],
        );
        let v: Value = serde_json::from_str(&out.stdout).unwrap();
        (
            out.code,
            v["checkpoint"]["witnessed"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            out.stderr,
        )
    };
    let (code, said, err) = check("acme.tar.gz", "late.txt");
    assert_eq!(code, 0, "{err}");
    assert!(said.starts_with("the same tree of "), "{said}");
    let (code, said, err) = check("acme.tar.gz", "early.txt");
    assert_eq!(code, 0, "{err}");
    assert!(
        said.starts_with("the pack's tree of ") && said.contains("extends it"),
        "{said}"
    );
    // The operator rewrites acme's first event, rebuilds the chain and the tree, and signs.
    crate::transparency::rewrite(&s, |db| {
        db.execute_batch(
            "UPDATE audit_events SET details = '{\"regions\":\"*\"}' WHERE seq = 3;
             UPDATE audit_head SET frontier = NULL; DELETE FROM audit_tiles;",
        )
        .unwrap();
    });
    s.ok(ADMIN, &["tenant:update", "acme", "--name", "Acme"]);
    // The signer refuses to sign a log that does not extend its last checkpoint ...
    let refused = s.run(
        ADMIN,
        &["audit:checkpoint", "--key", "log-key/maestro-log.key"],
    );
    assert_eq!(refused.code, 4, "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .starts_with("error: the audit log does not extend its checkpoint of "),
        "{}",
        refused.stderr
    );
    // ... so the operator erases the checkpoints kept in the state too, and signs.
    s.db().execute("DELETE FROM audit_checkpoints", []).unwrap();
    witnessed("forged.txt");
    export("forged.tar.gz");
    // The customer's checkpoint from the witness gives it away.
    let (code, _, err) = check("forged.tar.gz", "early.txt");
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("`early.txt`"), "{err}");
    // A checkpoint newer than the pack's cannot be checked from the pack.
    let (code, _, err) = check("acme.tar.gz", "forged.txt");
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("more than the pack's"), "{err}");
}

/// A pack re-packed with its events before the checkpoint (say, by a customer's `tar`) is
/// told apart from one without a checkpoint.
#[test]
fn a_re_packed_archive_is_named_as_such() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
    let files = unpack(&crate::pack::export(&s, "acme.tar.gz"));
    let gz = flate2::write::GzEncoder::new(
        std::fs::File::create(s.home().join("re-packed.tar.gz")).unwrap(),
        flate2::Compression::fast(),
    );
    let mut t = tar::Builder::new(gz);
    let (events, rest): (Vec<_>, Vec<_>) = files
        .iter()
        .partition(|(name, _)| name.as_str() == "audit/events.jsonl");
    for (name, b) in events.into_iter().chain(rest) {
        let mut h = tar::Header::new_gnu();
        h.set_size(b.len() as u64);
        h.set_mode(0o644);
        t.append_data(&mut h, name, b.as_slice()).unwrap();
    }
    t.into_inner().unwrap().finish().unwrap();
    let out = s.run(
        "",
        &[
            "pack:verify",
            "re-packed.tar.gz",
            "--pubkey",
            "keys/maestro-pack.pub",
        ],
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("audit/checkpoint.txt comes after the events in the archive (re-packed?)"),
        "{}",
        out.stderr
    );
}
