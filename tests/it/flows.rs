//! flow:* through the binary: templates, parallelism, retries, timeouts, failures,
//! injection, gates, resume, leases and interrupts.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{ADMIN, HELP_GRANT, Sandbox, json_error};

/// The `help:` of a failed run: where to look and how to resume it.
fn help_failed_run(run_id: &str) -> String {
    format!(
        "see `maestro-cli flow:logs {run_id}`; after fixing the cause, `maestro-cli flow:resume {run_id}`"
    )
}

const CONFIG: &str = "[platform.regions]\neu-west-1 = \"Ireland\"\nus-east-1 = \"Virginia\"\n\n[platform.clusters]\neu-stage-1 = { region = \"eu-west-1\" }\neu-prod-1 = { region = \"eu-west-1\" }\nus-prod-1 = { region = \"us-east-1\" }\n";

/// A sandbox with clusters in two regions and tenant `acme` (allowed: eu-west-1).
fn platform(real_clock: bool) -> Sandbox {
    let s = if real_clock {
        Sandbox::real_clock()
    } else {
        Sandbox::initialised()
    };
    std::fs::write(s.home().join("maestro.toml"), CONFIG).unwrap();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s
}

/// Writes `flows/NAME.yaml` in the sandbox and returns the `--templates` dir.
fn template(s: &Sandbox, name: &str, yaml: &str) -> String {
    let dir = s.home().join("flows");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.yaml")), yaml).unwrap();
    dir.display().to_string()
}

fn run_json(s: &Sandbox, args: &[&str]) -> (i32, Vec<Value>, String) {
    let mut all = vec!["flow:run"];
    all.extend_from_slice(args);
    all.extend(["--output", "json"]);
    let out = s.run(ADMIN, &all);
    let lines = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.code, lines, out.stderr)
}

fn report(lines: &[Value]) -> &Value {
    let last = lines.last().expect("a report line");
    assert_eq!(last["event"], "run.report");
    last
}

fn step<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
}

fn attempts(s: &Sandbox, run_id: &str, step: &str) -> Vec<Value> {
    s.json(ADMIN, &["flow:logs", run_id, step])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn every_shipped_template_validates() {
    let s = Sandbox::new();
    let list = s.json("", &["flow:list"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "deploy",
            "feature-lifecycle",
            "new-tenant",
            "teardown-tenant"
        ]
    );
    for name in names {
        let v = s.json("", &["flow:validate", name]);
        assert_eq!(v["valid"], true, "{name}");
        let file =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("templates/flows/{name}.yaml"));
        s.ok("", &["flow:validate", file.to_str().unwrap()]);
    }
    assert!(!s.state().exists(), "validation needs no state");
}

#[test]
fn feature_lifecycle_runs_green_with_parallel_branches() {
    let s = platform(true);
    let (code, lines, err) = run_json(
        &s,
        &[
            "feature-lifecycle",
            "--tenant",
            "acme",
            "--jobs",
            "4",
            "-p",
            "feature=search",
            "-p",
            "service=api",
            "-p",
            "version=1.4.2",
            "-p",
            "staging_cluster=eu-stage-1",
            "-p",
            "prod_cluster=eu-prod-1",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let r = report(&lines);
    assert_eq!(r["status"], "succeeded");
    assert!(
        r["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "succeeded")
    );
    assert_eq!(lines[0]["event"], "run.started");
    let run_id = r["run_id"].as_str().unwrap();
    // The three test branches overlapped: each started before the others finished.
    let spans: Vec<(String, String)> = ["unit-tests", "integration-tests", "security-scan"]
        .iter()
        .map(|st| {
            let a = &attempts(&s, run_id, st)[0];
            (
                a["started_at"].as_str().unwrap().to_string(),
                a["finished_at"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (i, a) in spans.iter().enumerate() {
        for b in spans.iter().skip(i + 1) {
            assert!(a.0 < b.1 && b.0 < a.1, "no overlap: {a:?} {b:?}");
        }
    }
    // Outputs flowed between steps through the environment.
    let logs = s.ok(ADMIN, &["flow:logs", run_id, "unit-tests"]).stdout;
    assert!(
        logs.contains("unit tests of api-1.4.2.tar.gz passed"),
        "{logs}"
    );
    let deployments: i64 = s
        .db()
        .query_row(
            "SELECT count(*) FROM deployments WHERE tenant_id = 'acme'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(deployments, 2);
    s.ok(ADMIN, &["audit:verify"]);
}

#[test]
fn jobs_limit_serialises_the_branches() {
    let s = platform(true);
    let (code, lines, err) = run_json(
        &s,
        &[
            "feature-lifecycle",
            "--tenant",
            "acme",
            "--jobs",
            "1",
            "-p",
            "feature=search",
            "-p",
            "service=api",
            "-p",
            "version=1.4.2",
            "-p",
            "staging_cluster=eu-stage-1",
            "-p",
            "prod_cluster=eu-prod-1",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let run_id = report(&lines)["run_id"].as_str().unwrap().to_string();
    let mut spans: Vec<(String, String)> = s
        .json(ADMIN, &["flow:logs", &run_id])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["started_at"].as_str().unwrap().to_string(),
                a["finished_at"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort();
    for w in spans.windows(2) {
        assert!(
            w[0].1 <= w[1].0,
            "two steps overlapped with --jobs 1: {w:?}"
        );
    }
}

#[test]
fn retry_succeeds_on_the_third_attempt() {
    let s = Sandbox::initialised();
    let dir = template(
        &s,
        "flaky",
        "name: flaky\nsteps:\n  - id: flaky\n    uses: shell\n    retry: { max: 3, backoff: { initial: 10ms, factor: 2 } }\n    with:\n      run: |\n        n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count\n        echo \"attempt $MAESTRO_ATTEMPT\"\n        [ $n -ge 3 ] || { echo \"not yet\" >&2; exit 75; }\n",
    );
    let (code, lines, err) = run_json(&s, &["flaky", "--templates", &dir]);
    assert_eq!(code, 0, "{err}");
    let r = report(&lines);
    assert_eq!(step(r, "flaky")["attempts"], 3);
    let events: Vec<&str> = lines.iter().map(|l| l["event"].as_str().unwrap()).collect();
    assert_eq!(
        events.iter().filter(|e| **e == "step.retrying").count(),
        2,
        "{events:?}"
    );
    let a = attempts(&s, r["run_id"].as_str().unwrap(), "flaky");
    let statuses: Vec<&str> = a.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["failed", "failed", "succeeded"]);
    assert_eq!(a[0]["exit_code"], 75);
    assert_eq!(a[0]["stderr"], "not yet\n");
    assert_eq!(a[2]["stdout"], "attempt 3\n");
}

#[test]
fn retry_only_on_listed_exit_codes() {
    let s = Sandbox::initialised();
    let dir = template(
        &s,
        "picky",
        "name: picky\nsteps:\n  - id: a\n    uses: shell\n    retry: { max: 5, backoff: { initial: 10ms }, on: [75] }\n    with: { run: 'exit 2' }\n",
    );
    let (code, lines, _) = run_json(&s, &["picky", "--templates", &dir]);
    assert_eq!(code, 1);
    assert_eq!(step(report(&lines), "a")["attempts"], 1);
}

#[test]
fn timeout_kills_the_step_and_its_children() {
    let s = Sandbox::initialised();
    let dir = template(
        &s,
        "slow",
        "name: slow\nsteps:\n  - id: slow\n    uses: shell\n    timeout: 300ms\n    with:\n      run: |\n        sleep 60 &\n        echo $! > child.pid\n        sleep 60\n  - id: after\n    uses: noop\n    needs: [slow]\n",
    );
    let started = Instant::now();
    let (code, lines, err) = run_json(&s, &["slow", "--templates", &dir]);
    assert_eq!(code, 1, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(50),
        "the step was not stopped"
    );
    let r = report(&lines);
    assert_eq!(step(r, "slow")["status"], "failed");
    assert!(
        step(r, "slow")["error"]
            .as_str()
            .unwrap()
            .starts_with("timed out after 300ms"),
        "{r}"
    );
    assert_eq!(step(r, "after")["status"], "skipped");
    let a = attempts(&s, r["run_id"].as_str().unwrap(), "slow");
    assert_eq!(a[0]["status"], "timed_out");
    let pid = std::fs::read_to_string(s.home().join("child.pid")).unwrap();
    let proc = format!("/proc/{}", pid.trim());
    // The background child was in the step's process group: it is gone (or a zombie
    // about to be reaped by init).
    let alive =
        std::fs::read_to_string(format!("{proc}/stat")).is_ok_and(|st| !st.contains(") Z "));
    assert!(!alive, "the step's child {pid} survived its timeout");
}

#[test]
fn a_failing_step_fails_the_run_and_skips_its_dependents() {
    let s = Sandbox::initialised();
    let dir = template(
        &s,
        "broken",
        "name: broken\nsteps:\n  - id: a\n    uses: noop\n  - id: b\n    uses: fail\n    needs: [a]\n    with: { code: 7, message: boom }\n  - id: c\n    uses: noop\n    needs: [b]\n  - id: d\n    uses: noop\n    needs: [c]\n  - id: cleanup\n    uses: noop\n    needs: [b]\n    if: steps.b.outcome == 'failure'\n  - id: side\n    uses: noop\n    needs: [a]\n",
    );
    let out = s.run(ADMIN, &["flow:run", "broken", "--templates", &dir]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let runs = s.json(ADMIN, &["flow:runs", "--status", "failed"]);
    let run_id = runs[0]["id"].as_str().unwrap();
    // The progress lines above it carry times; the error and its help end stderr.
    assert!(
        out.stderr.ends_with(&format!(
            "\nrun {run_id} failed (broken)\nerror: run `{run_id}` failed: step `b` failed: boom\nhelp: {}\n",
            help_failed_run(run_id)
        )),
        "{}",
        out.stderr
    );
    let r = s.json(ADMIN, &["flow:status", runs[0]["id"].as_str().unwrap()]);
    // The report object as docs/guide.md shows it: no `event` outside flow:run's stream.
    assert_eq!(r.get("event"), None, "{r}");
    assert_eq!(r["status"], "failed");
    assert_eq!(step(&r, "b")["status"], "failed");
    assert_eq!(step(&r, "c")["status"], "skipped");
    assert_eq!(step(&r, "c")["error"], "needs `b`, which failed");
    assert_eq!(step(&r, "d")["error"], "needs `c`, which was skipped");
    assert_eq!(step(&r, "cleanup")["status"], "succeeded");
    assert_eq!(step(&r, "side")["status"], "succeeded");
}

#[test]
fn params_reach_shell_steps_verbatim_and_are_never_executed() {
    let s = Sandbox::initialised();
    let evil = "$(touch /tmp/pwned); \"quoted\" ;rm";
    let _ = std::fs::remove_file("/tmp/pwned");
    let dir = template(
        &s,
        "echo",
        "name: echo\nparams:\n  message: { type: string, required: true }\nsteps:\n  - id: say\n    uses: shell\n    with:\n      run: printf '%s' \"$MAESTRO_PARAM_MESSAGE\" > said.txt; echo \"said=$MAESTRO_PARAM_MESSAGE\" >> \"$MAESTRO_OUTPUT\"\n    outputs: [said]\n  - id: again\n    uses: shell\n    needs: [say]\n    with:\n      run: printf '%s' \"$MAESTRO_STEP_SAY_SAID\" > again.txt\n",
    );
    let (code, _, err) = run_json(
        &s,
        &[
            "echo",
            "--templates",
            &dir,
            "--param",
            &format!("message={evil}"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(s.home().join("said.txt")).unwrap(),
        evil
    );
    assert_eq!(
        std::fs::read_to_string(s.home().join("again.txt")).unwrap(),
        evil
    );
    assert!(!Path::new("/tmp/pwned").exists(), "the param was executed");
}

#[test]
fn bad_templates_exit_4_with_the_message() {
    let s = Sandbox::initialised();
    // The message after the file name, and the line it points at with its caret.
    for (name, yaml, msg, caret) in [
        (
            "malformed",
            "name: malformed\nsteps:\n  - id: a\n    uses: noop\n  x: - y\n",
            "malformed.yaml:5:3: invalid YAML: did not find expected '-' indicator",
            "5 |   x: - y\n  |   ^",
        ),
        (
            "cycle",
            "name: cycle\nsteps:\n  - {id: a, uses: noop, needs: [c]}\n  - {id: b, uses: noop, needs: [a]}\n  - {id: c, uses: noop, needs: [b]}\n",
            "cycle.yaml:1:1: dependency cycle: a -> c -> b -> a",
            "1 | name: cycle\n  | ^",
        ),
        (
            "kind",
            "name: kind\nsteps:\n  - id: a\n    uses: teleport\n",
            "kind.yaml:4:5: unknown step kind `teleport` (known: shell, policy, tenant.provision, tenant.delete, deploy, noop, sleep, fail, flow)",
            "4 |     uses: teleport\n  |     ^",
        ),
        (
            "needs",
            "name: needs\nsteps:\n  - id: a\n    uses: noop\n    needs: [ghost]\n",
            "needs.yaml:5:5: step `a` needs `ghost`, which is not a step of this flow",
            "5 |     needs: [ghost]\n  |     ^",
        ),
    ] {
        let dir = template(&s, name, yaml);
        let before = s.dump();
        let report = format!("{dir}/{msg}\n  |\n{caret}\n");
        let v = s.run(ADMIN, &["flow:validate", name, "--templates", &dir]);
        assert_eq!(v.code, 4, "{name}: {}", v.stderr);
        assert_eq!(v.stderr, format!("problem: {report}"), "{name}");
        let r = s.run(ADMIN, &["flow:run", name, "--templates", &dir]);
        assert_eq!(r.code, 4, "{name}: {}", r.stderr);
        assert_eq!(
            r.stderr,
            format!(
                "error: {report}help: fix the template; its format is in templates/flows/README.md\n"
            ),
            "{name}"
        );
        assert_eq!(
            s.dump(),
            before,
            "{name}: a bad template must not start a run"
        );
    }
    let dir = s.home().join("flows").display().to_string();
    let caret = s.run(ADMIN, &["flow:validate", "kind", "--templates", &dir]);
    assert_eq!(
        caret.stderr,
        format!(
            "problem: {dir}/kind.yaml:4:5: unknown step kind `teleport` (known: shell, policy, tenant.provision, tenant.delete, deploy, noop, sleep, fail, flow)\n  |\n4 |     uses: teleport\n  |     ^\n"
        )
    );
}

#[test]
fn bad_params_are_refused_before_a_run_starts() {
    let s = platform(false);
    let before = s.dump();
    const HELP_PARAMS: &str = "see the flow's params with `maestro-cli flow:validate NAME`";
    for (args, msg, help) in [
        (
            vec![
                "deploy",
                "--tenant",
                "acme",
                "-p",
                "service=api",
                "-p",
                "version=1",
            ],
            "flow `deploy` needs param `cluster`: add `--param cluster=...`",
            Some(HELP_PARAMS),
        ),
        (
            vec![
                "deploy",
                "--tenant",
                "acme",
                "-p",
                "service=API",
                "-p",
                "version=1",
                "-p",
                "cluster=x",
            ],
            "`API` does not match the pattern `[a-z0-9]([-a-z0-9]*[a-z0-9])?` of param `service`",
            Some(HELP_PARAMS),
        ),
        (
            vec!["deploy", "--tenant", "acme", "-p", "nope=1"],
            "flow `deploy` has no param `nope` (params: cluster, env, service, version)",
            Some(HELP_PARAMS),
        ),
        (
            vec![
                "deploy",
                "--tenant",
                "../etc",
                "-p",
                "service=api",
                "-p",
                "version=1",
                "-p",
                "cluster=x",
            ],
            "invalid tenant id `../etc`: a character `.` at position 1; only lowercase letters, digits and `-` are allowed",
            None,
        ),
        (
            vec!["nonexistent"],
            "no flow template `nonexistent` (looked in: built-in templates)",
            Some("list templates with `maestro-cli flow:list`, or pass a path to a .yaml file"),
        ),
    ] {
        let mut all = vec!["flow:run"];
        all.extend(args.iter());
        s.run(ADMIN, &all).assert_error(1, msg, help);
    }
    assert_eq!(s.dump(), before);
}

#[test]
fn residency_gate_denies_a_deploy_outside_the_allowlist() {
    let s = platform(false);
    let (code, lines, err) = run_json(
        &s,
        &[
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
    assert_eq!(code, 3, "{err}");
    let r = report(&lines);
    let run_id = r["run_id"].as_str().unwrap();
    assert_eq!(
        err,
        json_error(
            3,
            &format!(
                "run `{run_id}` failed: step `gate` failed: residency: tenant `acme` may not deploy to cluster `us-prod-1` in region `us-east-1`; its allowed regions are eu-west-1"
            ),
            Some(&help_failed_run(run_id)),
        )
    );
    assert_eq!(r["denied"], true);
    assert_eq!(step(r, "rollout")["status"], "skipped");
    let rows: i64 = s
        .db()
        .query_row("SELECT count(*) FROM deployments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
    // The allowed region deploys, once.
    let (code, _, err) = run_json(
        &s,
        &[
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
    assert_eq!(code, 0, "{err}");
    let d: (String, String) = s
        .db()
        .query_row("SELECT region, cluster FROM deployments", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(d, ("eu-west-1".into(), "eu-prod-1".into()));
    assert!(s.audit_actions().contains(&"deployment.record".to_string()));
}

#[test]
fn tenant_admin_runs_flows_for_their_tenant_only() {
    let s = platform(false);
    s.create("globex", "us-east-1", "gina@globex.example");
    let alice = "alice@acme.example";
    let out = s.run(
        alice,
        &[
            "flow:run",
            "deploy",
            "--tenant",
            "globex",
            "-p",
            "service=api",
            "-p",
            "version=1",
            "-p",
            "cluster=us-prod-1",
        ],
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    let out = s.run(
        alice,
        &[
            "flow:run",
            "deploy",
            "--tenant",
            "acme",
            "-p",
            "service=api",
            "-p",
            "version=1",
            "-p",
            "cluster=eu-prod-1",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let runs = s.json(alice, &["flow:runs"]);
    assert!(
        runs.as_array()
            .unwrap()
            .iter()
            .all(|r| r["tenant_id"] == "acme"),
        "{runs}"
    );
    let globex_run = s.json(ADMIN, &["flow:runs", "--tenant", "globex"]);
    let id = globex_run[0]["id"].as_str().unwrap();
    assert_eq!(s.run(alice, &["flow:status", id]).code, 3);
    assert_eq!(s.run(alice, &["flow:logs", id]).code, 3);
    // Resuming another tenant's run is refused before anything runs, and the denial logged.
    let status = s.json(ADMIN, &["flow:status", id]);
    let denials = || {
        s.json(ADMIN, &["policy:log", "--decision", "deny"])
            .as_array()
            .unwrap()
            .len()
    };
    let before = denials();
    s.run(alice, &["flow:resume", id]).assert_error(
        3,
        "denied: `alice@acme.example` may not run `flow:run` on tenant `globex`: it needs tenant-admin of `globex`; `alice@acme.example` holds no role for `globex`",
        Some(HELP_GRANT),
    );
    assert_eq!(denials(), before + 1);
    assert_eq!(s.json(ADMIN, &["flow:status", id]), status);
}

const DRY_RUN: &[&str] = &[
    "flow:run",
    "feature-lifecycle",
    "--dry-run",
    "-p",
    "feature=x",
    "-p",
    "service=api",
    "-p",
    "version=1",
    "-p",
    "staging_cluster=a",
    "-p",
    "prod_cluster=b",
];

#[test]
fn dry_run_prints_the_plan_and_touches_nothing() {
    let s = Sandbox::new();
    let out = s.ok(ADMIN, DRY_RUN);
    assert!(out.stdout.starts_with("WAVE  STEP"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("4     integration-tests  shell   build"),
        "{}",
        out.stdout
    );
    let plan = s.json(ADMIN, DRY_RUN);
    assert_eq!(plan["waves"].as_array().unwrap().len(), 9);
    assert!(!s.state().exists());
    let dot = s
        .ok("", &["flow:graph", "feature-lifecycle", "--format", "dot"])
        .stdout;
    assert!(dot.contains("\"gate\" -> \"deploy-staging\";"), "{dot}");
    let mermaid = s
        .ok("", &["flow:graph", "new-tenant", "--format", "mermaid"])
        .stdout;
    assert_eq!(
        mermaid,
        "flowchart LR\n  provision[\"provision (tenant.provision)\"]\n  announce[\"announce (noop)\"]\n  provision --> announce\n"
    );
}

#[test]
fn resume_after_a_failure_reruns_only_what_did_not_succeed() {
    let s = Sandbox::initialised();
    let dir = template(
        &s,
        "fixable",
        "name: fixable\nsteps:\n  - id: first\n    uses: shell\n    with: { run: 'echo x >> first.log' }\n  - id: second\n    uses: shell\n    needs: [first]\n    with: { run: 'test -f fixed' }\n  - id: third\n    uses: shell\n    needs: [second]\n    with: { run: 'echo x >> third.log' }\n",
    );
    let (code, lines, _) = run_json(&s, &["fixable", "--templates", &dir]);
    assert_eq!(code, 1);
    let run_id = report(&lines)["run_id"].as_str().unwrap().to_string();
    std::fs::write(s.home().join("fixed"), "").unwrap();
    let out = s.ok(ADMIN, &["flow:resume", &run_id]);
    assert!(
        out.stderr.contains(&format!("run {run_id} resumed")),
        "{}",
        out.stderr
    );
    let r = s.json(ADMIN, &["flow:status", &run_id]);
    assert_eq!(r["status"], "succeeded");
    assert_eq!(step(&r, "second")["attempts"], 2);
    assert_eq!(
        std::fs::read_to_string(s.home().join("first.log")).unwrap(),
        "x\n",
        "first ran twice"
    );
    assert_eq!(
        std::fs::read_to_string(s.home().join("third.log")).unwrap(),
        "x\n"
    );
    // A finished run resumes to itself.
    let again = s.json(ADMIN, &["flow:resume", &run_id]);
    assert_eq!(again["status"], "succeeded");
    s.run(ADMIN, &["flow:resume", "no-such-run"]).assert_error(
        1,
        "no run `no-such-run`",
        Some("list runs with `maestro-cli flow:runs`"),
    );
}

/// Starts `flow:run` in the background and waits until its step `step` is running.
/// The caller waits for the child.
#[allow(clippy::zombie_processes)]
fn start_background(s: &Sandbox, args: &[&str], step: &str) -> (std::process::Child, String) {
    let child = s
        .std_cmd(Some(ADMIN))
        .arg("flow:run")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(Instant::now() < deadline, "the step never started");
        if s.state().exists()
            && let Ok(id) = s.db().query_row(
                "SELECT run_id FROM flow_attempts WHERE step_id = ?1 AND status = 'running' AND pid IS NOT NULL",
                [step],
                |r| r.get::<_, String>(0),
            )
        {
            return (child, id);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_live_run_cannot_be_resumed_twice_and_a_dead_one_is_taken_over() {
    let s = Sandbox::real_clock();
    let dir = template(
        &s,
        "long",
        "name: long\nsteps:\n  - id: wait\n    uses: shell\n    with: { run: 'test -f go || sleep 30; echo $MAESTRO_ATTEMPT >> wait.log' }\n  - id: done\n    uses: noop\n    needs: [wait]\n",
    );
    let (mut child, run_id) = start_background(&s, &["long", "--templates", &dir], "wait");
    let out = s.run(ADMIN, &["flow:resume", &run_id]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    // The heartbeat is the runner's last beat: a time not known here, so it is cut out.
    let (head, rest) = out.stderr.split_once(" (heartbeat ").unwrap();
    let (heartbeat, tail) = rest.split_once(')').unwrap();
    assert!(heartbeat.ends_with('Z'), "{heartbeat}");
    assert_eq!(
        format!("{head} (heartbeat ...){tail}"),
        format!(
            "error: run `{run_id}` is being executed by process {} (heartbeat ...)\nhelp: wait for it, or watch it with `maestro-cli flow:status {run_id}`\n",
            child.id()
        )
    );
    // kill -9 the runner: its lease is stale, resume takes over and finishes.
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::write(s.home().join("go"), "").unwrap();
    let out = s.ok(ADMIN, &["flow:resume", &run_id]);
    assert!(out.stderr.contains("resumed"), "{}", out.stderr);
    let r = s.json(ADMIN, &["flow:status", &run_id]);
    assert_eq!(r["status"], "succeeded");
    let a = attempts(&s, &run_id, "wait");
    let statuses: Vec<&str> = a.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["interrupted", "succeeded"]);
    let resume = s
        .json(ADMIN, &["audit:log"])
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "flow.run.resume")
        .cloned()
        .unwrap();
    assert_eq!(resume["details"]["previous_holder"], child.id());
    s.ok(ADMIN, &["audit:verify"]);
}

#[test]
fn ctrl_c_stops_the_steps_and_marks_the_run_interrupted() {
    let s = Sandbox::real_clock();
    let dir = template(
        &s,
        "long",
        "name: long\nsteps:\n  - id: wait\n    uses: shell\n    with: { run: 'sleep 60 & echo $! > child.pid; wait' }\n",
    );
    let (mut child, run_id) = start_background(&s, &["long", "--templates", &dir], "wait");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let r = s.json(ADMIN, &["flow:status", &run_id]);
    assert_eq!(r["status"], "interrupted");
    assert_eq!(step(&r, "wait")["status"], "pending");
    assert_eq!(attempts(&s, &run_id, "wait")[0]["status"], "interrupted");
    let pid = std::fs::read_to_string(s.home().join("child.pid")).unwrap();
    let alive = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()))
        .is_ok_and(|st| !st.contains(") Z "));
    assert!(!alive, "the step's child survived Ctrl-C");
}

#[test]
fn sub_flows_run_as_one_step() {
    let s = Sandbox::initialised();
    template(
        &s,
        "child",
        "name: child\nparams:\n  word: { type: string, required: true }\nsteps:\n  - id: say\n    uses: shell\n    with: { run: 'echo \"$MAESTRO_PARAM_WORD\" >> child.log' }\n",
    );
    let dir = template(
        &s,
        "parent",
        "name: parent\nparams:\n  word: { type: string, default: hello }\nsteps:\n  - id: sub\n    uses: flow\n    with:\n      flow: child\n      params: { word: '${{ params.word }}' }\n    outputs: [run_id]\n  - id: after\n    uses: shell\n    needs: [sub]\n    with: { run: 'echo \"$MAESTRO_STEP_SUB_RUN_ID\" > child-run.txt' }\n",
    );
    let (code, _, err) = run_json(&s, &["parent", "--templates", &dir]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(s.home().join("child.log")).unwrap(),
        "hello\n"
    );
    let child_run = std::fs::read_to_string(s.home().join("child-run.txt")).unwrap();
    let r = s.json(ADMIN, &["flow:status", child_run.trim()]);
    assert_eq!(r["flow"], "child");
    assert_eq!(r["status"], "succeeded");
}

/// With `RUST_BACKTRACE=1` the binary turns library backtraces off for itself (they made
/// regorus twice as slow), but a shell step still sees the environment it was given.
#[test]
fn steps_see_the_backtrace_variables_as_given() {
    let s = Sandbox::initialised();
    let dir = template(
        &s,
        "env",
        "name: env\nsteps:\n  - id: show\n    uses: shell\n    with:\n      run: echo \"bt=${RUST_BACKTRACE:-unset} lib=${RUST_LIB_BACKTRACE:-unset}\"\n",
    );
    for (lib, want) in [(None, "bt=1 lib=unset\n"), (Some("1"), "bt=1 lib=1\n")] {
        let mut cmd = s.cmd(Some(ADMIN));
        cmd.env("RUST_BACKTRACE", "1");
        if let Some(lib) = lib {
            cmd.env("RUST_LIB_BACKTRACE", lib);
        }
        let out = cmd
            .args(["flow:run", "env", "--templates", &dir, "--output", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let lines: Vec<Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let a = attempts(&s, report(&lines)["run_id"].as_str().unwrap(), "show");
        assert_eq!(a[0]["stdout"], want);
    }
}

/// A run id may be given by its start (four characters at least), as git takes a commit's;
/// a start shared by several runs the actor may see is refused naming them, and runs of
/// other tenants are neither counted nor named.
#[test]
fn a_run_is_named_by_the_start_of_its_id() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.create("beta", "eu-west-1", "bob@beta.example");
    let id_of = |tenant: &str| -> String {
        s.db()
            .query_row(
                "SELECT id FROM flow_runs WHERE tenant_id = ?1",
                [tenant],
                |r| r.get(0),
            )
            .unwrap()
    };
    let (acme, beta) = (id_of("acme"), id_of("beta"));
    let shared: String = acme
        .chars()
        .zip(beta.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a)
        .collect();
    assert!(shared.len() >= 4, "{acme} {beta}");
    let start = &shared[..4];
    let status = |actor: &str, id: &str| s.run(actor, &["flow:status", id, "-o", "json"]);
    let unique = &acme[..acme.len() - 4];
    let report: serde_json::Value = serde_json::from_str(&status(ADMIN, unique).stdout).unwrap();
    assert_eq!(report["run_id"], acme.as_str());
    let (first, second) = if acme < beta {
        (&acme, &beta)
    } else {
        (&beta, &acme)
    };
    s.run(ADMIN, &["flow:status", start]).assert_error(
        1,
        &format!("`{start}` starts 2 runs: {first}, {second}"),
        Some("give more of the run id (`maestro-cli flow:runs` lists them)"),
    );
    // bob sees beta's run alone: the same start is his one run.
    let report: serde_json::Value =
        serde_json::from_str(&status("bob@beta.example", start).stdout).unwrap();
    assert_eq!(report["run_id"], beta.as_str());
    // Too short to stand for a run.
    s.run(ADMIN, &["flow:status", &acme[..3]]).assert_error(
        1,
        &format!("no run `{}`", &acme[..3]),
        Some("list runs with `maestro-cli flow:runs`"),
    );
    let logs = s.run(ADMIN, &["flow:logs", unique]);
    assert_eq!(logs.code, 0, "{}", logs.stderr);
}
