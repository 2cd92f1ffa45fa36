//! trial:up / trial:down end to end: everything the environment promises, checked through the
//! CLI; a second trial:up changes nothing; trial:down removes it and leaves a record.

use std::io::Read;

use crate::support::Sandbox;

fn pack_text(path: &std::path::Path) -> String {
    let mut a = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(path).unwrap(),
    ));
    let mut all = String::new();
    for e in a.entries().unwrap() {
        let mut e = e.unwrap();
        let mut b = Vec::new();
        e.read_to_end(&mut b).unwrap();
        all.push_str(&String::from_utf8_lossy(&b));
    }
    all
}

#[test]
fn trial_up_twice_then_down() {
    let s = Sandbox::new();
    let dir = s.home().join("demo");
    let d = dir.to_str().unwrap();
    let up = s.run(
        "",
        &["trial:up", "--dir", d, "--name", "demo", "--output", "json"],
    );
    assert_eq!(up.code, 0, "{}", up.stderr);
    let summary: serde_json::Value = serde_json::from_str(&up.stdout).unwrap();
    assert_eq!(summary["tenants"].as_array().unwrap().len(), 2);
    assert_eq!(summary["deny"]["tenant"], "trial-prod");
    // Six commits, one by a bot; the auth log's two failed-root lines and two root sessions.
    assert_eq!(summary["signals"]["commits"], 5);
    assert_eq!(summary["signals"]["alerts"], 4);
    assert_eq!(summary["signals"]["root_logins"], 2);
    // Five billing rows a day for three days; the shared key is nobody's.
    assert_eq!(summary["cost"]["rows"], 15);
    assert_eq!(summary["cost"]["unallocated"], 3);
    assert_eq!(
        summary["cost"]["per_tenant"],
        serde_json::json!([
            ["trial-prod", "6.60"],
            ["trial-dev", "1.869"],
            ["unallocated", "0.099"]
        ])
    );
    assert!(
        summary["cost"]["perf_breaches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b.as_str().unwrap().starts_with("trial-prod/web/prod: p95")),
        "{}",
        summary["cost"]
    );
    assert!(
        summary["deny"]["message"]
            .as_str()
            .unwrap()
            .contains("region `us-east-1`; its allowed regions are eu-west-1")
    );

    // Through the CLI, as the operator: both tenants, least privilege, the deny logged.
    let cli = |actor: &str, args: &[&str]| {
        let out = s
            .cmd(Some(actor))
            .env("MAESTRO_CONFIG", dir.join("maestro.toml"))
            .env("MAESTRO_STATE", dir.join("state.db"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, tenants) = cli(
        "operator@trial.example",
        &["tenant:list", "--output", "json"],
    );
    assert_eq!(code, 0);
    let tenants: serde_json::Value = serde_json::from_str(&tenants).unwrap();
    let ids: Vec<&str> = tenants
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["trial-dev", "trial-prod"]);
    let (code, roles) = cli(
        "trial-admin@trial.example",
        &["user:list", "--output", "json"],
    );
    assert_eq!(code, 0);
    let roles: serde_json::Value = serde_json::from_str(&roles).unwrap();
    let operator: Vec<(&str, &str)> = roles
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["principal"] == "operator@trial.example")
        .map(|r| {
            (
                r["role"].as_str().unwrap(),
                r["tenant"].as_str().unwrap_or("*"),
            )
        })
        .collect();
    assert_eq!(
        operator,
        [
            ("tenant-admin", "trial-dev"),
            ("tenant-admin", "trial-prod")
        ]
    );
    assert_eq!(
        cli(
            "operator@trial.example",
            &[
                "tenant:create",
                "x",
                "--regions",
                "eu-west-1",
                "--admin",
                "a@b.example"
            ]
        )
        .0,
        3
    );
    let (_, denials) = cli(
        "operator@trial.example",
        &[
            "policy:log",
            "--decision",
            "deny",
            "--tenant",
            "trial-prod",
            "--output",
            "json",
        ],
    );
    assert!(
        denials.contains("may not deploy to cluster `trial-us`"),
        "{denials}"
    );
    let deployments: i64 = rusqlite::Connection::open(dir.join("state.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM deployments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(deployments, 2);

    // Two packs, each verified, neither holding the other tenant.
    for (tenant, other) in [("trial-dev", "trial-prod"), ("trial-prod", "trial-dev")] {
        let pack = dir.join("packs").join(format!("{tenant}.tar.gz"));
        let pubkey = dir.join("keys/maestro-pack.pub");
        let (code, _) = cli(
            "",
            &[
                "pack:verify",
                pack.to_str().unwrap(),
                "--pubkey",
                pubkey.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 0, "{tenant}");
        assert!(
            !pack_text(&pack).contains(other),
            "the pack of {tenant} mentions {other}"
        );
    }

    // Again: the same state.
    let count = |table: &str| -> i64 {
        rusqlite::Connection::open(dir.join("state.db"))
            .unwrap()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    let before: Vec<i64> = [
        "tenants",
        "deployments",
        "decisions",
        "audit_events",
        "flow_runs",
        "principals",
        "signal_commits",
        "signal_alerts",
        "cost_daily",
        "perf_daily",
        "perf_baselines",
    ]
    .iter()
    .map(|t| count(t))
    .collect();
    let again = s.run("", &["trial:up", "--dir", d, "--name", "demo"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stdout
            .contains("DENIED       trial-prod into trial-us")
            && again
                .stdout
                .starts_with("Trial: trial environment `demo` is up in ")
            && again.stdout.contains("Support: platform-team@example.com"),
        "{}",
        again.stdout
    );
    let after: Vec<i64> = [
        "tenants",
        "deployments",
        "decisions",
        "audit_events",
        "flow_runs",
        "principals",
        "signal_commits",
        "signal_alerts",
        "cost_daily",
        "perf_daily",
        "perf_baselines",
    ]
    .iter()
    .map(|t| count(t))
    .collect();
    assert_eq!(before, after, "a second trial:up changed the state");

    // trial:down refuses a directory it did not make, then removes the trial and records it.
    std::fs::create_dir_all(s.home().join("other")).unwrap();
    std::fs::write(s.home().join("other/keep.txt"), "mine").unwrap();
    let refused = s.run(
        "",
        &[
            "trial:down",
            "--yes",
            "--dir",
            s.home().join("other").to_str().unwrap(),
        ],
    );
    assert_eq!(refused.code, 1);
    assert!(s.home().join("other/keep.txt").exists());
    // Without a terminal to ask on, removing needs --yes.
    s.run("", &["trial:down", "--dir", d]).assert_error(
        1,
        &format!("removing `{d}`: not confirmed, nothing was changed"),
        Some("there is no terminal to ask on: pass --yes to confirm"),
    );
    assert!(dir.exists());
    let down = s.run("", &["trial:down", "--yes", "--dir", d, "--output", "json"]);
    assert_eq!(down.code, 0, "{}", down.stderr);
    assert!(!dir.exists());
    let record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(s.home().join("demo.teardown.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["name"], "demo");
    assert_eq!(
        record["tenants"],
        serde_json::json!(["trial-dev", "trial-prod"])
    );
    assert_eq!(record["final_audit_head"].as_str().unwrap().len(), 64);
    assert!(
        record["removed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "state.db")
    );
}

#[test]
fn a_failed_step_is_named_and_a_rerun_finishes_the_environment() {
    let s = Sandbox::new();
    let dir = s.home().join("demo");
    let d = dir.to_str().unwrap();
    // A trial directory whose `keys` is a file: the signing key cannot be made.
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(".maestro-trial"), "demo\n").unwrap();
    std::fs::write(dir.join("keys"), "not a directory").unwrap();
    let failed = s.run("", &["trial:up", "--dir", d, "--name", "demo"]);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    let keys = dir.join("keys");
    assert_eq!(
        failed.stderr,
        format!(
            "error: trial:up stopped at step `signing key`: `{0}`: File exists (os error 17)\n\
             help: fix the cause and run `maestro-cli trial:up` again: it continues where it stopped\n",
            keys.display()
        )
    );
    // What was done before the failure is kept: the tenants exist.
    assert!(dir.join("state.db").exists());
    std::fs::remove_file(dir.join("keys")).unwrap();
    let up = s.run(
        "",
        &["trial:up", "--dir", d, "--name", "demo", "--output", "json"],
    );
    assert_eq!(up.code, 0, "{}", up.stderr);
    let summary: serde_json::Value = serde_json::from_str(&up.stdout).unwrap();
    assert_eq!(summary["tenants"].as_array().unwrap().len(), 2);
    assert_eq!(summary["packs"].as_array().unwrap().len(), 2);
    assert!(
        summary["packs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["verified"] == true)
    );
    let tenants: i64 = rusqlite::Connection::open(dir.join("state.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM tenants", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tenants, 2, "no tenant made twice");
}

/// At `COLUMNS=100` every line of every list command's table fits in 100 columns, cut with
/// `…`; `-o wide` keeps every cell whole; `--no-headers` leaves the header row out.
#[test]
fn tables_fit_the_terminal_width() {
    let s = Sandbox::new();
    let dir = s.home().join("demo");
    s.ok("", &["trial:up", "--dir", dir.to_str().unwrap(), "-q"]);
    let run = |args: &[&str], columns: &str| -> String {
        let out = s
            .cmd(Some("trial-admin@trial.example"))
            .env("MAESTRO_CONFIG", dir.join("maestro.toml"))
            .env("MAESTRO_STATE", dir.join("state.db"))
            .env("COLUMNS", columns)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let run_id = s
        .cmd(Some("trial-admin@trial.example"))
        .env("MAESTRO_STATE", dir.join("state.db"))
        .args(["flow:runs", "-o", "json"])
        .output()
        .unwrap();
    let runs: serde_json::Value = serde_json::from_slice(&run_id.stdout).unwrap();
    let run_id = runs[0]["id"].as_str().unwrap().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["tenant:list"],
        vec!["tenant:show", "trial-prod"],
        vec!["user:list"],
        vec!["audit:log"],
        vec!["flow:list"],
        vec!["flow:runs"],
        vec!["flow:status", &run_id],
        vec!["deploy:list"],
        vec!["policy:log"],
        vec!["signals:alerts"],
        vec!["cost:report", "--from", "2026-01-01", "--to", "2027-12-31"],
        vec!["sync:dead"],
    ];
    let mut cut_somewhere = false;
    for args in &commands {
        let text = run(args, "100");
        for line in text.lines() {
            let width = line.chars().count();
            assert!(width <= 100, "{args:?}: a line of {width} columns:\n{line}");
        }
        // A table shortens ids and times first; what still does not fit is cut with a mark.
        let wide = run(&[&args[..], &["-o", "wide"]].concat(), "100");
        if text.contains('…') {
            cut_somewhere = true;
            assert!(
                wide.lines().any(|l| l.chars().count() > 100),
                "{args:?}: cut for nothing"
            );
        }
    }
    assert!(
        cut_somewhere,
        "no table was wider than 100 columns: the test shows nothing"
    );
    let headers = run(&["tenant:list"], "100");
    let bare = run(&["tenant:list", "--no-headers"], "100");
    assert_eq!(
        headers.lines().skip(1).collect::<Vec<_>>(),
        bare.lines().collect::<Vec<_>>()
    );
    assert!(headers.starts_with("ID"), "{headers}");
}
