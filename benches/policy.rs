//! Governance benchmarks, whole process (the real binary, a fresh state):
//!
//! (a) one `policy:check deploy` (goal: median ≤ 5 ms), its decisions remembered from the
//!     first (see `policy::cache`), beside `--version` as the floor of one process;
//! (b) `policy:check --input-lines` with 100,000 decisions, every one logged and chained
//!     (goal: ≥ 100,000 decisions/s): lines alternating between two inputs (a repeated input
//!     is evaluated once), then 100,000 distinct lines; and `policy:eval` on the first lines
//!     (evaluation only, every line evaluated).
//!
//! `cargo bench --bench policy`; results go to BENCHMARKS.md by hand.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn run(bin: &Path, home: &Path, args: &[&str]) -> (Duration, bool) {
    let start = Instant::now();
    let status = Command::new(bin)
        .args(args)
        .env("MAESTRO_HOME", home)
        .env("MAESTRO_ACTOR", "bench@example.com")
        .env_remove("RUST_BACKTRACE")
        .current_dir(home)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    (
        start.elapsed(),
        status.code() == Some(0) || status.code() == Some(3),
    )
}

/// Writes 100,000 deploy inputs alternating between two clusters (`extra(i)` adds fields to
/// line `i`) to `name` and times `policy:check --input-lines` on them.
fn batch(bin: &Path, home: &Path, name: &str, extra: impl Fn(usize) -> String) -> Duration {
    let lines: String = (0..100_000)
        .map(|i| {
            format!(
                "{{\"action\":\"deploy\",\"tenant\":\"acme\",{}\"cluster\":\"{}\"}}\n",
                extra(i),
                if i % 2 == 0 { "eu-prod-1" } else { "us-prod-1" }
            )
        })
        .collect();
    std::fs::write(home.join(name), lines).unwrap();
    let (t, ok) = run(
        bin,
        home,
        &[
            "-q",
            "policy:check",
            "--input-lines",
            name,
            "--query",
            "data.maestro.residency",
            "--output",
            "json",
        ],
    );
    assert!(ok);
    t
}

fn main() {
    let bin = common::binary();
    let bin = bin.as_path();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("maestro.toml"),
        "[platform.clusters]\neu-prod-1 = { region = \"eu-west-1\" }\nus-prod-1 = { region = \"us-east-1\" }\n",
    )
    .unwrap();
    let (_, ok) = run(
        bin,
        home.path(),
        &[
            "tenant:create",
            "acme",
            "--regions",
            "eu-west-1",
            "--admin",
            "a@acme.example",
        ],
    );
    assert!(ok);
    let check = [
        "policy:check",
        "deploy",
        "--tenant",
        "acme",
        "--service",
        "api",
        "--env",
        "prod",
        "--cluster",
        "us-prod-1",
    ];
    for _ in 0..3 {
        run(bin, home.path(), &check);
    }
    // The first check decided both questions; the rest read them back (policy::cache), as a
    // deploy gate run by every pipeline does. `--version` (process start, clap, nothing
    // else) is timed in the same loop: the floor of one process on this machine right now.
    let mut times = Vec::new();
    let mut floor = Vec::new();
    for _ in 0..101 {
        times.push(run(bin, home.path(), &check).0);
        floor.push(run(bin, home.path(), &["--version"]).0);
    }
    let ms = |v: &mut Vec<Duration>, q: usize| {
        v.sort();
        v[v.len() * q / 100].as_secs_f64() * 1e3
    };
    println!(
        "(a) policy:check deploy, whole process: median {:.1} ms over 101 runs, p10 {:.1}, p90 {:.1} (goal <= 5 ms); `--version` median {:.1} ms",
        ms(&mut times, 50),
        ms(&mut times, 10),
        ms(&mut times, 90),
        ms(&mut floor, 50),
    );

    let t = batch(bin, home.path(), "lines.jsonl", |_| String::new());
    println!(
        "(b) policy:check --input-lines, 100,000 decisions logged: {:.2} s = {:.0} decisions/s (goal >= 100,000/s)",
        t.as_secs_f64(),
        100_000.0 / t.as_secs_f64()
    );
    // The same count with every line distinct (its own service): no line repeats, so each
    // one is evaluated — the batch without the help of repeated inputs.
    let t = batch(bin, home.path(), "distinct.jsonl", |i| {
        format!("\"service\":\"svc-{i}\",")
    });
    println!(
        "(b) the same, 100,000 distinct lines (each evaluated): {:.2} s = {:.0} decisions/s",
        t.as_secs_f64(),
        100_000.0 / t.as_secs_f64()
    );
    let (t, ok) = run(
        bin,
        home.path(),
        &[
            "policy:eval",
            "--query",
            "data.maestro.residency.decision",
            "--input-lines",
            "lines.jsonl",
        ],
    );
    assert!(ok);
    println!(
        "    policy:eval (evaluation only, no state, no log): {:.2} s = {:.0} decisions/s",
        t.as_secs_f64(),
        100_000.0 / t.as_secs_f64()
    );
}
