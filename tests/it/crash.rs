//! Crash-resume at the worst moments, made deterministic: right after a step's process
//! started (the step says so by a file), and between a step's process starting and its
//! attempt being committed (the test holds the state's write lock). SIGKILL at random
//! moments, many rounds, is the reliability battery's `kill flow:run` (`tests/reliability/`).

use std::cell::RefCell;
use std::process::{Child, Stdio};

use crate::support::{ADMIN, Sandbox, wait_until};

fn templates_with(s: &Sandbox, name: &str, yaml: &str) -> String {
    let dir = s.home().join("flows");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.yaml")), yaml).unwrap();
    dir.display().to_string()
}

fn background(s: &Sandbox, args: &[&str]) -> Child {
    s.std_cmd(Some(ADMIN))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until `condition` holds or `child` has exited, whichever comes first (a minute at
/// most); says whether the condition held.
fn wait_unless_exited(what: &str, child: &mut Child, condition: impl Fn() -> bool) -> bool {
    let child = RefCell::new(child);
    let exited = || child.borrow_mut().try_wait().unwrap().is_some();
    wait_until(what, || condition() || exited());
    condition()
}

/// The processes on the machine that have not exited (zombies, exited but not reaped, are
/// left out): `(pid, process group, environment)`.
fn live_processes() -> Vec<(i32, i32, Vec<String>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap() {
        let Ok(pid) = entry.unwrap().file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        if matches!(fields[0], "Z" | "X") {
            continue;
        }
        let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        let env = env
            .split(|b| *b == 0)
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .collect();
        found.push((pid, fields[2].parse().unwrap(), env));
    }
    found
}

/// The live processes of process group `pgid`.
fn live_in_group(pgid: i32) -> Vec<i32> {
    live_processes()
        .into_iter()
        .filter(|(_, g, _)| *g == pgid)
        .map(|(p, _, _)| p)
        .collect()
}

/// The live processes started for step `step` of run `run`.
fn live_for_step(run: &str, step: &str) -> Vec<i32> {
    let (run, step) = (
        format!("MAESTRO_RUN_ID={run}"),
        format!("MAESTRO_STEP_ID={step}"),
    );
    live_processes()
        .into_iter()
        .filter(|(_, _, env)| env.contains(&run) && env.contains(&step))
        .map(|(p, _, _)| p)
        .collect()
}

/// Each attempt logs its start with its process id (its process group's), says it runs, and
/// keeps running until the test says `go`: an attempt left alive would overlap the next.
/// (It also stops when the sandbox is gone, so a failed test leaves nothing behind.)
const LONG_STEP: &str = "name: once\nsteps:\n  - id: work\n    uses: shell\n    with:\n      run: |\n        echo \"start $MAESTRO_ATTEMPT $$\" >> work.log\n        touch ready.$MAESTRO_ATTEMPT\n        while [ ! -e go ] && [ -e \"$MAESTRO_HOME\" ]; do sleep 0.05; done\n        echo \"end $MAESTRO_ATTEMPT\" >> work.log\n";

/// `flow:run` killed with SIGKILL while its step runs: the step's process outlives it, and
/// `flow:resume` kills it (and sees it gone) before the step's second attempt starts.
#[test]
fn resume_kills_the_orphan_of_a_sigkilled_runner_before_the_step_runs_again() {
    let s = Sandbox::real_clock();
    let dir = templates_with(&s, "once", LONG_STEP);
    let mut runner = background(&s, &["flow:run", "once", "--templates", &dir]);
    wait_until("attempt 1 to run", || s.home().join("ready.1").exists());
    runner.kill().unwrap();
    runner.wait().unwrap();
    let run = s.newest_run().unwrap();
    let log = || std::fs::read_to_string(s.home().join("work.log")).unwrap();
    let first: i32 = log().trim().rsplit(' ').next().unwrap().parse().unwrap();
    assert!(
        !live_in_group(first).is_empty(),
        "attempt 1 did not outlive its runner: nothing to test"
    );

    let mut resume = background(&s, &["flow:resume", &run]);
    let second_ran = wait_unless_exited("attempt 2 to run", &mut resume, || {
        s.home().join("ready.2").exists()
    });
    // What is left of attempt 1 while attempt 2 runs.
    let beside = live_in_group(first);
    std::fs::write(s.home().join("go"), "").unwrap();
    let status = resume.wait().unwrap();
    assert!(
        beside.is_empty(),
        "attempt 1 (process group {first}) still ran beside attempt 2: {beside:?}"
    );
    assert!(second_ran && status.success(), "resume: {status}");
    let log = log();
    let lines: Vec<&str> = log.lines().collect();
    assert!(
        lines.len() == 3
            && lines[0] == format!("start 1 {first}")
            && lines[1].starts_with("start 2 ")
            && lines[2] == "end 2",
        "{log}"
    );

    let db = s.db();
    let attempts: Vec<(i64, String, Option<i64>)> = db
        .prepare(
            "SELECT attempt, status, pid FROM flow_attempts WHERE run_id = ?1 ORDER BY attempt",
        )
        .unwrap()
        .query_map([&run], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        attempts[0],
        (1, "interrupted".into(), Some(i64::from(first)))
    );
    assert_eq!((attempts[1].0, attempts[1].1.as_str()), (2, "succeeded"));
    let audit = s.json(ADMIN, &["audit:log"]);
    let resumed = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "flow.run.resume")
        .unwrap();
    assert_eq!(
        resumed["details"]["killed"],
        serde_json::json!([{"step": "work", "attempt": 1, "pgid": first}])
    );
    assert!(live_in_group(first).is_empty());
    let report = s.json(ADMIN, &["audit:verify"]);
    assert_eq!(report["ok"], true);
}

/// The runner dies after it started a step's process but before it could record it (the test
/// holds the state's write lock): the process never runs the step, and the resumed run runs
/// it once.
#[test]
fn a_step_started_but_not_yet_recorded_never_runs_when_its_runner_dies() {
    let s = Sandbox::real_clock();
    let dir = templates_with(
        &s,
        "window",
        "name: window\nsteps:\n  - id: a\n    uses: shell\n    with:\n      run: |\n        touch a.ready\n        while [ ! -e go ] && [ -e \"$MAESTRO_HOME\" ]; do sleep 0.05; done\n  - id: b\n    uses: shell\n    needs: [a]\n    with: { run: 'echo \"$MAESTRO_ATTEMPT\" >> b.log' }\n",
    );
    let mut runner = background(&s, &["flow:run", "window", "--templates", &dir]);
    wait_until("step a to run", || s.home().join("a.ready").exists());
    let run = s.newest_run().unwrap();
    let lock = s.db();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    // `a` ends; the runner starts `b`'s process and then waits for the lock to record it.
    std::fs::write(s.home().join("go"), "").unwrap();
    let ran = || s.home().join("b.log").exists();
    let started = wait_unless_exited("b's process to start", &mut runner, || {
        ran() || !live_for_step(&run, "b").is_empty()
    });
    assert!(started, "the runner ended before it started b");
    assert!(!ran(), "b ran before its attempt was recorded");
    let recorded: i64 = lock
        .query_row(
            "SELECT count(*) FROM flow_attempts WHERE run_id = ?1 AND step_id = 'b'",
            [&run],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(recorded, 0);

    runner.kill().unwrap();
    runner.wait().unwrap();
    wait_until("b's process to exit", || {
        live_for_step(&run, "b").is_empty()
    });
    lock.execute_batch("ROLLBACK").unwrap();
    drop(lock);
    assert!(!ran(), "b ran after its runner died without recording it");

    s.ok(ADMIN, &["flow:resume", &run]);
    assert_eq!(
        std::fs::read_to_string(s.home().join("b.log")).unwrap(),
        "1\n"
    );
    let r = s.json(ADMIN, &["flow:status", &run]);
    assert_eq!(r["status"], "succeeded");
}

/// `flow:status --watch` shows the run as it changes and ends with it; on a run whose
/// process was killed it ends at once, saying to resume.
#[test]
fn watching_a_run_follows_it_to_its_end() {
    let s = Sandbox::real_clock();
    let dir = templates_with(&s, "once", LONG_STEP);
    let mut runner = background(&s, &["flow:run", "once", "--templates", &dir]);
    wait_until("the step to run", || s.home().join("ready.1").exists());
    let run = s.newest_run().unwrap();
    let watcher = s
        .std_cmd(Some(ADMIN))
        .args(["flow:status", &run, "--watch", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::fs::write(s.home().join("go"), "").unwrap();
    assert!(runner.wait().unwrap().success());
    let out = watcher.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        reports.last().unwrap()["status"],
        "succeeded",
        "{reports:?}"
    );
    assert!(reports.iter().all(|r| r["run_id"] == run.as_str()));
    // Each line is a change.
    assert!(reports.windows(2).all(|w| w[0] != w[1]), "{reports:?}");

    // A run whose runner was killed: the watch ends at once, naming flow:resume.
    let _ = std::fs::remove_file(s.home().join("go"));
    let _ = std::fs::remove_file(s.home().join("ready.1"));
    let mut runner = background(&s, &["flow:run", "once", "--templates", &dir]);
    wait_until("the second run's step", || {
        s.newest_run().is_some_and(|r| r != run) && s.home().join("ready.1").exists()
    });
    let second = s.newest_run().unwrap();
    runner.kill().unwrap();
    runner.wait().unwrap();
    let stuck = s.run(ADMIN, &["flow:status", &second, "--watch"]);
    assert_eq!(stuck.code, 1, "{}", stuck.stderr);
    assert!(
        stuck
            .stderr
            .contains(&format!("maestro-cli flow:resume {second}")),
        "{}",
        stuck.stderr
    );
    std::fs::write(s.home().join("go"), "").unwrap();
}

/// `flow:logs --follow` prints each attempt once as it finishes and ends with the run.
#[test]
fn following_a_run_prints_each_attempt_as_it_finishes() {
    let s = Sandbox::real_clock();
    let two = "name: two\nsteps:\n  - id: first\n    uses: shell\n    with: { run: 'echo one' }\n  - id: second\n    uses: shell\n    needs: [first]\n    with:\n      run: |\n        touch ready.2\n        while [ ! -e go ] && [ -e \"$MAESTRO_HOME\" ]; do sleep 0.05; done\n        echo two\n";
    let dir = templates_with(&s, "two", two);
    let mut runner = background(&s, &["flow:run", "two", "--templates", &dir]);
    wait_until("the second step to run", || {
        s.home().join("ready.2").exists()
    });
    let run = s.newest_run().unwrap();
    let follower = s
        .std_cmd(Some(ADMIN))
        .args(["flow:logs", &run, "--follow"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::fs::write(s.home().join("go"), "").unwrap();
    assert!(runner.wait().unwrap().success());
    let out = follower.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "==> first attempt 1 (succeeded, exit 0) <==\n--- stdout\none\n\
         ==> second attempt 1 (succeeded, exit 0) <==\n--- stdout\ntwo\n"
    );
    let nosuch = s.run(ADMIN, &["flow:logs", &run, "third", "--follow"]);
    assert_eq!(nosuch.code, 1, "{}", nosuch.stderr);
    assert!(
        nosuch
            .stderr
            .starts_with(&format!("error: run `{run}` has no step `third`\n")),
        "{}",
        nosuch.stderr
    );
}
