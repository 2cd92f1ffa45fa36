//! Flow engine benchmarks, whole process (the real binary, a fresh state per sample):
#![allow(clippy::print_stdout, clippy::unwrap_used)]
//!
//! (a) `flow:run` of 1,000 `noop` steps in a wide DAG (root → 998 in parallel → sink), with
//!     durable checkpoints (WAL, synchronous=FULL). Goal: ≤ 1 s.
//! (b) 200 `shell` steps running `true` with `--jobs 2`, against `seq 200 | xargs -P2 -n1 true`
//!     measured in the same run. Goal: ≤ 1.5× xargs.
//!
//! `cargo bench --bench flow`; results go to BENCHMARKS.md by hand (machine, date, figures).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SAMPLES: usize = 15;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn wide_noop(n: usize) -> String {
    let mut y = String::from("name: wide\nsteps:\n  - { id: root, uses: noop }\n");
    for i in 0..n - 2 {
        y.push_str(&format!("  - {{ id: s{i}, uses: noop, needs: [root] }}\n"));
    }
    let all: Vec<String> = (0..n - 2).map(|i| format!("s{i}")).collect();
    y.push_str(&format!(
        "  - {{ id: sink, uses: noop, needs: [{}] }}\n",
        all.join(", ")
    ));
    y
}

fn shell_true(n: usize) -> String {
    let mut y = String::from("name: shells\nsteps:\n");
    for i in 0..n {
        y.push_str(&format!(
            "  - {{ id: s{i}, uses: shell, with: {{ run: 'true' }} }}\n"
        ));
    }
    y
}

fn run_flow(bin: &Path, file: &Path, jobs: &str) -> Duration {
    let home = tempfile::tempdir().expect("tempdir");
    let start = Instant::now();
    let status = Command::new(bin)
        .args(["--quiet", "flow:run"])
        .arg(file)
        .args(["--jobs", jobs])
        .env("MAESTRO_HOME", home.path())
        .env("MAESTRO_ACTOR", "bench@example.com")
        .stdout(Stdio::null())
        .status()
        .expect("run maestro-cli");
    let took = start.elapsed();
    assert!(status.success(), "flow:run failed");
    took
}

fn xargs_true(n: usize) -> Duration {
    let start = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("seq {n} | xargs -P2 -n1 true"))
        .status()
        .expect("xargs");
    let took = start.elapsed();
    assert!(status.success());
    took
}

fn main() {
    let bin = common::binary();
    let bin = bin.as_path();
    let dir = tempfile::tempdir().expect("tempdir");
    let wide = dir.path().join("wide.yaml");
    std::fs::write(&wide, wide_noop(1000)).expect("write");
    let shells = dir.path().join("shells.yaml");
    std::fs::write(&shells, shell_true(200)).expect("write");

    let a: Vec<Duration> = (0..SAMPLES).map(|_| run_flow(bin, &wide, "4")).collect();
    let a = median(a);
    println!(
        "(a) 1000 noop steps, wide DAG, whole process: median {:.1} ms over {SAMPLES} runs (goal <= 1000 ms)",
        a.as_secs_f64() * 1e3
    );

    let mut b = Vec::new();
    let mut x = Vec::new();
    for _ in 0..SAMPLES {
        b.push(run_flow(bin, &shells, "2"));
        x.push(xargs_true(200));
    }
    let (b, x) = (median(b), median(x));
    println!(
        "(b) 200 shell `true` steps, --jobs 2: median {:.1} ms; seq 200 | xargs -P2 -n1 true: median {:.1} ms; ratio {:.2} (goal <= 1.5)",
        b.as_secs_f64() * 1e3,
        x.as_secs_f64() * 1e3,
        b.as_secs_f64() / x.as_secs_f64()
    );
}
