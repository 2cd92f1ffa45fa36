//! The opt-in opa-wasm engine against the default one, whole process (the release binary, the
//! same state): (a) one `policy:check deploy` — regorus; opa-wasm with its compiled module
//! cached; opa-wasm compiling it (cache removed before each run); (b) `--input-lines` of
//! 10,000 decisions, each logged, per decision. The module is the hand-written ABI fixture of
//! the tests (`tests/fixtures/opa_policy.wat`): its evaluation is trivial, so (b) measures the
//! engine's calling cost (JSON in and out of wasm memory), not Rego.
//! `cargo bench --features opa-wasm --bench opa_wasm`; figures go to BENCHMARKS.md by hand.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CONFIG: &str = "[platform.clusters]\neu-prod-1 = { region = \"eu-west-1\" }\n";

fn run(bin: &Path, home: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let status = Command::new(bin)
        .args(args)
        .env("MAESTRO_HOME", home)
        .env("MAESTRO_ACTOR", "ops@example.com")
        .env_remove("RUST_BACKTRACE")
        .current_dir(home)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.code().is_some_and(|c| c == 0 || c == 3), "{args:?}");
    start.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let bin = common::binary();
    let bin = bin.as_path();
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    std::fs::write(h.join("maestro.toml"), CONFIG).unwrap();
    let wat = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/opa_policy.wat"),
    )
    .unwrap();
    std::fs::write(
        h.join("policy.wasm"),
        wat::parse_str(wat.replace("__BUILTINS__", "{}")).unwrap(),
    )
    .unwrap();
    run(
        bin,
        h,
        &[
            "tenant:create",
            "acme",
            "--regions",
            "eu-west-1",
            "--admin",
            "a@acme.example",
        ],
    );
    let deploy = [
        "policy:check",
        "deploy",
        "--tenant",
        "acme",
        "--service",
        "api",
        "--env",
        "prod",
        "--cluster",
        "eu-prod-1",
    ];
    let wasm = ["--engine", "opa-wasm", "--bundle", "policy.wasm"];
    let with_wasm = [&deploy[..], &wasm[..]].concat();
    run(bin, h, &deploy);
    run(bin, h, &with_wasm);
    let regorus = median((0..31).map(|_| run(bin, h, &deploy)).collect());
    let cached = median((0..31).map(|_| run(bin, h, &with_wasm)).collect());
    let uncached = median(
        (0..11)
            .map(|_| {
                std::fs::remove_dir_all(h.join("cache")).unwrap();
                run(bin, h, &with_wasm)
            })
            .collect(),
    );
    println!(
        "one policy:check deploy (median): regorus {:.1} ms; opa-wasm cached {:.1} ms; opa-wasm compiling {:.1} ms",
        regorus.as_secs_f64() * 1e3,
        cached.as_secs_f64() * 1e3,
        uncached.as_secs_f64() * 1e3
    );
    let n = 10_000;
    let lines: String = (0..n)
        .map(|i| format!("{{\"action\":\"deploy\",\"tenant\":\"acme\",\"cluster\":\"eu-prod-1\",\"n\":{i}}}\n"))
        .collect();
    std::fs::write(h.join("batch.jsonl"), lines).unwrap();
    let batch = [
        "policy:check",
        "--input-lines",
        "batch.jsonl",
        "--query",
        "data.maestro.residency",
    ];
    let per = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(n);
    let regorus = run(bin, h, &batch);
    let wasm_batch = run(bin, h, &[&batch[..], &wasm[..]].concat());
    println!(
        "--input-lines {n} decisions, each logged: regorus {:.1} us/decision; opa-wasm {:.1} us/decision",
        per(regorus),
        per(wasm_batch)
    );
}
