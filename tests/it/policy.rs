//! The governance kernel through the binary: policy:test, policy:check, the deny demo,
//! isolation, mission lock, exceptions, masking, batch and CI formats, drift.

use std::path::Path;

use serde_json::Value;

use crate::support::{ADMIN, HELP_GRANT, Sandbox, json_error};

/// The denial of a deploy of `acme` to `us-prod-1`, outside its allowed regions.
const DENIED_US_PROD: &str = "denied by `data.maestro.residency`: residency: tenant `acme` may not deploy to cluster `us-prod-1` in region `us-east-1`; its allowed regions are eu-west-1";

const CONFIG: &str = "[platform.regions]\neu-west-1 = \"Ireland\"\nus-east-1 = \"Virginia\"\n\n[platform.clusters]\neu-prod-1 = { region = \"eu-west-1\" }\nus-prod-1 = { region = \"us-east-1\" }\n";

/// A platform with clusters and tenant `acme` (eu-west-1); `policy_data` replaces the
/// bundle's data.json (the shipped policies are copied next to it).
fn platform(policy_data: Option<&str>) -> Sandbox {
    let s = Sandbox::initialised();
    let mut config = CONFIG.to_string();
    if let Some(data) = policy_data {
        let dir = s.home().join("policies");
        std::fs::create_dir_all(&dir).unwrap();
        for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("policies")).unwrap()
        {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "rego") {
                std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
            }
        }
        std::fs::write(dir.join("data.json"), data).unwrap();
        config.push_str(&format!("\n[policy]\ndir = \"{}\"\n", dir.display()));
    }
    std::fs::write(s.home().join("maestro.toml"), config).unwrap();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s
}

fn check(s: &Sandbox, query: &str, input: &str) -> (i32, Value, String) {
    std::fs::write(s.home().join("input.json"), input).unwrap();
    let out = s.run(
        ADMIN,
        &[
            "policy:check",
            "--input",
            "input.json",
            "--query",
            query,
            "--output",
            "json",
        ],
    );
    (
        out.code,
        serde_json::from_str(&out.stdout).unwrap_or(Value::Null),
        out.stderr,
    )
}

#[test]
fn shipped_policies_pass_their_tests() {
    let s = Sandbox::new();
    let out = s.ok("", &["policy:test"]);
    assert!(
        out.stdout.ends_with("35 passed, 0 failed, 1 skipped\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("PASS residency_test.rego:"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("SKIP abac_test.rego:"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_failing_policy_test_names_file_and_rule_and_exits_4() {
    let s = Sandbox::new();
    let dir = s.home().join("pol");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("p.rego"),
        "package p\n\nimport rego.v1\n\nx := 1\n",
    )
    .unwrap();
    std::fs::write(dir.join("p_test.rego"), "package p_test\n\nimport rego.v1\n\nimport data.p\n\ntest_ok if p.x == 1\n\ntest_wrong if p.x == 2\n").unwrap();
    let out = s.run("", &["policy:test", dir.to_str().unwrap()]);
    assert_eq!(out.code, 4);
    assert!(
        out.stdout.contains("FAIL p_test.rego:9 test_wrong"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.ends_with("1 passed, 1 failed\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn deny_demo_deploy_outside_the_allowlist() {
    let s = platform(None);
    let out = check_deploy(&s, "acme", "us-prod-1");
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(out.stderr, json_error(3, DENIED_US_PROD, None));
    // The same through the deploy flow: denied, logged, nothing deployed.
    let run = s.run(
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
    assert_eq!(run.code, 3, "{}", run.stderr);
    let rows: i64 = s
        .db()
        .query_row("SELECT count(*) FROM deployments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
    let log = s.json(
        ADMIN,
        &["policy:log", "--tenant", "acme", "--decision", "deny"],
    );
    let residency: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["query"] == "data.maestro.residency")
        .collect();
    assert_eq!(residency.len(), 2, "{log}");
    assert_eq!(residency[1]["input"]["cluster"], "us-prod-1");
    assert_eq!(residency[1]["engine"], "regorus");
    assert_eq!(residency[1]["bundle_sha256"].as_str().unwrap().len(), 64);
    s.ok(ADMIN, &["audit:verify"]);
}

#[test]
fn unknown_tenant_is_denied() {
    let s = platform(None);
    let out = check_deploy(&s, "ghost", "eu-prod-1");
    assert_eq!(out.code, 3);
    assert_eq!(
        out.stderr,
        json_error(
            3,
            "denied by `data.maestro.residency`: residency: unknown tenant `ghost` has no residency declaration",
            None,
        )
    );
}

/// `policy:check deploy` of `tenant`'s `api` in `prod` to `cluster`, as JSON.
fn check_deploy(s: &Sandbox, tenant: &str, cluster: &str) -> crate::support::Output {
    s.run(
        ADMIN,
        &[
            "policy:check",
            "deploy",
            "--tenant",
            tenant,
            "--service",
            "api",
            "--env",
            "prod",
            "--cluster",
            cluster,
            "--output",
            "json",
        ],
    )
}

/// Rows of the decision cache and the id of the newest (a decision made again replaces its
/// row under a new id).
fn remembered(s: &Sandbox) -> (i64, i64) {
    s.db()
        .query_row(
            "SELECT count(*), coalesce(max(id), 0) FROM decision_cache",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[test]
fn a_repeated_check_is_remembered_until_what_it_depends_on_changes() {
    let s = platform(None);
    let before = remembered(&s);
    let first = check_deploy(&s, "acme", "us-prod-1");
    assert_eq!(first.code, 3, "{}", first.stderr);
    let after_first = remembered(&s);
    // The ABAC question (may the admin read acme's policy decisions?) and the residency one.
    assert_eq!(after_first.0, before.0 + 2);

    let second = check_deploy(&s, "acme", "us-prod-1");
    assert_eq!(second.code, 3, "{}", second.stderr);
    assert_eq!(remembered(&s), after_first, "nothing was decided again");
    let without_id = |out: &crate::support::Output| {
        let mut v: Value = serde_json::from_str(&out.stdout).unwrap();
        v.as_object_mut().unwrap().remove("decision_id");
        v
    };
    assert_eq!(without_id(&second), without_id(&first));
    assert_eq!(second.stderr, json_error(3, DENIED_US_PROD, None));

    // The allowlist changes, so does the data document: decided again, and now allowed.
    s.ok(
        ADMIN,
        &["tenant:update", "acme", "--regions", "eu-west-1,us-east-1"],
    );
    let third = check_deploy(&s, "acme", "us-prod-1");
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert!(remembered(&s).1 > after_first.1);

    // Every check is in the decision log, remembered or not, and the chain holds.
    let log = s.json(ADMIN, &["policy:log", "--tenant", "acme"]);
    let residency: Vec<bool> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["query"] == "data.maestro.residency")
        .map(|d| d["allow"].as_bool().unwrap())
        .collect();
    assert_eq!(residency, [false, false, true], "{log}");
    s.ok(ADMIN, &["audit:verify"]);
}

#[test]
fn a_policy_that_reads_the_clock_is_never_remembered() {
    let s = platform(Some("{}"));
    let policy = s.home().join("policies/residency.rego");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, format!("{text}\nchecked_at_ns := time.now_ns()\n")).unwrap();
    let before = remembered(&s);
    for _ in 0..2 {
        let out = check_deploy(&s, "acme", "us-prod-1");
        assert_eq!(out.code, 3, "{}", out.stderr);
    }
    // Only the ABAC decision is remembered: the residency module calls `time.now_ns`.
    assert_eq!(remembered(&s).0, before.0 + 1);
}

#[test]
fn an_input_file_is_one_json_document_in_any_layout() {
    let s = platform(None);
    let query = "data.maestro.tenant_isolation";
    // Pretty-printed, as an editor or `jq .` leaves it.
    let pretty = "{\n  \"actor_tenant\": \"globex\",\n  \"resource_tenant\": \"acme\",\n  \"now\": \"2026-11-25T10:00:00Z\"\n}\n";
    let (code, d, err) = check(&s, query, pretty);
    assert_eq!(code, 3, "{err}");
    assert_eq!(d["allow"], false);
    let decisions = |s: &Sandbox| -> i64 {
        s.db()
            .query_row("SELECT count(*) FROM decisions", [], |r| r.get(0))
            .unwrap()
    };
    let before = decisions(&s);
    // Two documents: refused, pointing to --input-lines; bad JSON: its line named.
    for (text, message) in [
        (
            "{\"actor_tenant\": \"acme\"}\n{\"actor_tenant\": \"globex\"}\n",
            "input.json: more than one JSON document; use --input-lines for many (one per line)",
        ),
        (
            "{\n  \"actor_tenant\": \"acme\",\n  oops\n}\n",
            "input.json:3: not JSON: key must be a string at line 3 column 3",
        ),
        ("  \n", "input.json: empty; expected one JSON document"),
    ] {
        let (code, _, err) = check(&s, query, text);
        assert_eq!(code, 1, "{text:?}: {err}");
        assert_eq!(err, json_error(1, message, None), "{text:?}");
    }
    assert_eq!(decisions(&s), before, "a refused input is not a decision");
}

#[test]
fn cross_tenant_access_exceptions_and_expiry() {
    let data = r#"{"stewards": [], "exceptions": [
        {"id": "EX-1", "from_tenant": "acme", "to_tenant": "globex", "reason": "joint venture", "approver": "cso@example.com", "expires_at": "2027-01-01T00:00:00Z"},
        {"id": "EX-2", "from_tenant": "acme", "to_tenant": "initech", "reason": "migration", "approver": "cso@example.com", "expires_at": "2026-01-01T00:00:00Z"}]}"#;
    let s = platform(Some(data));
    let now = "\"now\": \"2026-11-25T10:00:00Z\"";
    let (code, d, err) = check(
        &s,
        "data.maestro.tenant_isolation",
        &format!("{{\"actor_tenant\": \"globex\", \"resource_tenant\": \"acme\", {now}}}"),
    );
    assert_eq!(code, 3, "{err}");
    assert_eq!(d["allow"], false);
    let (code, d, _) = check(
        &s,
        "data.maestro.tenant_isolation",
        &format!("{{\"actor_tenant\": \"acme\", \"resource_tenant\": \"globex\", {now}}}"),
    );
    assert_eq!(code, 0);
    assert_eq!(d["exceptions_applied"], serde_json::json!(["EX-1"]));
    assert_eq!(d["audit"], true);
    let (code, d, _) = check(
        &s,
        "data.maestro.tenant_isolation",
        &format!("{{\"actor_tenant\": \"acme\", \"resource_tenant\": \"initech\", {now}}}"),
    );
    assert_eq!(code, 3);
    assert!(
        d["deny"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "tenant isolation: exception `EX-2` expired"),
        "{d}"
    );
    // Drift lists the expired exception.
    let out = s.run(ADMIN, &["policy:drift", "--output", "json"]);
    assert_eq!(out.code, 4);
    let items: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "exception" && i["id"] == "EX-2"),
        "{items}"
    );
}

#[test]
fn mission_lock_needs_two_steward_approvals() {
    let s = platform(Some(
        r#"{"stewards": ["s1@example.com", "s2@example.com", "s3@example.com"], "exceptions": []}"#,
    ));
    let input = |approvals: &str| {
        format!(
            "{{\"action\": \"change\", \"resource\": {{\"kind\": \"policy\"}}, \"approvals\": [{approvals}]}}"
        )
    };
    let (code, d, _) = check(&s, "data.maestro.mission_lock", &input(""));
    assert_eq!(code, 3);
    assert!(
        d["deny"][0].as_str().unwrap().ends_with(
            "missing approvals from 2 more of: s1@example.com, s2@example.com, s3@example.com"
        ),
        "{d}"
    );
    let (code, d, _) = check(
        &s,
        "data.maestro.mission_lock",
        &input("\"s1@example.com\""),
    );
    assert_eq!(code, 3);
    assert_eq!(
        d["deny"][0],
        "mission lock: changing the policy needs 2 approvals from governance stewards, it has 1; missing approvals from 1 more of: s2@example.com, s3@example.com",
        "{d}"
    );
    let (code, d, _) = check(
        &s,
        "data.maestro.mission_lock",
        &input("\"s1@example.com\", \"s3@example.com\""),
    );
    assert_eq!(code, 0, "{d}");
}

#[test]
fn secrets_in_input_are_masked_in_the_log() {
    let s = platform(None);
    let (code, d, _) = check(
        &s,
        "data.maestro.residency",
        r#"{"action": "deploy", "tenant": "acme", "cluster": "eu-prod-1", "auth": {"token": "hunter2-s3cr3t"}}"#,
    );
    assert_eq!(code, 0);
    assert_eq!(d["masked"], serde_json::json!(["input.auth.token"]));
    let log = s.json(ADMIN, &["policy:log"]);
    let last = log.as_array().unwrap().last().unwrap();
    assert_eq!(last["input"]["auth"]["token"], "[masked]");
    assert_eq!(last["masked"], serde_json::json!(["input.auth.token"]));
    drop(s.db());
    let bytes = std::fs::read(s.state()).unwrap();
    let wal = std::fs::read(s.home().join("state.db-wal")).unwrap_or_default();
    let found = |hay: &[u8]| hay.windows(14).any(|w| w == b"hunter2-s3cr3t");
    assert!(
        !found(&bytes) && !found(&wal),
        "the secret reached the state file"
    );
}

/// `policy:check --input-lines FILE --query data.maestro.residency --output json`.
fn check_lines(s: &Sandbox, file: &str) -> crate::support::Output {
    s.run(
        ADMIN,
        &[
            "policy:check",
            "--input-lines",
            file,
            "--query",
            "data.maestro.residency",
            "--output",
            "json",
        ],
    )
}

#[test]
fn batch_lines_and_ci_formats() {
    let s = platform(None);
    let lines = "{\"action\": \"deploy\", \"tenant\": \"acme\", \"cluster\": \"eu-prod-1\"}\n\n{\"action\": \"deploy\", \"tenant\": \"acme\", \"cluster\": \"us-prod-1\"}\n{\"action\": \"deploy\", \"tenant\": \"ghost\", \"cluster\": \"eu-prod-1\"}\n";
    std::fs::write(s.home().join("batch.jsonl"), lines).unwrap();
    let out = check_lines(&s, "batch.jsonl");
    assert_eq!(out.code, 3);
    let allows: Vec<bool> = out
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["allow"]
                .as_bool()
                .unwrap()
        })
        .collect();
    assert_eq!(allows, [true, false, false]);
    let junit = s
        .run(
            ADMIN,
            &[
                "policy:check",
                "--input-lines",
                "batch.jsonl",
                "--query",
                "data.maestro.residency",
                "--format",
                "junit",
            ],
        )
        .stdout;
    assert!(
        junit.contains("<testsuite name=\"maestro-policy\" tests=\"3\" failures=\"2\">"),
        "{junit}"
    );
    let tap = s
        .run(
            ADMIN,
            &[
                "policy:check",
                "--input-lines",
                "batch.jsonl",
                "--query",
                "data.maestro.residency",
                "--format",
                "tap",
            ],
        )
        .stdout;
    assert!(
        tap.starts_with("TAP version 13\n1..3\nok 1 - data.maestro.residency"),
        "{tap}"
    );
    assert!(tap.contains("not ok 2 - "), "{tap}");
    let sarif: Value = serde_json::from_str(
        &s.run(
            ADMIN,
            &[
                "policy:check",
                "--input-lines",
                "batch.jsonl",
                "--query",
                "data.maestro.residency",
                "--format",
                "sarif",
            ],
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
    // A bad line is refused with its number, and nothing is decided.
    std::fs::write(
        s.home().join("bad.jsonl"),
        "{\"action\": \"deploy\"}\n{oops\n",
    )
    .unwrap();
    let before = s.dump();
    let out = s.run(
        ADMIN,
        &[
            "policy:check",
            "--input-lines",
            "bad.jsonl",
            "--query",
            "data.maestro.residency",
        ],
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with("error: bad.jsonl:2: not JSON"),
        "{}",
        out.stderr
    );
    assert_eq!(s.dump(), before);
}

/// `policy:check` asks for every tenant an input names, not only `input.tenant`: acme's admin
/// cannot learn globex's tier through the mission lock's `resource.tenant`.
#[test]
fn policy_check_authorizes_every_tenant_the_input_names() {
    let s = platform(None);
    s.create("globex", "us-east-1", "gus@globex.example");
    std::fs::write(
        s.home().join("input.json"),
        r#"{"action": "change", "resource": {"kind": "residency", "tenant": "globex"}, "approvals": []}"#,
    )
    .unwrap();
    let before = s.dump();
    let args = [
        "policy:check",
        "--input",
        "input.json",
        "--query",
        "data.maestro.mission_lock",
    ];
    s.run("alice@acme.example", &args).assert_error(
        3,
        "denied: `alice@acme.example` may not run `policy:log` on tenant `globex`: it needs viewer or tenant-admin of `globex`; `alice@acme.example` holds no role for `globex`",
        Some(HELP_GRANT),
    );
    assert_ne!(s.dump(), before, "the refusal is logged");
    let out = s.run("gus@globex.example", &args);
    assert_eq!(
        out.code, 3,
        "globex's own admin is answered: {}",
        out.stderr
    );
    assert!(out.stderr.contains("approval"), "{}", out.stderr);
}

/// Runs SQL on the state file as an attacker would: with the decision log's append-only
/// triggers dropped (they refuse the change otherwise).
fn tamper(s: &Sandbox, sql: &str) {
    let db = s.db();
    let _ = db.execute_batch("DROP TRIGGER decisions_no_update; DROP TRIGGER decisions_no_delete;");
    db.execute_batch(sql).unwrap();
}

fn verify_fails_at(s: &Sandbox, seq: i64, problem: &str) {
    let out = s.run(ADMIN, &["audit:verify", "--output", "json"]);
    assert_eq!(out.code, 4, "{}{}", out.stdout, out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["first_bad"]["seq"], seq, "{report}");
    assert_eq!(report["first_bad"]["problem"], problem, "{report}");
    assert_eq!(
        out.stderr,
        format!("problem: audit chain broken at event {seq}: {problem}\n")
    );
}

/// A single decision is sealed by the digest its own audit event carries, and the decision
/// log refuses changes: a row altered, removed or slipped in under another event is found.
#[test]
fn single_decisions_join_the_chain_and_the_log_is_append_only() {
    let s = platform(None);
    let (code, deny, _) = check(
        &s,
        "data.maestro.residency",
        r#"{"action": "deploy", "tenant": "acme", "cluster": "us-prod-1"}"#,
    );
    assert_eq!(code, 3);
    s.ok(ADMIN, &["audit:verify"]);
    let id = deny["decision_id"].as_str().unwrap().to_string();
    let seq: i64 = s
        .db()
        .query_row(
            "SELECT audit_seq FROM decisions WHERE id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    let event = s.json(ADMIN, &["audit:log"]);
    let event = event
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["seq"] == seq)
        .unwrap()
        .clone();
    assert_eq!(event["action"], "policy.deny");
    assert_eq!(event["details"]["decision_id"], id.as_str());
    assert_eq!(event["details"]["digest"].as_str().unwrap().len(), 64);

    // Through SQLite as it is, the log refuses an update and a delete.
    for sql in ["UPDATE decisions SET allow = 1", "DELETE FROM decisions"] {
        let err = s.db().execute_batch(sql).unwrap_err();
        assert!(
            err.to_string().contains("decisions are append-only"),
            "{err}"
        );
    }
    // With the triggers dropped: the deny turned into an allow is found at its event ...
    tamper(
        &s,
        &format!("UPDATE decisions SET allow = 1 WHERE id = '{id}'"),
    );
    verify_fails_at(
        &s,
        seq,
        "its decision does not match its digest: the decision row was altered",
    );
    tamper(
        &s,
        &format!("UPDATE decisions SET allow = 0 WHERE id = '{id}'"),
    );
    s.ok(ADMIN, &["audit:verify"]);
    // ... so is the row removed ...
    tamper(&s, &format!("DELETE FROM decisions WHERE id = '{id}'"));
    verify_fails_at(
        &s,
        seq,
        "it logged 1 decision but 0 are stored: decision rows were removed or added",
    );
    // ... and a row added under an event that logged no decision.
    tamper(
        &s,
        "INSERT INTO decisions SELECT 'forged', at, actor, tenant_id, query, input, masked, 1, result,
             bundle_sha256, engine, engine_version, 1 FROM decisions LIMIT 1",
    );
    verify_fails_at(
        &s,
        1,
        "1 decision is stored under it, but it logged none: decision rows were added",
    );
}

/// A batch logs a row per line but one `policy.batch` event per tenant, whose digest chains
/// the rows: `audit:verify` notices a decision row altered or removed.
#[test]
fn batch_decisions_join_the_chain_through_their_event() {
    let s = platform(None);
    let eu = r#"{"action": "deploy", "tenant": "acme", "cluster": "eu-prod-1"}"#;
    let us = r#"{"action": "deploy", "tenant": "acme", "cluster": "us-prod-1"}"#;
    // The same input twice, once with other spacing: decided once, logged each time.
    let eu_spaced = r#"{"tenant":"acme","action":"deploy","cluster":"eu-prod-1"}"#;
    let ghost = r#"{"action": "deploy", "tenant": "ghost", "cluster": "eu-prod-1", "token": "t0k3n-canary"}"#;
    let lines = [eu, us, eu, ghost, eu_spaced].join("\n");
    std::fs::write(s.home().join("batch.jsonl"), lines).unwrap();
    let before = s.all_audit_actions().len();
    let out = check_lines(&s, "batch.jsonl");
    assert_eq!(out.code, 3, "{}", out.stderr);
    let results: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let allows: Vec<bool> = results
        .iter()
        .map(|r| r["allow"].as_bool().unwrap())
        .collect();
    assert_eq!(allows, [true, false, true, false, true]);
    let mut ids: Vec<&str> = results
        .iter()
        .map(|r| r["decision_id"].as_str().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "every line has its own decision id");
    assert_eq!(results[3]["masked"], serde_json::json!(["input.token"]));

    let actions = s.all_audit_actions();
    assert_eq!(actions[before..], ["policy.batch", "policy.batch"]);
    let events = s.json(ADMIN, &["audit:log"]);
    let batches: Vec<&Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "policy.batch")
        .collect();
    let acme = batches.iter().find(|e| e["tenant_id"] == "acme").unwrap();
    assert_eq!(acme["details"]["decisions"], 4);
    assert_eq!(acme["details"]["allowed"], 3);
    assert_eq!(acme["details"]["denied"], 1);
    let ghost_event = batches.iter().find(|e| e["tenant_id"] == "ghost").unwrap();
    assert_eq!(ghost_event["details"]["decisions"], 1);
    let log = s.json(ADMIN, &["policy:log"]);
    let logged: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["audit_seq"] == acme["seq"])
        .collect();
    assert_eq!(logged.len(), 4);
    assert!(
        logged
            .iter()
            .all(|d| d["query"] == "data.maestro.residency")
    );
    let masked = log
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["tenant_id"] == "ghost")
        .unwrap();
    assert_eq!(masked["input"]["token"], "[masked]");
    s.ok(ADMIN, &["audit:verify"]);

    // An attacker turns the deny into an allow: the batch's digest no longer holds.
    let seq = acme["seq"].as_i64().unwrap();
    tamper(
        &s,
        "UPDATE decisions SET allow = 1 WHERE allow = 0 AND tenant_id = 'acme'",
    );
    let out = s.run(ADMIN, &["audit:verify", "--output", "json"]);
    assert_eq!(out.code, 4, "{}", out.stdout);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["first_bad"]["seq"], seq);
    let problem = "its 4 decisions do not match its digest: decision rows were altered";
    assert_eq!(report["first_bad"]["problem"], problem, "{report}");
    assert_eq!(
        out.stderr,
        format!("problem: audit chain broken at event {seq}: {problem}\n")
    );
    tamper(
        &s,
        "UPDATE decisions SET allow = 0 WHERE result LIKE '%may not deploy%' AND tenant_id = 'acme'",
    );
    s.ok(ADMIN, &["audit:verify"]);
    // ... or removes one of its rows.
    tamper(
        &s,
        &format!(
            "DELETE FROM decisions WHERE rowid = (SELECT max(rowid) FROM decisions WHERE audit_seq = {seq})"
        ),
    );
    let out = s.run(ADMIN, &["audit:verify", "--output", "json"]);
    assert_eq!(out.code, 4);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let problem = "it logged 4 decisions but 3 are stored: decision rows were removed or added";
    assert_eq!(report["first_bad"]["problem"], problem, "{report}");
    assert_eq!(
        out.stderr,
        format!("problem: audit chain broken at event {seq}: {problem}\n")
    );
}

#[test]
fn drift_finds_a_deployment_whose_region_was_removed() {
    let s = platform(None);
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
    let out = s.run(ADMIN, &["policy:drift"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    s.ok(ADMIN, &["tenant:update", "acme", "--regions", "us-east-1"]);
    let out = s.run(ADMIN, &["policy:drift", "--output", "json"]);
    assert_eq!(out.code, 4);
    let items: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(items[0]["kind"], "deployment");
    assert!(items[0]["problem"].as_str().unwrap().contains("may not deploy to cluster `eu-prod-1` in region `eu-west-1`; its allowed regions are us-east-1"), "{items}");
    // Only platform admins run drift.
    assert_eq!(s.run("alice@acme.example", &["policy:drift"]).code, 3);
}

#[test]
fn policy_step_in_a_flow_gates_the_next_step() {
    let s = platform(None);
    let dir = s.home().join("flows");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("gated.yaml"),
        "name: gated\nparams:\n  cluster: { type: string, required: true }\nsteps:\n  - id: gate\n    uses: policy\n    with:\n      query: data.maestro.residency\n      input: { action: deploy, cluster: '${{ params.cluster }}' }\n  - id: after\n    uses: shell\n    needs: [gate]\n    with: { run: 'touch after.txt' }\n",
    )
    .unwrap();
    let dir = dir.display().to_string();
    let out = s.run(
        ADMIN,
        &[
            "flow:run",
            "gated",
            "--templates",
            &dir,
            "--tenant",
            "acme",
            "-p",
            "cluster=us-prod-1",
        ],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(!s.home().join("after.txt").exists());
    s.ok(
        ADMIN,
        &[
            "flow:run",
            "gated",
            "--templates",
            &dir,
            "--tenant",
            "acme",
            "-p",
            "cluster=eu-prod-1",
        ],
    );
    assert!(s.home().join("after.txt").exists());
}

/// A tenant admin's flow asks a policy about another tenant: refused before the policy runs,
/// with the same words whether that tenant exists or not, and none of its data in any output.
#[test]
fn a_policy_step_answers_only_for_the_runs_tenant() {
    let s = platform(None);
    s.create("globex", "us-east-1", "gus@globex.example");
    let dir = s.home().join("flows");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("probe.yaml"),
        "name: probe\nparams:\n  other: { type: string, required: true }\nsteps:\n  - id: ask\n    uses: policy\n    with:\n      query: data.maestro.residency\n      input: { action: deploy, tenant: '${{ params.other }}', cluster: eu-prod-1 }\n",
    )
    .unwrap();
    let dir = dir.display().to_string();
    let probe = |other: &str| {
        let param = format!("other={other}");
        let out = s.run(
            "alice@acme.example",
            &[
                "flow:run",
                "probe",
                "--templates",
                &dir,
                "--tenant",
                "acme",
                "-p",
                &param,
                "--output",
                "json",
            ],
        );
        assert_eq!(out.code, 3, "{}", out.stderr);
        let report: Value = serde_json::from_str(out.stdout.lines().last().unwrap()).unwrap();
        let logs = s.json(
            "alice@acme.example",
            &["flow:logs", report["run_id"].as_str().unwrap(), "ask"],
        );
        let seen = format!("{}{}{logs}", out.stdout, out.stderr);
        assert!(!seen.contains("us-east-1"), "{seen}");
        logs[0]["error"].as_str().unwrap().to_string()
    };
    assert_eq!(
        probe("globex"),
        "denied: `alice@acme.example` may not run `policy:log` on tenant `globex`: it needs viewer or tenant-admin of `globex`; `alice@acme.example` holds no role for `globex`"
    );
    assert_eq!(
        probe("nosuch"),
        "denied: `alice@acme.example` may not run `policy:log` on tenant `nosuch`: it needs viewer or tenant-admin of `nosuch`; `alice@acme.example` holds no role for `nosuch`"
    );
    // The same question about its own tenant, or by a platform admin, is answered.
    let own = s.run(
        "alice@acme.example",
        &[
            "flow:run",
            "probe",
            "--templates",
            &dir,
            "--tenant",
            "acme",
            "-p",
            "other=acme",
        ],
    );
    assert_eq!(own.code, 0, "{}", own.stderr);
    let admin = s.run(
        ADMIN,
        &[
            "flow:run",
            "probe",
            "--templates",
            &dir,
            "--tenant",
            "acme",
            "-p",
            "other=globex",
        ],
    );
    assert_eq!(admin.code, 3, "{}", admin.stderr);
    assert!(admin.stderr.contains("us-east-1"), "{}", admin.stderr);
}

#[test]
fn the_bundle_is_copied_with_its_hash_and_never_over_a_file() {
    let s = platform(None);
    s.ok(ADMIN, &["policy:bundle", "--out", "copy"]);
    let mut names: Vec<String> = std::fs::read_dir(s.home().join("copy"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 9, "{names:?}");
    assert!(
        names.contains(&"data.json".to_string()) && names.contains(&"abac_test.rego".to_string())
    );
    let hash = |s: &Sandbox| -> String {
        let status = s.json(ADMIN, &["status"]);
        let policies = status["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "policies")
            .unwrap()["detail"]
            .as_str()
            .unwrap()
            .to_string();
        policies.split(' ').nth(1).unwrap().to_string()
    };
    let builtin = hash(&s);
    let mut config = std::fs::read_to_string(s.home().join("maestro.toml")).unwrap();
    config.push_str("\n[policy]\ndir = \"copy\"\n");
    std::fs::write(s.home().join("maestro.toml"), config).unwrap();
    assert_eq!(hash(&s), builtin, "the copy is the same bundle");
    let out = s.ok(ADMIN, &["policy:test", "copy"]);
    assert!(out.stdout.contains(" 0 failed"), "{}", out.stdout);

    // Into a directory that has one of its files: refused, nothing written.
    std::fs::create_dir(s.home().join("mine")).unwrap();
    std::fs::write(s.home().join("mine/residency.rego"), "package mine\n").unwrap();
    s.run(ADMIN, &["policy:bundle", "--out", "mine"])
        .assert_error(
            1,
            "`mine/residency.rego` exists: write the bundle into a new or empty directory",
            None,
        );
    assert_eq!(std::fs::read_dir(s.home().join("mine")).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(s.home().join("mine/residency.rego")).unwrap(),
        "package mine\n"
    );
}

#[test]
fn deployments_are_listed_newest_first_to_those_who_may_see_them() {
    let s = platform(None);
    s.create("globex", "us-east-1", "gina@globex.example");
    for (tenant, version, cluster) in [
        ("acme", "1.4.2", "eu-prod-1"),
        ("acme", "1.5.0", "eu-prod-1"),
        ("globex", "9.0.0", "us-prod-1"),
    ] {
        s.ok(
            ADMIN,
            &[
                "flow:run",
                "deploy",
                "--tenant",
                tenant,
                "-p",
                "service=api",
                "-p",
                &format!("version={version}"),
                "-p",
                "env=prod",
                "-p",
                &format!("cluster={cluster}"),
            ],
        );
    }
    let acme = s.json(
        "alice@acme.example",
        &[
            "deploy:list",
            "--tenant",
            "acme",
            "--service",
            "api",
            "--env",
            "prod",
        ],
    );
    let versions: Vec<&str> = acme
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["1.5.0", "1.4.2"]);
    assert_eq!(acme[0]["region"], "eu-west-1");
    assert!(acme[0]["run_id"].is_string());
    // Without --tenant, a tenant admin sees only their own tenant's.
    let own = s.json("alice@acme.example", &["deploy:list"]);
    assert_eq!(own.as_array().unwrap().len(), 2);
    assert_eq!(s.json(ADMIN, &["deploy:list"]).as_array().unwrap().len(), 3);
    let denied = s.run("alice@acme.example", &["deploy:list", "--tenant", "globex"]);
    assert_eq!(denied.code, 3, "{}", denied.stderr);
    assert!(!denied.stdout.contains("9.0.0"));
    let csv = s
        .ok(
            ADMIN,
            &["deploy:list", "--tenant", "acme", "--output", "csv"],
        )
        .stdout;
    assert_eq!(
        csv.lines().next(),
        Some("tenant,service,env,cluster,region,version,at,run")
    );
}

/// A build without the opt-in engine says how to get it.
#[cfg(not(feature = "opa-wasm"))]
#[test]
fn the_opa_wasm_engine_needs_its_feature() {
    let s = platform(None);
    std::fs::write(s.home().join("in.json"), "{}").unwrap();
    for args in [
        &[
            "policy:check",
            "--input",
            "in.json",
            "--query",
            "data.maestro.residency",
            "--engine",
            "opa-wasm",
            "--bundle",
            "b.tar.gz",
        ][..],
        &[
            "policy:check",
            "--list-entrypoints",
            "--engine",
            "opa-wasm",
            "--bundle",
            "b.tar.gz",
        ],
    ] {
        s.run(ADMIN, args).assert_error(
            1,
            "this maestro-cli was built without the opa-wasm engine: build it with `cargo build --release --features opa-wasm`",
            None,
        );
    }
    let out = s.run(
        ADMIN,
        &[
            "policy:check",
            "--input",
            "in.json",
            "--query",
            "data.maestro.residency",
            "--engine",
            "opa-wasm",
        ],
    );
    out.assert_error(
        1,
        "the opa-wasm engine needs a bundle: `--bundle FILE` or `[policy] bundle`",
        None,
    );
}

/// A table shows ids cut to the prefix that tells them apart and times as their age; the
/// prefix finds the decision again; `-o wide` and JSON keep both whole.
#[test]
fn tables_show_short_ids_and_ages_that_lead_back_to_the_decision() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    let rows = s.json(ADMIN, &["policy:log"]);
    let full = rows[0]["id"].as_str().unwrap().to_string();
    let table = s.ok(ADMIN, &["policy:log"]).stdout;
    let short = table
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().last())
        .unwrap()
        .to_string();
    assert!(
        short.len() >= 8 && short.len() < full.len() && full.starts_with(&short),
        "{short} of {full}:\n{table}"
    );
    // The sandbox's clock stands at the decision's time.
    assert!(
        table.lines().nth(1).unwrap().starts_with("0s ago"),
        "{table}"
    );
    let wide = s.ok(ADMIN, &["policy:log", "-o", "wide"]).stdout;
    assert!(
        wide.contains(&full) && wide.contains("2026-11-25T10:00:00"),
        "{wide}"
    );
    let found = s.json(ADMIN, &["policy:log", "--id", &short]);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["id"], full.as_str());
    s.run(ADMIN, &["policy:log", "--id", "01a"]).assert_error(
        1,
        "`01a` is too short for a decision id: give at least 4 characters",
        Some("list decisions with `maestro-cli policy:log`"),
    );
    s.run(ADMIN, &["policy:log", "--id", "ffff0000"])
        .assert_error(
            1,
            "no decision `ffff0000` (among those you may read)",
            Some("list decisions with `maestro-cli policy:log`"),
        );
}
