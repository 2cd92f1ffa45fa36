//! SIGKILL at random points of the commands that write, then the rerun or resume.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{Rng, Tier, git_repo, kill_after, rows, span, state_is_whole};
use crate::support::{ADMIN, Sandbox};

/// Four layers of four shell steps with a join between layers. Each attempt holds a lock on
/// its step (`flock -n`) while it runs: an attempt that finds the lock held overlaps another
/// attempt of the same step, and says so in `overlap.log`.
fn crashy() -> String {
    let run = "l=\"$MAESTRO_PARAM_DIR/$MAESTRO_RUN_ID-$MAESTRO_STEP_ID.lock\"; \
               flock -n \"$l\" sh -c \"echo $MAESTRO_RUN_ID $MAESTRO_STEP_ID $MAESTRO_ATTEMPT >> '$MAESTRO_PARAM_DIR/ran.log'; sleep 0.05\" \
               || echo $MAESTRO_RUN_ID $MAESTRO_STEP_ID $MAESTRO_ATTEMPT >> \"$MAESTRO_PARAM_DIR/overlap.log\"";
    let mut y =
        String::from("name: crashy\nparams:\n  dir: { type: string, required: true }\nsteps:\n");
    for layer in 0..4 {
        for i in 0..4 {
            y.push_str(&format!(
                "  - id: s{layer}-{i}\n    uses: shell\n    with:\n      run: |\n        {run}\n"
            ));
            if layer > 0 {
                y.push_str(&format!("    needs: [join{}]\n", layer - 1));
            }
        }
        let needs: Vec<String> = (0..4).map(|i| format!("s{layer}-{i}")).collect();
        y.push_str(&format!(
            "  - id: join{layer}\n    uses: noop\n    needs: [{}]\n",
            needs.join(", ")
        ));
    }
    y
}

fn run_status(s: &Sandbox, run: &str) -> String {
    s.db()
        .query_row("SELECT status FROM flow_runs WHERE id = ?1", [run], |r| {
            r.get(0)
        })
        .expect("run")
}

/// `flow:run` killed at random, then `flow:resume` (itself killed half the time) until the run
/// succeeds: no step runs again once recorded as succeeded, every execution has its attempt
/// recorded, and no two attempts of a step overlap.
pub fn flow_run(tier: &Tier) -> String {
    let s = Sandbox::real_clock();
    let flows = s.home().join("flows");
    std::fs::create_dir_all(&flows).unwrap();
    std::fs::write(flows.join("crashy.yaml"), crashy()).unwrap();
    let flows = flows.display().to_string();
    let dir = format!("dir={}", s.home().display());
    let args = [
        "flow:run",
        "crashy",
        "--templates",
        &flows,
        "-p",
        &dir,
        "--jobs",
        "3",
    ];
    let window = span(
        || {
            let t = Sandbox::real_clock();
            std::fs::create_dir_all(t.home().join("flows")).unwrap();
            std::fs::write(t.home().join("flows/crashy.yaml"), crashy()).unwrap();
            t
        },
        &[
            "flow:run",
            "crashy",
            "--templates",
            "flows",
            "-p",
            &dir,
            "--jobs",
            "3",
        ],
    );
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut runs, mut kills, mut resumes) = (Vec::new(), 0, 0);
    for _ in 0..tier.rounds {
        let before = s.newest_run();
        kills += usize::from(kill_after(&s, &args, rng.below(window)));
        let run = s.newest_run();
        if run == before {
            continue; // killed before the run was recorded: nothing to resume
        }
        let run = run.unwrap();
        let mut tries = 0;
        while run_status(&s, &run) != "succeeded" {
            tries += 1;
            assert!(tries < 50, "run {run} never completed");
            resumes += 1;
            let resume = ["flow:resume", run.as_str()];
            if rng.next().is_multiple_of(2) {
                kill_after(&s, &resume, rng.below(window));
            } else {
                let out = s.run(ADMIN, &resume);
                assert!(
                    out.code == 0 || out.stderr.contains("is being executed"),
                    "{}",
                    out.stderr
                );
            }
        }
        runs.push(run);
    }
    let overlaps = std::fs::read_to_string(s.home().join("overlap.log")).unwrap_or_default();
    assert_eq!(overlaps, "", "attempts of one step overlapped");
    let ran = std::fs::read_to_string(s.home().join("ran.log")).unwrap_or_default();
    let mut executions: BTreeMap<(String, String), Vec<i64>> = BTreeMap::new();
    for line in ran.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        executions
            .entry((f[0].into(), f[1].into()))
            .or_default()
            .push(f[2].parse().unwrap());
    }
    let db = s.db();
    for run in &runs {
        let mut stmt = db
            .prepare("SELECT step_id, attempt, status FROM flow_attempts WHERE run_id = ?1")
            .unwrap();
        let mut attempts: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
        for row in stmt
            .query_map([run], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
        {
            let (step, n, status): (String, i64, String) = row.unwrap();
            attempts.entry(step).or_default().push((n, status));
        }
        assert_eq!(attempts.len(), 20, "run {run}: every step has attempts");
        for (step, list) in attempts.iter().filter(|(s, _)| !s.starts_with("join")) {
            let ok: Vec<i64> = list
                .iter()
                .filter(|(_, st)| st == "succeeded")
                .map(|(n, _)| *n)
                .collect();
            assert_eq!(ok.len(), 1, "run {run} step {step}: {list:?}");
            let ran = executions
                .get(&(run.clone(), step.clone()))
                .cloned()
                .unwrap_or_default();
            assert!(
                !ran.is_empty(),
                "run {run} step {step} succeeded without running"
            );
            for n in &ran {
                assert!(
                    list.iter().any(|(m, _)| m == n),
                    "run {run} step {step}: {n} unrecorded"
                );
                assert!(
                    *n <= ok[0],
                    "run {run} step {step}: ran again after it succeeded"
                );
            }
        }
    }
    state_is_whole(&s);
    format!(
        "{} runs, {kills} killed mid-flight, {resumes} resumes, 0 overlaps, 0 reruns after success",
        runs.len()
    )
}

const COST_CONFIG: &str = "[cost]\ntenant_tag = \"business_unit\"\nservice_tag = \"application\"\nenv_tag = \"environment\"\n\n[cost.tenants]\nPeoriaData = \"peoria\"\nTempeAI = \"tempe\"\nLipaData = \"lipa\"\n";

const COST_TABLES: [&str; 5] = [
    "cost_files",
    "cost_daily",
    "cost_drivers",
    "cost_monthly",
    "cost_drivers_monthly",
];

/// The shared FOCUS sample's rows `copies` times over, one file.
fn big_focus(dir: &Path, copies: usize) -> PathBuf {
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/focus/focus_sample_1000.csv"),
    )
    .unwrap();
    let (header, body) = sample.split_once('\n').unwrap();
    let mut text = format!("{header}\n");
    for _ in 0..copies {
        text.push_str(body);
        if !body.ends_with('\n') {
            text.push('\n');
        }
    }
    let path = dir.join("big.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn cost_sandbox() -> Sandbox {
    let s = Sandbox::initialised();
    std::fs::write(s.home().join("maestro.toml"), COST_CONFIG).unwrap();
    s
}

/// The stored cost rows, `ingested_at` left out (the fixed clock makes it the same anyway).
fn cost_state(s: &Sandbox) -> Vec<Vec<String>> {
    COST_TABLES.iter().map(|t| rows(s, t)).collect()
}

/// `cost:ingest` killed at random: the state holds the whole file or none of it, and the
/// ingest run again stores exactly what a clean one does.
pub fn cost_ingest(tier: &Tier) -> String {
    let files = tempfile::tempdir().unwrap();
    let big = big_focus(files.path(), 15);
    let big = big.to_str().unwrap();
    let args = ["cost:ingest", big];
    let clean = cost_sandbox();
    clean.ok(ADMIN, &args);
    let whole = cost_state(&clean);
    let empty = cost_state(&cost_sandbox());
    let window = span(cost_sandbox, &args);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut kills, mut partial) = (0, 0);
    for _ in 0..tier.rounds {
        let s = cost_sandbox();
        kills += usize::from(kill_after(&s, &args, rng.below(window)));
        let after = cost_state(&s);
        if after != whole && after != empty {
            partial += 1;
        }
        s.ok(ADMIN, &args);
        assert_eq!(
            cost_state(&s),
            whole,
            "the ingest after a kill differs from a clean one"
        );
        state_is_whole(&s);
    }
    assert_eq!(partial, 0, "partial totals were visible after a kill");
    format!(
        "{} rounds, {kills} killed mid-ingest, 0 partial totals",
        tier.rounds
    )
}

/// `signals:mine` killed at random: mining again gives what a clean mine gives.
pub fn signals_mine(tier: &Tier) -> String {
    let repos = tempfile::tempdir().unwrap();
    let repo = repos.path().join("app");
    git_repo(&repo, 2000);
    let repo = repo.to_str().unwrap();
    let args = ["signals:mine", "--repo", repo, "--tenant", "acme"];
    let fresh = || {
        let s = Sandbox::initialised();
        s.create("acme", "eu-west-1", "alice@acme.example");
        s
    };
    let report = |s: &Sandbox| s.json(ADMIN, &["signals:report", "--by", "day"]);
    let clean = fresh();
    clean.ok(ADMIN, &args);
    let want = report(&clean);
    assert!(want.as_array().is_some_and(|a| a.len() > 100), "{want}");
    let window = span(fresh, &args);
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut kills = 0;
    for _ in 0..tier.rounds {
        let s = fresh();
        kills += usize::from(kill_after(&s, &args, rng.below(window)));
        s.ok(ADMIN, &args);
        assert_eq!(
            report(&s),
            want,
            "mining after a kill differs from a clean mine"
        );
        state_is_whole(&s);
    }
    format!(
        "{} rounds, {kills} killed mid-mine, 0 differences",
        tier.rounds
    )
}

/// `pack:export` killed at random: the pack's final name holds a whole pack or nothing.
pub fn pack_export(tier: &Tier) -> String {
    let fresh = || {
        let s = Sandbox::initialised();
        s.create("acme", "eu-west-1", "alice@acme.example");
        for i in 0..40 {
            s.ok(
                ADMIN,
                &["tenant:update", "acme", "--name", &format!("Acme {i}")],
            );
        }
        s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
        s.checkpoint();
        s
    };
    let mut args = crate::common::EXPORT_ACME.to_vec();
    args.push("acme.tar.gz");
    let verify = [
        "pack:verify",
        "acme.tar.gz",
        "--pubkey",
        "keys/maestro-pack.pub",
    ];
    let window = span(fresh, &args);
    let mut rng = Rng(0x0bad_cafe_f00d_d00d);
    let (mut kills, mut present) = (0, 0);
    for _ in 0..tier.rounds {
        let s = fresh();
        kills += usize::from(kill_after(&s, &args, rng.below(window)));
        if s.home().join("acme.tar.gz").exists() {
            present += 1;
            s.ok(ADMIN, &verify);
        }
        crate::common::export_acme(&s, "again.tar.gz");
        s.ok(
            ADMIN,
            &[
                "pack:verify",
                "again.tar.gz",
                "--pubkey",
                "keys/maestro-pack.pub",
            ],
        );
        state_is_whole(&s);
    }
    format!(
        "{} rounds, {kills} killed mid-export, {present} packs under their name (all verify), 0 partial",
        tier.rounds
    )
}
