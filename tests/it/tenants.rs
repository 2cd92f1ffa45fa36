//! tenant:create → list → show → update → delete, and every way of getting it wrong.

use std::os::unix::fs::PermissionsExt;

use crate::support::{ADMIN, HELP_GRANT, Sandbox};

#[test]
fn lifecycle_create_list_show_update_delete() {
    let s = Sandbox::initialised();
    let out = s.ok(
        ADMIN,
        &[
            "tenant:create",
            "acme",
            "--name",
            "Acme Corp",
            "--regions",
            "eu-west-1,eu-central-1",
            "--tier",
            "prod",
            "--admin",
            "alice@acme.example",
        ],
    );
    assert!(out.stdout.contains("tenant-acme"), "{}", out.stdout);
    assert!(
        out.stderr.starts_with("tenant `acme` created (run "),
        "{}",
        out.stderr
    );
    s.create("globex", "us-east-1", "gina@globex.example");

    let list = s.json(ADMIN, &["tenant:list"]);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["acme", "globex"]);

    let acme = s.json(ADMIN, &["tenant:show", "acme"]);
    assert_eq!(acme["name"], "Acme Corp");
    assert_eq!(
        acme["regions"],
        serde_json::json!(["eu-west-1", "eu-central-1"])
    );
    assert_eq!(acme["admins"], serde_json::json!(["alice@acme.example"]));
    assert_eq!(acme["namespace"], "tenant-acme");

    let updated = s.json(ADMIN, &["tenant:update", "acme", "--regions", "eu-west-1"]);
    assert_eq!(updated["regions"], serde_json::json!(["eu-west-1"]));
    let events = s.json(ADMIN, &["audit:log", "--tenant", "acme"]);
    let update = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "tenant.update")
        .unwrap();
    assert_eq!(
        update["details"]["regions"]["old"],
        serde_json::json!(["eu-west-1", "eu-central-1"])
    );
    assert_eq!(
        update["details"]["regions"]["new"],
        serde_json::json!(["eu-west-1"])
    );
    assert_eq!(update["actor"], ADMIN);

    s.ok(ADMIN, &["tenant:delete", "acme", "--yes"]);
    let shown = s.json(ADMIN, &["tenant:show", "acme"]);
    assert_eq!(shown["status"], "deleted");
    let active = s.json(ADMIN, &["tenant:list"]);
    assert_eq!(active.as_array().unwrap().len(), 1);
    let all = s.json(ADMIN, &["tenant:list", "--all"]);
    assert_eq!(all.as_array().unwrap().len(), 2);

    // Deleted is a state, not a removal: the row, its boundary and its admin remain.
    let rows: i64 = s
        .db()
        .query_row(
            "SELECT count(*) FROM tenant_boundaries WHERE tenant_id = 'acme'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows, 1);
    s.run(ADMIN, &["tenant:update", "acme", "--name", "X"])
        .assert_error(
            1,
            "tenant `acme` is deleted",
            Some("tenant `acme` was deleted; its data is kept, see `maestro-cli tenant:show acme`"),
        );
    assert_eq!(
        s.audit_actions(),
        [
            "principal.bootstrap",
            "tenant.create",
            "tenant.create",
            "tenant.update",
            "tenant.delete"
        ]
    );
}

#[test]
fn duplicate_id_is_refused_and_changes_nothing() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    let before = s.dump();
    let out = s.run(
        ADMIN,
        &[
            "tenant:create",
            "acme",
            "--regions",
            "us-east-1",
            "--admin",
            "eve@evil.example",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: tenant `acme` already exists; nothing was changed\nhelp: see it with `maestro-cli tenant:show acme`, or choose another id\n"
    );
    assert_eq!(out.stdout, "");
    assert_eq!(s.dump(), before);
}

/// The state cannot be written after the tenant is made (the disk fills up while the
/// `new-tenant` run checkpoints its last step, simulated by a trigger that fails that write
/// as SQLite does): the error says the tenant exists and which run to resume, and resuming
/// finishes it.
#[test]
fn a_write_failing_part_way_tells_what_was_done_and_how_to_finish() {
    let s = Sandbox::initialised();
    s.create("first", "eu-west-1", "alice@first.example");
    s.db()
        .execute_batch(
            "CREATE TRIGGER full BEFORE UPDATE ON flow_steps WHEN NEW.step_id = 'announce'
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let out = s.run(
        ADMIN,
        &[
            "tenant:create",
            "acme",
            "--regions",
            "eu-west-1",
            "--admin",
            "bob@acme.example",
        ],
    );
    let runs = s.json(ADMIN, &["flow:runs", "--tenant", "acme"]);
    let run = &runs[0];
    assert_eq!(run["status"], "running");
    let id = run["id"].as_str().unwrap();
    out.assert_error(
        1,
        &format!(
            "tenant `acme` was created, but run `{id}` of `new-tenant` stopped part-way: state file `{}`: database or disk is full",
            s.state().display()
        ),
        Some(&format!(
            "its finished steps are kept (`maestro-cli flow:status {id}`); once the cause is fixed, finish it with `maestro-cli flow:resume {id}`"
        )),
    );
    assert_eq!(s.json(ADMIN, &["tenant:show", "acme"])["status"], "active");
    s.db().execute_batch("DROP TRIGGER full").unwrap();
    s.ok(ADMIN, &["flow:resume", id]);
    assert_eq!(s.json(ADMIN, &["flow:status", id])["status"], "succeeded");
}

/// Two `tenant:create acme` at once: the loser's checks passed, then the winner made the
/// tenant (simulated by a trigger that inserts it as the loser's run starts). The loser says
/// so and points at the tenant, not at a `flow:resume` that could never succeed.
#[test]
fn losing_a_create_race_says_the_tenant_exists() {
    let s = Sandbox::initialised();
    s.create("first", "eu-west-1", "alice@first.example");
    s.db()
        .execute_batch(
            "CREATE TRIGGER race AFTER INSERT ON flow_runs WHEN NEW.flow = 'new-tenant'
             BEGIN
                 INSERT INTO tenants VALUES ('acme', 'Acme', 'prod', '[\"eu-west-1\"]', 'active',
                     'tenant-acme', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             END;",
        )
        .unwrap();
    let out = s.run(
        ADMIN,
        &[
            "tenant:create",
            "acme",
            "--regions",
            "eu-west-1",
            "--admin",
            "bob@acme.example",
        ],
    );
    let runs = s.json(ADMIN, &["flow:runs", "--tenant", "acme"]);
    assert_eq!(runs[0]["status"], "failed");
    let id = runs[0]["id"].as_str().unwrap();
    out.assert_error(
        1,
        &format!("tenant `acme` was created by another command meanwhile; run `{id}` stopped without changing it"),
        Some("see it with `maestro-cli tenant:show acme`, or choose another id"),
    );
}

#[test]
fn bad_ids_are_rejected_not_cleaned() {
    let s = Sandbox::initialised();
    let long = "a".repeat(64);
    let before = s.dump();
    for (id, why) in [
        ("../x", "a character `.` at position 1"),
        ("Acme", "an uppercase letter `A` at position 1"),
        ("a_b", "a character `_` at position 2"),
        (
            long.as_str(),
            "it is 64 characters long; a DNS label has at most 63",
        ),
        (
            "",
            "it is empty; use 1 to 63 lowercase letters, digits or `-`",
        ),
        (
            "-acme",
            "it must start and end with a lowercase letter or digit",
        ),
    ] {
        let why = if why.contains("position") {
            format!("{why}; only lowercase letters, digits and `-` are allowed")
        } else {
            why.to_string()
        };
        let out = s.run(
            ADMIN,
            &[
                "tenant:create",
                "--regions",
                "eu-west-1",
                "--admin",
                "a@b.example",
                "--",
                id,
            ],
        );
        out.assert_error(
            1,
            &format!("invalid tenant id `{id}`: {why}"),
            Some(
                "a tenant id is a DNS label: lowercase letters, digits and `-`, 1 to 63 characters, e.g. `acme-corp`",
            ),
        );
    }
    assert_eq!(s.dump(), before);
    // No directory or file was made from a bad id.
    assert!(!s.home().join("x").exists());
    let entries: Vec<_> = std::fs::read_dir(s.home())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        entries
            .iter()
            .all(|e| e.to_string_lossy().starts_with("state.db")),
        "{entries:?}"
    );
}

#[test]
fn a_63_character_id_gets_a_valid_namespace() {
    let s = Sandbox::initialised();
    let id = "a".repeat(63);
    s.create(&id, "eu-west-1", "a@b.example");
    let t = s.json(ADMIN, &["tenant:show", &id]);
    let ns = t["namespace"].as_str().unwrap();
    assert_eq!(ns.len(), 63);
    assert!(ns.starts_with("tenant-aaaa"));
}

#[test]
fn regions_must_be_in_the_catalogue() {
    let s = Sandbox::initialised();
    let before = s.dump();
    let out = s.run(
        ADMIN,
        &[
            "tenant:create",
            "acme",
            "--regions",
            "eu-west-1,mars-north-1",
            "--admin",
            "a@b.example",
        ],
    );
    out.assert_error(
        1,
        "region `mars-north-1` is not in the catalogue (ap-southeast-2, eu-central-1, eu-west-1, us-east-1, us-west-2)",
        Some("use a region of the catalogue, or add it under [platform.regions] in maestro.toml"),
    );
    for (regions, tier, msg) in [
        (
            "*",
            "prod",
            "`*` is for dev tenants; a prod tenant needs an explicit allowlist",
        ),
        ("eu-west-1,eu-west-1", "prod", "`eu-west-1` is listed twice"),
        (
            "eu-west-1,,us-east-1",
            "prod",
            "it holds an empty region id",
        ),
        (
            "*,eu-west-1",
            "dev",
            "`*` cannot be combined with other regions",
        ),
    ] {
        let out = s.run(
            ADMIN,
            &[
                "tenant:create",
                "acme",
                "--regions",
                regions,
                "--tier",
                tier,
                "--admin",
                "a@b.example",
            ],
        );
        out.assert_error(
            1,
            &format!("invalid --regions `{regions}`: {msg}"),
            Some("for example `--regions eu-west-1,eu-central-1` (a dev tenant may use `--regions '*'`)"),
        );
    }
    assert_eq!(s.dump(), before);
    // A dev tenant may use every region.
    let out = s.json(
        ADMIN,
        &[
            "tenant:create",
            "sandbox",
            "--regions",
            "*",
            "--tier",
            "dev",
            "--admin",
            "a@b.example",
        ],
    );
    assert_eq!(out["regions"], serde_json::json!(["*"]));
}

#[test]
fn tenant_admin_of_acme_cannot_update_globex() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.create("globex", "us-east-1", "gina@globex.example");
    let before = s.dump();
    let out = s.run(
        "alice@acme.example",
        &["tenant:update", "globex", "--regions", "eu-west-1"],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(
        out.stderr.lines().next().unwrap(),
        "error: denied: `alice@acme.example` may not run `tenant:update` on tenant `globex`: it needs tenant-admin of `globex`; `alice@acme.example` holds no role for `globex`"
    );
    // Nothing changed but one audit event recording the denial.
    let after = s.dump();
    // (The audit log's Merkle tiles, one each 16 events, may grow too.)
    let added: Vec<_> = after
        .iter()
        .filter(|r| !before.contains(r) && !r.starts_with("audit_tiles: "))
        .collect();
    // The decision, its audit event, the event's outbox row, the moved head and the
    // decision remembered for the next time it is asked (see policy::cache).
    assert_eq!(added.len(), 5, "{added:#?}");
    assert!(
        added.iter().any(|r| r.starts_with("decision_cache: ")),
        "{added:#?}"
    );
    let decisions = s.json(ADMIN, &["policy:log", "--decision", "deny"]);
    assert_eq!(decisions[0]["actor"], "alice@acme.example");
    assert_eq!(decisions[0]["query"], "data.maestro.abac");
    assert_eq!(decisions[0]["input"]["action"], "tenant:update");
    assert_eq!(decisions[0]["engine"], "regorus");
    let globex = s.json(ADMIN, &["tenant:show", "globex"]);
    assert_eq!(globex["regions"], serde_json::json!(["us-east-1"]));
    let denial = s.json(ADMIN, &["audit:log", "--tenant", "globex"]);
    let last = denial.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "policy.deny");
    assert_eq!(last["actor"], "alice@acme.example");
    assert_eq!(last["target"], "data.maestro.abac");
    assert_eq!(
        last["details"]["deny"][0],
        "it needs tenant-admin of `globex`; `alice@acme.example` holds no role for `globex`"
    );
    // Her own tenant she may update, and the change is hers in the log.
    s.ok(
        "alice@acme.example",
        &["tenant:update", "acme", "--name", "Acme Europe"],
    );
    // But not create or delete tenants, nor read another tenant.
    for args in [
        vec!["tenant:delete", "acme", "--yes"],
        vec![
            "tenant:create",
            "initech",
            "--regions",
            "eu-west-1",
            "--admin",
            "alice@acme.example",
        ],
        vec!["tenant:show", "globex"],
        vec!["tenant:manifests", "globex"],
    ] {
        let out = s.run("alice@acme.example", &args);
        assert_eq!(out.code, 3, "{args:?}: {}", out.stderr);
    }
    // She sees only her tenant in lists.
    let list = s.json("alice@acme.example", &["tenant:list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], "acme");
    s.ok(ADMIN, &["audit:verify"]);
}

#[test]
fn unknown_principal_is_denied_and_no_actor_is_an_error() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.run("mallory@evil.example", &["tenant:show", "acme"])
        .assert_error(
            3,
            "denied: `mallory@evil.example` may not run `tenant:show` on tenant `acme`: `mallory@evil.example` holds no role",
            Some(HELP_GRANT),
        );
    let out = s.run("mallory@evil.example", &["tenant:list"]);
    assert_eq!(out.code, 3);
    let out = s.run("", &["tenant:delete", "acme", "--yes"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: no acting principal: this command records who did it\nhelp: pass `--actor you@example.com` or set MAESTRO_ACTOR=you@example.com\n"
    );
    let out = s.run("not-an-email", &["tenant:list"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .starts_with("error: invalid principal `not-an-email`"),
        "{}",
        out.stderr
    );
}

#[test]
fn first_tenant_create_bootstraps_the_platform_admin() {
    let s = Sandbox::new();
    s.create("acme", "eu-west-1", "alice@acme.example");
    assert_eq!(s.audit_actions(), ["principal.bootstrap", "tenant.create"]);
    let users = s.json(ADMIN, &["user:list"]);
    assert_eq!(users[1]["role"], "platform-admin");
    assert_eq!(users[1]["principal"], ADMIN);
}

#[test]
fn manifests_render_the_isolation_boundary() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1,eu-central-1", "alice@acme.example");
    let out = s.ok(ADMIN, &["tenant:manifests", "acme"]);
    let docs: Vec<&str> = out.stdout.split("---\n").collect();
    assert_eq!(docs.len(), 4);
    assert!(docs[0].contains("kind: Namespace") && docs[0].contains("name: tenant-acme"));
    assert!(docs[0].contains("residency.maestro.io/eu-central-1: \"allowed\""));
    assert!(docs[1].contains("kind: ResourceQuota"));
    assert!(docs[2].contains("kind: NetworkPolicy") && docs[2].contains("podSelector: {}"));
    assert!(
        docs[3].contains("kind: RoleBinding") && docs[3].contains("name: \"alice@acme.example\"")
    );
    assert!(docs.iter().all(|d| d.contains("tenant_id: acme")));
    // A new admin and new regions are reflected.
    s.ok(
        ADMIN,
        &[
            "user:add",
            "bob@acme.example",
            "--role",
            "tenant-admin",
            "--tenant",
            "acme",
        ],
    );
    s.ok(ADMIN, &["tenant:update", "acme", "--regions", "us-east-1"]);
    let out = s.json(ADMIN, &["tenant:manifests", "acme"]);
    let yaml = out["manifests"].as_str().unwrap();
    assert!(yaml.contains("name: \"bob@acme.example\""));
    assert!(yaml.contains("residency.maestro.io/us-east-1"));
    assert!(!yaml.contains("residency.maestro.io/eu-west-1"));
}

#[test]
fn state_file_is_private() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    for name in ["state.db", "state.db-wal", "state.db-shm"] {
        let path = s.home().join(name);
        if path.exists() {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{name}");
        }
    }
    assert!(s.state().exists());
}

#[test]
fn show_json_is_stable() {
    let s = Sandbox::initialised();
    s.ok(
        ADMIN,
        &[
            "tenant:create",
            "acme",
            "--name",
            "Acme Corp",
            "--regions",
            "eu-west-1,eu-central-1",
            "--admin",
            "alice@acme.example",
        ],
    );
    let out = s.ok(ADMIN, &["tenant:show", "acme", "--output", "json"]);
    insta::assert_snapshot!("tenant_show_json", out.stdout);
    let out = s.ok(ADMIN, &["tenant:show", "acme"]);
    insta::assert_snapshot!("tenant_show_table", out.stdout);
    let out = s.ok(ADMIN, &["tenant:list", "--output", "csv"]);
    insta::assert_snapshot!("tenant_list_csv", out.stdout);
}

#[test]
fn quiet_create_prints_nothing() {
    let s = Sandbox::initialised();
    let out = s.ok(
        ADMIN,
        &[
            "--quiet",
            "tenant:create",
            "acme",
            "--regions",
            "eu-west-1",
            "--admin",
            "a@b.example",
        ],
    );
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, "");
}

#[test]
fn errors_are_json_with_output_json() {
    let s = Sandbox::initialised();
    let out = s.run(ADMIN, &["tenant:show", "nope", "--output", "json"]);
    assert_eq!(out.code, 1);
    let err: serde_json::Value = serde_json::from_str(&out.stderr).unwrap();
    assert_eq!(err["error"]["message"], "tenant `nope` does not exist");
    assert_eq!(err["error"]["exit_code"], 1);
    assert_eq!(
        err["error"]["help"],
        "list tenants with `maestro-cli tenant:list --all`"
    );
}

#[test]
fn create_is_a_run_of_the_new_tenant_flow() {
    let s = Sandbox::initialised();
    let created = s.json(
        ADMIN,
        &[
            "tenant:create",
            "initech",
            "--regions",
            "us-east-1",
            "--admin",
            "ian@initech.example",
        ],
    );
    assert_eq!(created["id"], "initech");
    let run_id = created["run_id"].as_str().unwrap();
    let run = s.json(ADMIN, &["flow:status", run_id]);
    assert_eq!(run["flow"], "new-tenant");
    assert_eq!(run["status"], "succeeded");
    assert_eq!(run["tenant_id"], "initech");
    assert_eq!(run["steps"][0]["id"], "provision");
    assert_eq!(run["steps"][0]["outputs"]["namespace"], "tenant-initech");
    assert_eq!(
        s.all_audit_actions(),
        [
            "principal.bootstrap",
            "policy.allow",
            "flow.run.start",
            "policy.allow",
            "tenant.create",
            "flow.step.finish",
            "flow.step.finish",
            "flow.run.finish"
        ]
    );
    // A refused creation leaves no run behind.
    let before = s.dump();
    let out = s.run(
        ADMIN,
        &[
            "tenant:create",
            "initech",
            "--regions",
            "us-east-1",
            "--admin",
            "x@y.example",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(s.dump(), before);
}
