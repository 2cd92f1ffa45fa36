//! Crash-resume: `flow:run` (and `flow:resume`) killed with SIGKILL at random moments, then
//! resumed until done. Every run must complete, no step may run after it was recorded as
//! succeeded, every execution must have its attempt recorded, and the audit chain must hold.
//! `MAESTRO_CRASH_ITERATIONS=200 cargo test crash` for the long mode (default 20).

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use crate::support::{ADMIN, Sandbox};

/// A wide and deep flow: 4 layers of shell steps with a noop in between.
fn template() -> String {
    let mut y = String::from("name: crashy\nsteps:\n");
    let run = "echo \"$MAESTRO_RUN_ID $MAESTRO_STEP_ID $MAESTRO_ATTEMPT\" >> ran.log; sleep 0.02";
    for layer in 0..4 {
        for i in 0..4 {
            y.push_str(&format!(
                "  - id: s{layer}-{i}\n    uses: shell\n    with: {{ run: '{run}' }}\n"
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

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn newest_run(s: &Sandbox) -> Option<String> {
    s.db()
        .query_row(
            "SELECT id FROM flow_runs ORDER BY created_at DESC, id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .ok()
}

fn status(s: &Sandbox, run: &str) -> String {
    s.db()
        .query_row("SELECT status FROM flow_runs WHERE id = ?1", [run], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn sigkill_at_random_moments_then_resume() {
    let iterations: usize = std::env::var("MAESTRO_CRASH_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let s = Sandbox::real_clock();
    let dir = s.home().join("flows");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("crashy.yaml"), template()).unwrap();
    let dir = dir.display().to_string();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut runs = Vec::new();
    let mut kills = 0;
    for _ in 0..iterations {
        let before = newest_run(&s);
        let mut child = s
            .std_cmd(Some(ADMIN))
            .args(["flow:run", "crashy", "--templates", &dir, "--jobs", "3"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.next() % 300));
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
        let run = newest_run(&s);
        if run == before {
            continue; // killed before the run was recorded: nothing to resume
        }
        let run = run.unwrap();
        let mut tries = 0;
        while status(&s, &run) != "succeeded" {
            tries += 1;
            assert!(tries < 30, "run {run} never completed");
            let mut resume = s
                .std_cmd(Some(ADMIN))
                .args(["flow:resume", &run])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            if rng.next().is_multiple_of(2) {
                std::thread::sleep(Duration::from_millis(rng.next() % 200));
                let _ = resume.kill();
            }
            resume.wait().unwrap();
        }
        runs.push(run);
    }
    assert!(
        kills >= iterations / 2,
        "only {kills} of {iterations} runs were killed mid-flight"
    );
    // Let orphaned step processes of killed runners finish writing.
    std::thread::sleep(Duration::from_millis(200));

    let log = std::fs::read_to_string(s.home().join("ran.log")).unwrap_or_default();
    let mut executions: BTreeMap<(String, String), Vec<i64>> = BTreeMap::new();
    for line in log.lines() {
        let mut parts = line.split(' ');
        let (run, step, attempt) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        executions
            .entry((run.into(), step.into()))
            .or_default()
            .push(attempt.parse().unwrap());
    }
    let db = s.db();
    for run in &runs {
        let mut stmt = db
            .prepare("SELECT step_id, attempt, status FROM flow_attempts WHERE run_id = ?1")
            .unwrap();
        let mut attempts: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
        for row in stmt
            .query_map([run], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .unwrap()
        {
            let (step, n, st) = row.unwrap();
            attempts.entry(step).or_default().push((n, st));
        }
        assert_eq!(attempts.len(), 20, "run {run}: every step has attempts");
        for (step, list) in &attempts {
            let succeeded: Vec<i64> = list
                .iter()
                .filter(|(_, st)| st == "succeeded")
                .map(|(n, _)| *n)
                .collect();
            assert_eq!(succeeded.len(), 1, "run {run} step {step}: {list:?}");
            let ok_at = succeeded[0];
            assert!(
                list.iter().all(|(n, _)| *n <= ok_at),
                "run {run} step {step}: an attempt after success: {list:?}"
            );
            if step.starts_with("join") {
                continue;
            }
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
                    "run {run} step {step}: execution {n} has no attempt record {list:?}"
                );
                assert!(
                    *n <= ok_at,
                    "run {run} step {step}: ran again (attempt {n}) after it succeeded at {ok_at}"
                );
            }
            let mut unique = ran.clone();
            unique.dedup();
            assert_eq!(
                unique.len(),
                ran.len(),
                "run {run} step {step}: one attempt ran twice: {ran:?}"
            );
        }
    }
    let report = s.json(ADMIN, &["audit:verify"]);
    assert_eq!(report["ok"], true);
}
