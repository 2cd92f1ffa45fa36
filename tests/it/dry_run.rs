//! `--dry-run` through the binary: every command that changes something says what it would
//! change (the audit events, the decision, the rows) and leaves the state, row for row, and
//! the files around it exactly as they were; a denial is the same denial.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::support::{ADMIN, Sandbox};

const CONFIG: &str = "[platform.regions]\neu-west-1 = \"Ireland\"\nus-east-1 = \"Virginia\"\n\n\
     [[adapters]]\nname = \"siem\"\nkind = \"syslog\"\nurl = \"tcp://127.0.0.1:9\"\n";

/// Every path under `dir`, for comparing before and after.
fn files(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.insert(p.strip_prefix(dir).unwrap().display().to_string());
        }
    }
    out
}

fn shared(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(file)
        .display()
        .to_string()
}

#[test]
fn dry_runs_change_nothing_and_say_what_would_change() {
    let s = Sandbox::initialised();
    std::fs::write(s.home().join("maestro.toml"), CONFIG).unwrap();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
    std::fs::write(
        s.home().join("fails.yaml"),
        "name: fails\nsteps:\n  - id: a\n    uses: shell\n    with: { run: 'test -f fixed' }\n",
    )
    .unwrap();
    assert_eq!(s.run(ADMIN, &["flow:run", "fails.yaml", "-q"]).code, 1);
    let failed_run = s.newest_run().unwrap();
    let trial = s.home().join("trial");
    s.ok("", &["trial:up", "--dir", trial.to_str().unwrap(), "-q"]);
    let requests = s.home().join("requests.jsonl");
    std::fs::write(
        &requests,
        "{\"ts\":\"2026-11-01T10:00:00Z\",\"tenant\":\"acme\",\"service\":\"api\",\"env\":\"prod\",\"latency_ms\":12.5,\"status\":200}\n",
    )
    .unwrap();
    s.ok(ADMIN, &["perf:ingest", requests.to_str().unwrap()]);

    s.checkpoint();
    let state = s.dump();
    let before = files(s.home());
    let fresh = s.home().join("other.db");
    let (focus, log) = (
        shared("focus/focus_sample_1000.csv"),
        shared("logs/Linux_2k.log"),
    );
    // (actor, command, exit code, what stdout and stderr say between them)
    let cases: Vec<(&str, Vec<&str>, i32, Vec<&str>)> = vec![
        (
            ADMIN,
            vec!["--state", fresh.to_str().unwrap(), "init"],
            0,
            vec!["principal.bootstrap", "role_bindings", "+1 (0 -> 1)"],
        ),
        (
            ADMIN,
            vec![
                "tenant:create",
                "beta",
                "--regions",
                "eu-west-1",
                "--admin",
                "bea@beta.example",
            ],
            0,
            vec![
                "tenant.create",
                "tenants",
                "+1 (1 -> 2)",
                "allow data.maestro",
            ],
        ),
        (
            ADMIN,
            vec!["tenant:update", "acme", "--name", "Acme Corp"],
            0,
            vec!["tenant.update tenant/acme", "\"new\":\"Acme Corp\""],
        ),
        // No terminal and no --yes: a dry run asks nothing, as it removes nothing.
        (
            ADMIN,
            vec!["tenant:delete", "acme"],
            0,
            vec!["tenant.delete", "deleted (data kept)"],
        ),
        (
            ADMIN,
            vec![
                "user:add",
                "vic@acme.example",
                "--role",
                "viewer",
                "--tenant",
                "acme",
            ],
            0,
            vec!["role_bindings", "granted viewer"],
        ),
        (
            ADMIN,
            vec![
                "user:remove",
                "alice@acme.example",
                "--role",
                "tenant-admin",
                "--tenant",
                "acme",
            ],
            0,
            vec!["-1 (", "revoked tenant-admin"],
        ),
        (
            ADMIN,
            vec!["flow:resume", &failed_run],
            0,
            vec!["would run again: a"],
        ),
        (ADMIN, vec!["cost:ingest", &focus], 0, vec!["cost."]),
        (
            ADMIN,
            vec!["perf:ingest", requests.to_str().unwrap()],
            0,
            vec!["ingested before"],
        ),
        (
            ADMIN,
            vec![
                "perf:baseline",
                "set",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-01",
            ],
            0,
            vec!["perf_baselines"],
        ),
        (
            ADMIN,
            vec!["signals:mine", "--logs", &log, "--year", "2005"],
            0,
            vec!["alerts"],
        ),
        (ADMIN, vec!["dashboard:publish", "pnl"], 0, vec!["outbox"]),
        (
            ADMIN,
            vec!["intelgraph:schema", "--apply"],
            0,
            vec!["outbox"],
        ),
        (ADMIN, vec!["sync"], 0, vec!["WOULD SEND", "siem"]),
        (
            ADMIN,
            vec!["sync:retry", "999"],
            1,
            vec!["outbox row 999 is not in the dead letter"],
        ),
        (
            ADMIN,
            vec!["pack:keygen", "--dir", "more-keys"],
            0,
            vec![
                "more-keys/maestro-pack.key",
                "nothing was written to `more-keys`",
            ],
        ),
        (
            ADMIN,
            vec![
                "pack:export",
                "--tenant",
                "acme",
                "--key",
                "keys/maestro-pack.key",
                "--out",
                "acme.tar.gz",
            ],
            0,
            vec![
                "acme.tar.gz",
                "FILES",
                "nothing was written to `acme.tar.gz`",
            ],
        ),
        (
            "",
            vec!["trial:up", "--dir", "new-trial"],
            0,
            vec!["new-trial/state.db", "nothing was made in `new-trial`"],
        ),
        (
            "",
            vec!["trial:down", "--dir", trial.to_str().unwrap()],
            0,
            vec!["trial-prod", "nothing was removed"],
        ),
    ];
    for (actor, args, code, says) in &cases {
        let mut all = args.clone();
        all.push("--dry-run");
        let out = s.run(actor, &all);
        let text = format!("{}{}", out.stdout, out.stderr);
        assert_eq!(out.code, *code, "{all:?}:\n{text}");
        for want in says {
            assert!(
                text.contains(want),
                "{all:?} does not say `{want}`:\n{text}"
            );
        }
        if *code == 0 {
            assert!(out.stderr.contains("dry run: "), "{all:?}:\n{text}");
        }
        assert_eq!(s.dump(), state, "{all:?} changed the state");
        assert_eq!(files(s.home()), before, "{all:?} changed the files");
    }
    assert!(!fresh.exists());

    // The same change for real afterwards: the dry runs left a sound state behind.
    s.ok(ADMIN, &["tenant:update", "acme", "--name", "Acme Corp"]);
    s.ok(ADMIN, &["audit:verify"]);
}

#[test]
fn a_dry_run_is_denied_as_the_command_is_and_prints_json_for_scripts() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
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
    let state = s.dump();
    let real = s.run(
        "vic@acme.example",
        &["tenant:update", "acme", "--name", "Mine"],
    );
    assert_eq!(real.code, 3, "{}", real.stderr);
    let state = {
        // The real denial logged its decision; the dry run must add nothing to that.
        assert_ne!(s.dump(), state);
        s.dump()
    };
    let dry = s.run(
        "vic@acme.example",
        &["tenant:update", "acme", "--name", "Mine", "--dry-run"],
    );
    assert_eq!(
        (dry.code, dry.stdout.as_str(), dry.stderr.as_str()),
        (3, "", real.stderr.as_str())
    );
    assert_eq!(s.dump(), state);

    let out = s.run(
        ADMIN,
        &[
            "tenant:update",
            "acme",
            "--regions",
            "eu-west-1,us-east-1",
            "--dry-run",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["dry_run"], true);
    assert_eq!(
        v["output"][0]["regions"],
        serde_json::json!(["eu-west-1", "us-east-1"])
    );
    let actions: Vec<&str> = v["changes"]["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"tenant.update"), "{actions:?}");
    assert!(
        v["changes"]["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["allow"] == true),
        "{v:#}"
    );
    assert_eq!(s.dump(), state);
}
