//! The audit log as a transparency log, through the binary: a signed checkpoint kept outside
//! the state catches an attacker with write access to the state file who rewrites history
//! and recomputes the whole hash chain (`audit:verify` alone says "intact"), whether an event
//! was edited, removed or two swapped; an honest log that only grew extends it.

use rusqlite::Connection;
use serde_json::Value;

use crate::support::{ADMIN, Sandbox};

/// A state with a dozen events, the log key, and a checkpoint of it saved outside the state
/// (`witnessed.txt`, as a SIEM would keep it); then a few events more.
fn witnessed() -> Sandbox {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.create("globex", "us-east-1", "gina@globex.example");
    s.ok(
        ADMIN,
        &[
            "audit:keygen",
            "--dir",
            "log-key",
            "--origin",
            "example.com/audit",
        ],
    );
    s.ok(
        ADMIN,
        &[
            "audit:checkpoint",
            "--key",
            "log-key/maestro-log.key",
            "--out",
            "witnessed.txt",
        ],
    );
    s.create("initech", "eu-west-1", "ian@initech.example");
    s
}

fn verify(s: &Sandbox) -> crate::support::Output {
    s.run(
        "",
        &[
            "audit:verify",
            "--checkpoint",
            "witnessed.txt",
            "--pubkey",
            "log-key/maestro-log.pub",
            "--output",
            "json",
        ],
    )
}

/// An event's hashed columns: seq, at, actor, tenant, action, target, details.
type Row = (i64, String, String, Option<String>, String, String, String);

/// What an attacker with the state file does: rewrite rows with the append-only triggers
/// dropped, then recompute every hash from the first changed event on, and the head.
pub fn rewrite(s: &Sandbox, change: impl FnOnce(&Connection)) {
    let db = s.db();
    db.execute_batch("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;")
        .unwrap();
    change(&db);
    let rows: Vec<Row> = db
        .prepare("SELECT seq, at, actor, tenant_id, action, target, details FROM audit_events ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = maestro_cli::model::audit::GENESIS.to_string();
    for (seq, at, actor, tenant, action, target, details) in rows {
        let hash = maestro_cli::model::audit::event_hash(
            &prev,
            seq,
            &at,
            &actor,
            tenant.as_deref(),
            &action,
            &target,
            &details,
        );
        db.execute(
            "UPDATE audit_events SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, hash, seq],
        )
        .unwrap();
        db.execute(
            "UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1",
            rusqlite::params![seq, hash],
        )
        .unwrap();
        prev = hash;
    }
}

fn chain_intact(s: &Sandbox) {
    let chain = s.run("", &["audit:verify"]);
    assert_eq!(
        chain.code, 0,
        "the recomputed chain fools audit:verify alone: {}",
        chain.stderr
    );
}

fn caught(s: &Sandbox, first_bad: Option<i64>) -> String {
    let out = verify(s);
    assert_eq!(out.code, 4, "{}{}", out.stdout, out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["checkpoint"]["ok"], false, "{v:#}");
    assert_eq!(v["checkpoint"]["first_bad"].as_i64(), first_bad, "{v:#}");
    assert!(
        out.stderr
            .contains("problem: the log does not extend the checkpoint of "),
        "{}",
        out.stderr
    );
    out.stderr
}

#[test]
fn an_honest_log_extends_its_witnessed_checkpoint() {
    let s = witnessed();
    let out = verify(&s);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let c = &v["checkpoint"];
    assert_eq!(c["ok"], true, "{v:#}");
    assert!(
        c["log_size"].as_u64() > c["checkpoint_size"].as_u64(),
        "{v:#}"
    );
    assert!(
        c["signature"]
            .as_str()
            .unwrap()
            .starts_with("verified by example.com/audit+"),
        "{v:#}"
    );
    // Every event proves its inclusion in the witnessed tree.
    let p = s.json(ADMIN, &["audit:prove", "--seq", "5"]);
    assert_eq!(p["tree_size"], c["checkpoint_size"]);
    assert!(
        p["checkpoint"]
            .as_str()
            .unwrap()
            .starts_with("example.com/audit\n")
    );
}

#[test]
fn an_edited_event_is_named_although_the_chain_was_recomputed() {
    let s = witnessed();
    rewrite(&s, |db| {
        db.execute(
            "UPDATE audit_events SET details = '{\"regions\":\"us-east-1\"}' WHERE seq = 5",
            [],
        )
        .unwrap();
    });
    chain_intact(&s);
    let stderr = caught(&s, Some(5));
    assert!(
        stderr.contains("event 5 is not the event the checkpoint"),
        "{stderr}"
    );
}

#[test]
fn a_removed_event_is_named() {
    let s = witnessed();
    rewrite(&s, |db| {
        db.execute("DELETE FROM audit_events WHERE seq = 5", [])
            .unwrap();
        db.execute("UPDATE audit_events SET seq = seq - 1 WHERE seq > 5", [])
            .unwrap();
    });
    // (The decisions sealed by the moved events no longer match their numbers, so the chain
    // check may complain as well; the checkpoint names the first event that moved.)
    caught(&s, Some(5));
}

#[test]
fn two_swapped_events_are_named() {
    let s = witnessed();
    rewrite(&s, |db| {
        db.execute_batch(
            "UPDATE audit_events SET seq = -1 WHERE seq = 6;
             UPDATE audit_events SET seq = 6 WHERE seq = 5;
             UPDATE audit_events SET seq = 5 WHERE seq = -1;",
        )
        .unwrap();
    });
    chain_intact(&s);
    caught(&s, Some(5));
}

#[test]
fn a_rewrite_of_the_kept_leaves_too_is_still_caught() {
    let s = witnessed();
    rewrite(&s, |db| {
        db.execute("UPDATE audit_events SET details = '{}' WHERE seq = 3;", [])
            .unwrap();
        // The kept leaves of every event from the changed one on (their lines carry the
        // recomputed hashes), as a thorough attacker would.
        db.execute("UPDATE audit_events SET leaf = NULL WHERE seq >= 3", [])
            .unwrap();
    });
    chain_intact(&s);
    let stderr = caught(&s, None);
    assert!(stderr.contains("cannot be named"), "{stderr}");
}

#[test]
fn a_checkpoint_of_another_key_or_a_forged_one_is_refused() {
    let s = witnessed();
    s.ok(
        ADMIN,
        &[
            "audit:keygen",
            "--dir",
            "other-key",
            "--origin",
            "example.com/audit",
        ],
    );
    let out = s.run(
        "",
        &[
            "audit:verify",
            "--checkpoint",
            "witnessed.txt",
            "--pubkey",
            "other-key/maestro-log.pub",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: no signature by `example.com/audit+"),
        "{}",
        out.stderr
    );
    let note = std::fs::read_to_string(s.home().join("witnessed.txt")).unwrap();
    let mut lines: Vec<&str> = note.lines().collect();
    let bigger = (lines[1].parse::<u64>().unwrap() + 1).to_string();
    lines[1] = &bigger;
    std::fs::write(s.home().join("forged.txt"), lines.join("\n") + "\n").unwrap();
    let out = s.run(
        "",
        &[
            "audit:verify",
            "--checkpoint",
            "forged.txt",
            "--pubkey",
            "log-key/maestro-log.pub",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("does not match the checkpoint"),
        "{}",
        out.stderr
    );
    // Quiet, a key pair is made without a word on stdout.
    let quiet = s.ok(ADMIN, &["audit:keygen", "--dir", "quiet-key", "-q"]);
    assert_eq!(quiet.stdout, "");
    assert!(s.home().join("quiet-key/maestro-log.key").exists());
    // Signing needs the log key; a second run with nothing new signs nothing.
    let again = s.json(
        ADMIN,
        &["audit:checkpoint", "--key", "log-key/maestro-log.key"],
    );
    assert_eq!(again["new"], true);
    let idle = s.json(
        ADMIN,
        &["audit:checkpoint", "--key", "log-key/maestro-log.key"],
    );
    assert_eq!(idle["new"], false);
    assert_eq!(idle["size"], again["size"]);
}

/// A checkpoint reaches the witnesses: `sync` delivers it, as the signed note, to a webhook
/// receiver configured for it; kept there, it later checks the log.
#[test]
fn a_checkpoint_is_delivered_to_the_witnesses() {
    let hook = crate::http_mock::Mock::start(|_| (200, "{}".into()));
    let s = Sandbox::initialised();
    std::fs::write(
        s.home().join("maestro.toml"),
        format!(
            "[[adapters]]\nname = \"witness\"\nkind = \"webhook\"\nurl = \"{}/witness\"\n\
             token_env = \"HOOK_KEY\"\nevents = [\"checkpoint\"]\n",
            hook.url()
        ),
    )
    .unwrap();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.checkpoint();
    let out = s
        .cmd(Some(ADMIN))
        .env("HOOK_KEY", "whsec-witness")
        .args(["sync"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let requests = hook.requests();
    assert_eq!(
        requests.len(),
        1,
        "one checkpoint, nothing else: {requests:?}"
    );
    assert_eq!(requests[0].header("x-maestro-event"), Some("checkpoint"));
    let body: Value = serde_json::from_str(&requests[0].body).unwrap();
    let payload: Value = match &body["payload"] {
        Value::String(text) => serde_json::from_str(text).unwrap(),
        other => other.clone(),
    };
    let note = payload["note"]
        .as_str()
        .unwrap_or_else(|| panic!("{body:#}"));
    assert!(note.starts_with("example.com/audit\n"), "{note}");
    // What the witness kept checks the log.
    std::fs::write(s.home().join("from-witness.txt"), note).unwrap();
    s.create("globex", "us-east-1", "gina@globex.example");
    let out = s.run(
        "",
        &[
            "audit:verify",
            "--checkpoint",
            "from-witness.txt",
            "--pubkey",
            "log-key/maestro-log.pub",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// `audit:prove` refuses what it cannot prove, or may not show: an event that does not
/// exist, another tenant's event, a platform-wide one to a tenant's viewer; and a log key is
/// never overwritten.
#[test]
fn proofs_and_keys_are_refused_clearly() {
    let s = witnessed();
    s.run(ADMIN, &["audit:prove", "--seq", "999"]).assert_error(
        1,
        "no audit event 999",
        Some("list events with `maestro-cli audit:log`"),
    );
    s.ok(
        ADMIN,
        &[
            "user:add",
            "vic@acme.example",
            "--role",
            "viewer",
            "--tenant",
            "acme",
        ],
    );
    let acme = s.json(ADMIN, &["audit:log", "--tenant", "acme"]);
    let acme_seq = acme[0]["seq"].as_i64().unwrap().to_string();
    let ok = s.json("vic@acme.example", &["audit:prove", "--seq", &acme_seq]);
    assert_eq!(ok["seq"].as_i64().unwrap().to_string(), acme_seq);
    let globex = s.json(ADMIN, &["audit:log", "--tenant", "globex"]);
    let globex_seq = globex[0]["seq"].as_i64().unwrap().to_string();
    let denied = s.run("vic@acme.example", &["audit:prove", "--seq", &globex_seq]);
    assert_eq!(denied.code, 3, "{}", denied.stderr);
    // Event 1 is the platform's first admin: no tenant's.
    s.run("vic@acme.example", &["audit:prove", "--seq", "1"])
        .assert_error(
            1,
            "audit event 1 is platform-wide: only a platform admin may prove it",
            None,
        );
    let before = std::fs::read(s.home().join("log-key/maestro-log.key")).unwrap();
    let again = s.run(
        ADMIN,
        &[
            "audit:keygen",
            "--dir",
            "log-key",
            "--origin",
            "example.com/audit",
        ],
    );
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("exists: a log key is never overwritten"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read(s.home().join("log-key/maestro-log.key")).unwrap(),
        before
    );
}
