//! Fuzzing of the parsers on the stable toolchain. The targets are `maestro_cli::fuzzing`
//! (each checks its invariants, see there); this binary drives them:
//!
//! - `cargo test --test fuzz` replays the committed corpus, `tests/fuzz/corpus/<target>/`
//!   (seeds cut from real inputs and the cases fuzzing found), and checks that freshly
//!   exported packs verify and that mutations of them are found out;
//! - `MAESTRO_FUZZ_SECS=120 cargo test --release --test fuzz -- --ignored --nocapture mutate`
//!   fuzzes each target for that long from its corpus (optionally `MAESTRO_FUZZ_TARGETS=
//!   focus,config` and `MAESTRO_FUZZ_SEED=n`), one line per target: execs, execs/s, corpus,
//!   failures. A failing input is minimised and written under `target/fuzz-failures/`.
//! - `MAESTRO_FUZZ_MINIMISE=<target>:<file> cargo test --release --test fuzz -- --ignored
//!   minimise` shrinks a failing input by hand.
//!
//! `tests/fuzz/known/<target>/` holds minimised inputs of bugs found and not yet fixed: a
//! test insists they still fail, so that whoever fixes one moves it into the corpus.
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod drive;
mod mutate;
mod packs;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use maestro_cli::fuzzing::{TARGETS, Target};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz")
}

fn target(name: &str) -> &'static Target {
    TARGETS
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no fuzz target `{name}`"))
}

/// The files of `dir`, sorted by name, with their bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn corpus(name: &str) -> Vec<(String, Vec<u8>)> {
    files(&fuzz_dir().join("corpus").join(name))
}

/// Every input of the target's corpus keeps its invariants.
fn replay(name: &str) {
    let t = target(name);
    let inputs = corpus(name);
    assert!(
        inputs.len() >= 20,
        "{name}: {} seeds, where a few dozen belong",
        inputs.len()
    );
    for (file, bytes) in inputs {
        if let Err(message) = drive::run_quietly(t, &bytes) {
            panic!("tests/fuzz/corpus/{name}/{file}: {message}");
        }
    }
}

#[test]
fn template() {
    replay("template");
}

#[test]
fn focus() {
    replay("focus");
}

#[test]
fn auth_log() {
    replay("auth_log");
}

#[test]
fn pack() {
    replay("pack");
}

#[test]
fn config() {
    replay("config");
}

/// How a known bug's input fails: some depend on how two threads share the work, so an input
/// gets a few runs to show it.
fn known_failure(t: &Target, bytes: &[u8]) -> Option<String> {
    (0..20).find_map(|_| drive::run_quietly(t, bytes).err())
}

/// The bugs found and not fixed yet still break their invariant; one that passes was fixed,
/// and belongs in the corpus now.
#[test]
fn known_bugs_still_fail() {
    for t in TARGETS {
        for (file, bytes) in files(&fuzz_dir().join("known").join(t.name)) {
            assert!(
                known_failure(t, &bytes).is_some(),
                "tests/fuzz/known/{}/{file} passes now: move it to tests/fuzz/corpus/{}/ \
                 and strike it from tests/fuzz/known/README.md",
                t.name,
                t.name
            );
        }
    }
}

/// The kinds of failure of the known bugs of `t` (`tests/fuzz/known/<target>/`).
fn known_bugs(t: &Target) -> HashSet<String> {
    files(&fuzz_dir().join("known").join(t.name))
        .iter()
        .filter_map(|(_, bytes)| known_failure(t, bytes))
        .map(|m| drive::kind(&m))
        .collect()
}

/// The bounded mutation run (`MAESTRO_FUZZ_SECS`, default 10 seconds per target).
#[test]
#[ignore = "a fuzzing run: MAESTRO_FUZZ_SECS=120 cargo test --release --test fuzz -- --ignored --nocapture mutate"]
fn mutate() {
    let secs: u64 = std::env::var("MAESTRO_FUZZ_SECS")
        .map(|s| s.parse().expect("MAESTRO_FUZZ_SECS: a number of seconds"))
        .unwrap_or(10);
    let only = std::env::var("MAESTRO_FUZZ_TARGETS").ok();
    let seed: u64 = std::env::var("MAESTRO_FUZZ_SEED")
        .map(|s| s.parse().expect("MAESTRO_FUZZ_SEED: a number"))
        .unwrap_or_else(|_| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    println!("seed {seed} (MAESTRO_FUZZ_SEED={seed} replays the choices)");
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
    let mut failed = Vec::new();
    for t in TARGETS {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|n| n == t.name))
        {
            continue;
        }
        let seeds: Vec<Vec<u8>> = corpus(t.name).into_iter().map(|(_, b)| b).collect();
        let stats = drive::fuzz(
            t,
            seeds,
            dictionary(t.name),
            &known_bugs(t),
            (secs, seed),
            &out.join(t.name),
        );
        println!("{}", stats.line(t.name));
        failed.extend(stats.failures.iter().map(|f| format!("{}: {f}", t.name)));
    }
    assert!(failed.is_empty(), "failures:\n{}", failed.join("\n"));
}

/// Shrinks one failing input (`MAESTRO_FUZZ_MINIMISE=<target>:<file>`), written beside it
/// as `<file>.min`.
#[test]
#[ignore = "a tool: MAESTRO_FUZZ_MINIMISE=<target>:<file> cargo test --test fuzz -- --ignored minimise"]
fn minimise() {
    let spec =
        std::env::var("MAESTRO_FUZZ_MINIMISE").expect("MAESTRO_FUZZ_MINIMISE=<target>:<file>");
    let (name, file) = spec.split_once(':').expect("<target>:<file>");
    let bytes = std::fs::read(file).unwrap();
    let t = target(name);
    let message = drive::run_quietly(t, &bytes).expect_err("the input passes");
    println!("{file}: {message}");
    let small = drive::minimise(t, &bytes, &message);
    std::fs::write(format!("{file}.min"), &small).unwrap();
    println!(
        "{} bytes -> {} bytes ({file}.min): {}",
        bytes.len(),
        small.len(),
        drive::run_quietly(t, &small).unwrap_err()
    );
}

/// Tokens each format gives meaning to, for the mutations to put in.
fn dictionary(name: &str) -> &'static [&'static [u8]] {
    match name {
        "template" => &[
            b"name: ", b"description: ", b"steps:\n", b"params:\n", b"- id: ", b"  - id: a\n    uses: noop\n",
            b"uses: ", b"needs: [", b"needs: []", b"with: {", b"with:\n", b"if: ", b"retry: ",
            b"retry: { max: 3, backoff: { initial: 10ms, factor: 2, max: 1s }, on: [1] }",
            b"max: ", b"backoff: ", b"initial: ", b"factor: ", b"timeout: ", b"5s", b"500ms",
            b"2h", b"continue_on_failure: true", b"outputs: [", b"type: int", b"type: list",
            b"type: bool", b"type: string", b"default: ", b"pattern: ", b"required: true",
            b"${{ params.x }}", b"${{ steps.a.outputs.v }}", b"steps.a.outcome == 'success'",
            b" && ", b" || ", b"!", b"==", b"params.", b"noop", b"shell", b"sleep", b"fail",
            b"deploy", b"policy", b"tenant-provision", b"tenant-delete", b"subflow", b"run: ",
            b"message: ", b"duration: ", b"code: ", b"&a ", b"*a", b"<<: *a", b"!!str ",
            b"!!binary ", b"!tag ", b"---\n", b"...\n", b"%YAML 1.2\n", b"? ", b"|\n", b">-\n",
            b"~", b"null", b"true", b"0x1f", b".inf", b".nan", b"'", b"\"", b"{", b"}", b"[",
            b"]", b", ", b": ", b"- ", b"#", b"\t", b"\r", b"\r\n", b"\xc2\x85",
            b"\xe2\x80\xa8", b"\xef\xbb\xbf", b"\xc3\xa9", b"\\u0000",
        ],
        "focus" => &[
            b",", b"\"", b"\"\"", b"\n", b"\r\n", b"\r", b"NULL", b"null", b"Requests",
            b"API Requests", b"Hours", b"2024-09-18 22:00:00", b"2024-02-29T00:00:00Z",
            b"2024-02-30", b"2023-13-01", b"-0.5", b"+1", b".5", b"5.", b"1e5",
            b"0.0000000000001", b"99999999999999999999999999", b"USD", b"EUR",
            b"{\"business_unit\": \"acme\"}", b"{\"business_unit\": \"ViennaAI\"}",
            b"{\"business_unit\": \"Bad Name\", \"application\": \"app\", \"environment\": \"prod\"}",
            b"{}", b"[]", b"{", b"}", b"\"BilledCost\"", b"\"EffectiveCost\"", b"\"Tags\"",
            b"\"ConsumedUnit\"", b"\"BillingCurrency\"", b"\"ChargePeriodStart\"", b":", b"\\\"",
            b"\\u0000", b"\\ud800", b"\xc3\xa9", b"\xff", b"\xef\xbb\xbf",
        ],
        "auth_log" => &[
            b"Jun 14 15:16:02 combo ", b"Feb 29 23:59:59 host ", b"Dec 10 06:55:46 LabSZ ",
            b"2026-11-25T10:00:01.123456+00:00 web1 ", b"sshd[24200]: ", b"sshd: ",
            b"sshd(pam_unix)[1]: ", b"login(pam_unix)[2421]: ", b"su(pam_unix)[9]: ",
            b"sudo: ", b"Failed password for root from 1.2.3.4 port 22 ssh2",
            b"Failed password for invalid user admin from 5.6.7.8 port 4242 ssh2",
            b"message repeated 5 times: [ Failed password for root from 1.2.3.4 port 22 ssh2]",
            b"authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=1.2.3.4  user=root",
            b"authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=9.9.9.9",
            b"pam_unix(sshd:auth): ", b"pam_unix(su-l:session): ",
            b"session opened for user root by LOGIN(uid=0)", b"session opened for user news by (uid=0)",
            b"Accepted publickey for root from 10.0.0.1 port 22 ssh2", b"Accepted password for ",
            b"root", b" port ", b" from ", b"[", b"]", b": ", b"\n", b"\r", b"  ", b"\t",
            b"\xff", b"\xc3\xa9",
        ],
        "pack" => &[
            b"\0", b"ustar\0", b"ustar  \0", b"00", b"0000644\0", b"manifest.json",
            b"manifest.json.minisig", b"maestro-pack.pub", b"audit/events.jsonl", b"../",
            b"/etc/passwd", b"./", b"\"sha256\":", b"\"size\":", b"\"path\":",
            b"maestro-pack/1", b"\"seq\":", b"\"hash\":", b"\n",
        ],
        "config" => &[
            b"[platform]\n", b"[platform.regions]\n", b"[platform.clusters]\n", b"[branding]\n",
            b"[policy]\n", b"[signals]\n", b"[[signals.repos]]\n", b"[signals.hosts]\n",
            b"[cost]\n", b"[cost.tenants]\n", b"[perf]\n", b"[perf.budgets.api]\n",
            b"[[adapters]]\n", b"name = ", b"kind = \"syslog\"\n", b"kind = \"webhook\"\n",
            b"url = \"tcp://127.0.0.1:514\"\n", b"url = \"https://example.com/x\"\n",
            b"token_env = \"TOKEN\"\n", b"events = [\"audit\"]\n", b"timeout_ms = 0\n",
            b"eu-west-9 = \"Europe\"\n", b"c1 = { region = \"eu-west-1\" }\n",
            b"primary_color = \"#fff\"\n", b"logo = \"logo.png\"\n", b"engine = \"opa-wasm\"\n",
            b"phase = \"gate\"\n", b"p95_ms = 1e400\n", b"bots = [\"(\"]\n", b"tenant = \"Acme\"\n",
            b" = ", b"\"", b"'", b"'''", b"\"\"\"", b"{", b"}", b"[", b"]", b"[[", b"]]", b",",
            b".", b"#", b"\\u0000", b"\\uD800", b"\\", b"1979-05-27T07:32:00Z", b"07:32:00",
            b"inf", b"nan", b"-0.0", b"0x10", b"1_000", b"true", b"\r", b"\r\n", b"\t",
            b"\xef\xbb\xbf", b"\xc3\xa9", b"\xff",
        ],
        _ => &[],
    }
}
