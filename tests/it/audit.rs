//! audit:log and audit:verify, including tampering with the file behind the tool's back.

use crate::support::{ADMIN, Sandbox};

/// A state with seven tenant events (bootstrap, 3 creates, 3 updates) and the events of
/// the three `new-tenant` runs.
fn seven_events() -> Sandbox {
    let s = Sandbox::initialised();
    for id in ["a", "b", "c"] {
        s.create(id, "eu-west-1", "x@y.example");
    }
    for id in ["a", "b", "c"] {
        s.ok(
            ADMIN,
            &["tenant:update", id, "--name", &format!("Tenant {id}")],
        );
    }
    assert_eq!(s.audit_actions().len(), 7);
    assert!(s.all_audit_actions().len() > 7);
    s
}

/// Runs SQL on the state file as an attacker would: with the append-only triggers dropped.
fn tamper(s: &Sandbox, sql: &str) {
    let db = s.db();
    db.execute_batch("DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;")
        .unwrap();
    db.execute_batch(sql).unwrap();
}

fn verify_fails_at(s: &Sandbox, seq: i64, problem: &str) {
    let out = s.run(ADMIN, &["audit:verify", "--output", "json"]);
    assert_eq!(out.code, 4, "{}{}", out.stdout, out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["first_bad"]["seq"], seq, "{report}");
    assert_eq!(report["first_bad"]["problem"], problem, "{report}");
    assert_eq!(
        out.stderr,
        format!("problem: audit chain broken at event {seq}: {problem}\n")
    );
}

#[test]
fn verify_is_clean_on_an_untouched_chain() {
    let s = seven_events();
    let report = s.json(ADMIN, &["audit:verify"]);
    assert_eq!(report["ok"], true);
    assert_eq!(report["events"], s.all_audit_actions().len());
    assert_eq!(report["first_bad"], serde_json::Value::Null);
    let out = s.ok("", &["audit:verify"]);
    assert!(
        out.stdout.starts_with(&format!(
            "OK             true\nEVENTS         {}\n",
            s.all_audit_actions().len()
        )),
        "{}",
        out.stdout
    );
}

#[test]
fn verify_names_an_altered_event() {
    let s = seven_events();
    tamper(
        &s,
        "UPDATE audit_events SET details = '{\"name\":\"forged\"}' WHERE seq = 4",
    );
    verify_fails_at(
        &s,
        4,
        "its content does not match its hash: the event was altered",
    );
}

#[test]
fn verify_names_a_removed_event() {
    let s = seven_events();
    tamper(&s, "DELETE FROM audit_events WHERE seq = 3");
    verify_fails_at(&s, 3, "event 3 is missing (the next stored event is 4)");
}

#[test]
fn verify_names_reordered_events() {
    let s = seven_events();
    tamper(
        &s,
        "UPDATE audit_events SET seq = 100 WHERE seq = 5;
         UPDATE audit_events SET seq = 5 WHERE seq = 6;
         UPDATE audit_events SET seq = 6 WHERE seq = 100;",
    );
    verify_fails_at(
        &s,
        5,
        "its prev_hash does not match the hash of the event before it: events were removed or reordered",
    );
}

#[test]
fn verify_notices_events_cut_from_the_end() {
    let s = seven_events();
    let last = s.all_audit_actions().len() as i64;
    tamper(&s, &format!("DELETE FROM audit_events WHERE seq = {last}"));
    verify_fails_at(
        &s,
        last,
        &format!(
            "the chain ends at event {} but the recorded head is event {last}: events were removed from the end",
            last - 1
        ),
    );
}

/// Events written past the recorded head (here: the head set back one event, as if the last
/// event had been appended by hand) are named as appended, at the first of them.
#[test]
fn verify_names_events_appended_after_the_head() {
    let s = seven_events();
    let last = s.all_audit_actions().len() as i64;
    tamper(
        &s,
        &format!(
            "UPDATE audit_head SET seq = {0}, hash = (SELECT hash FROM audit_events WHERE seq = {0})",
            last - 1
        ),
    );
    verify_fails_at(
        &s,
        last,
        &format!(
            "event {last} comes after the recorded head (event {}): events were appended outside maestro-cli",
            last - 1
        ),
    );
}

#[test]
fn verify_names_a_rewritten_head() {
    let s = seven_events();
    let last = s.all_audit_actions().len() as i64;
    tamper(
        &s,
        &format!("UPDATE audit_head SET hash = '{}'", "0".repeat(64)),
    );
    verify_fails_at(
        &s,
        last,
        "the recorded head's hash is not this event's: the head or the event was rewritten",
    );
}

#[test]
fn the_store_refuses_to_edit_events() {
    let s = seven_events();
    let err = s
        .db()
        .execute("DELETE FROM audit_events WHERE seq = 1", [])
        .unwrap_err();
    assert_eq!(err.to_string(), "audit events are append-only");
}

#[test]
fn log_filters_by_tenant_and_since() {
    let s = seven_events();
    let a = s.json(ADMIN, &["audit:log", "--tenant", "a"]);
    let actions: Vec<&str> = a
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|a| !a.starts_with("flow.") && !a.starts_with("policy."))
        .collect();
    assert_eq!(actions, ["tenant.create", "tenant.update"]);
    assert!(a.as_array().unwrap().iter().all(|e| e["tenant_id"] == "a"));
    // Every event carries its hash link.
    assert_eq!(a[0]["hash"].as_str().unwrap().len(), 64);
    let none = s.json(ADMIN, &["audit:log", "--since", "2027-01-01"]);
    assert_eq!(none.as_array().unwrap().len(), 0);
    let total = s.all_audit_actions().len() as i64;
    let all = s.json(ADMIN, &["audit:log", "--since", "2026-11-25"]);
    assert_eq!(all.as_array().unwrap().len() as i64, total);
    let last2 = s.json(ADMIN, &["audit:log", "-n", "2"]);
    assert_eq!(last2[0]["seq"], total - 1);
    assert_eq!(last2[1]["seq"], total);
    let out = s.run(ADMIN, &["audit:log", "--since", "last tuesday"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .starts_with("error: invalid --since `last tuesday`"),
        "{}",
        out.stderr
    );
}

#[test]
fn tenant_admin_reads_only_their_tenant_events() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.create("globex", "us-east-1", "gina@globex.example");
    let mine = s.json("alice@acme.example", &["audit:log"]);
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|e| e["tenant_id"] == "acme"),
        "{mine}"
    );
    let out = s.run("alice@acme.example", &["audit:log", "--tenant", "globex"]);
    assert_eq!(out.code, 3);
}

#[test]
fn status_is_online_until_the_chain_breaks() {
    let s = seven_events();
    let out = s.ok(ADMIN, &["status"]);
    assert_eq!(out.stderr, "CompanyOS: System Online\n");
    assert!(out.stdout.contains("audit chain  ok"), "{}", out.stdout);
    tamper(
        &s,
        "UPDATE audit_events SET target = 'tenant/forged' WHERE seq = 2",
    );
    let out = s.run(ADMIN, &["status", "--output", "json"]);
    assert_eq!(out.code, 4);
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(status["online"], false);
    let chain = status["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "audit chain")
        .unwrap();
    assert_eq!(chain["ok"], false);
    assert!(
        chain["detail"]
            .as_str()
            .unwrap()
            .starts_with("broken at event 2"),
        "{chain}"
    );
}

#[test]
fn a_bad_tenant_id_in_a_read_is_refused_with_the_dns_label_help() {
    let s = seven_events();
    for args in [
        &["audit:log", "--tenant", "Bad_Id"][..],
        &["policy:log", "--tenant", "Bad_Id"][..],
        &["signals:alerts", "--tenant", "Bad_Id"][..],
    ] {
        s.run(ADMIN, args).assert_error(
            1,
            "invalid tenant id `Bad_Id`: an uppercase letter `B` at position 1; only lowercase letters, digits and `-` are allowed",
            Some("a tenant id is a DNS label: lowercase letters, digits and `-`, 1 to 63 characters, e.g. `acme-corp`"),
        );
    }
}
