//! perf:ingest / perf:baseline / perf:check through the binary: percentiles checked against
//! an independent computation, warn vs gate exit codes, budgets from the config or a file,
//! bad input refused with its line and nothing stored, tenant scoping.

use serde_json::Value;

use crate::support::{ADMIN, HELP_CONFIG, Sandbox};

/// The `help:` of a request log refused for a bad line.
const HELP_SKIP_BAD: &str = "nothing was stored; fix the line, or pass --skip-bad to leave such lines out (they are counted and listed)";

/// A small deterministic generator (no dependency): latencies in microseconds.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// `n` requests of `tenant`/api/prod on `day`; latencies `base..base+spread` µs; every
/// `error_every`-th a 503. Returns the JSON lines and the latencies.
fn requests(
    tenant: &str,
    day: &str,
    n: usize,
    base: u64,
    spread: u64,
    error_every: usize,
) -> (String, Vec<u64>) {
    let mut rng = Lcg(n as u64 + base);
    let mut text = String::new();
    let mut latencies = Vec::new();
    for i in 0..n {
        let us = base + rng.next() % spread;
        latencies.push(us);
        let status = if error_every > 0 && i % error_every == 0 {
            503
        } else {
            200
        };
        text.push_str(&format!(
            "{{\"ts\":\"{day}T{:02}:{:02}:00Z\",\"tenant\":\"{tenant}\",\"service\":\"api\",\"env\":\"prod\",\"latency_ms\":{}.{:03},\"status\":{status}}}\n",
            i / 60 % 24,
            i % 60,
            us / 1000,
            us % 1000
        ));
    }
    (text, latencies)
}

/// Nearest rank, computed here from the sorted list.
fn nearest_rank(latencies: &[u64], p: usize) -> f64 {
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1] as f64 / 1000.0
}

fn ingest(s: &Sandbox, name: &str, text: &str) -> Value {
    let path = s.home().join(name);
    std::fs::write(&path, text).unwrap();
    s.json(ADMIN, &["perf:ingest", path.to_str().unwrap()])
}

#[test]
fn percentiles_match_an_independent_computation() {
    let s = Sandbox::initialised();
    let (day1, lat1) = requests("acme", "2026-11-01", 2_001, 5_000, 40_000, 100);
    let out = ingest(&s, "day1.jsonl", &day1);
    assert_eq!(out["rows"], 2001);
    let check = s.json(ADMIN, &["perf:check"]);
    let g = &check["groups"][0];
    assert_eq!(g["requests"], 2001);
    assert_eq!(g["p50_ms"].as_f64().unwrap(), nearest_rank(&lat1, 50));
    assert_eq!(g["p95_ms"].as_f64().unwrap(), nearest_rank(&lat1, 95));
    assert_eq!(g["p99_ms"].as_f64().unwrap(), nearest_rank(&lat1, 99));
    let errors = (0..2001).filter(|i| i % 100 == 0).count() as f64;
    assert!((g["error_rate_pct"].as_f64().unwrap() - errors * 100.0 / 2001.0).abs() < 1e-9);
    assert_eq!(check["breaches"], serde_json::json!([]));

    // A CSV of the same requests in a fresh state gives the same figures.
    let t = Sandbox::initialised();
    let mut csv = String::from("ts,tenant,service,env,latency_ms,status\n");
    for line in day1.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        csv.push_str(&format!(
            "{},{},{},{},{},{}\n",
            v["ts"].as_str().unwrap(),
            v["tenant"].as_str().unwrap(),
            v["service"].as_str().unwrap(),
            v["env"].as_str().unwrap(),
            v["latency_ms"],
            v["status"]
        ));
    }
    ingest(&t, "day1.csv", &csv);
    let again = t.json(ADMIN, &["perf:check"]);
    assert_eq!(again["groups"], check["groups"]);
}

#[test]
fn regressions_warn_in_the_warn_phase_and_fail_in_the_gate_phase() {
    let s = Sandbox::initialised();
    let (day1, _) = requests("acme", "2026-11-01", 1_000, 5_000, 20_000, 0);
    let (day2, lat2) = requests("acme", "2026-11-02", 1_000, 9_000, 40_000, 20);
    ingest(&s, "day1.jsonl", &day1);
    ingest(&s, "day2.jsonl", &day2);
    s.ok(
        ADMIN,
        &[
            "perf:baseline",
            "set",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-01",
        ],
    );

    let warn = s.run(ADMIN, &["perf:check"]);
    assert_eq!(warn.code, 0, "{}", warn.stderr);
    assert_eq!(
        warn.stderr,
        "warning: acme/api/prod: p50 29.505ms over the baseline limit 16.410ms\n\
         warning: acme/api/prod: p95 47.153ms over the baseline limit 26.550ms\n\
         warning: acme/api/prod: error_rate 5.000% over the baseline limit 0.500%\n\
         3 breaches, warn phase: not failing (set [perf] phase = \"gate\" to gate)\n"
    );

    let gate = s.run(
        ADMIN,
        &["perf:check", "--phase", "gate", "--output", "json"],
    );
    assert_eq!(gate.code, 3, "{}", gate.stderr);
    let body: Value = serde_json::from_str(&gate.stdout).unwrap();
    let p95 = body["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["metric"] == "p95" && b["against"] == "baseline")
        .unwrap();
    assert_eq!(p95["value"].as_f64().unwrap(), nearest_rank(&lat2, 95));
    let err: Value = serde_json::from_str(gate.stderr.lines().last().unwrap()).unwrap();
    assert_eq!(err["error"]["exit_code"], 3);

    // The phase and the budgets come from the config; a budget file overrides them.
    std::fs::write(
        s.home().join("maestro.toml"),
        "[perf]\nphase = \"gate\"\nregression_pct = 1000\nerror_regression_pp = 50\n\n[perf.budgets.api]\np95_ms = 10\n",
    )
    .unwrap();
    let gated = s.run(ADMIN, &["perf:check"]);
    assert_eq!(gated.code, 3);
    assert_eq!(
        gated.stderr,
        "problem: acme/api/prod: p95 47.153ms over the budget limit 10.000ms\n\
         error: gate: 1 performance breaches (2026-11-02..2026-11-02)\n\
         help: fix the regression, or adjust [perf.budgets] / perf:baseline set after review\n"
    );
    std::fs::write(
        s.home().join("budgets.toml"),
        "[budgets.api]\np95_ms = 5000\nerror_rate_pct = 50\n",
    )
    .unwrap();
    let loose = s.run(ADMIN, &["perf:check", "--budgets", "budgets.toml"]);
    assert_eq!(loose.code, 0, "{}", loose.stderr);
    std::fs::write(s.home().join("bad.toml"), "[budgets.api]\np95 = 5\n").unwrap();
    s.run(ADMIN, &["perf:check", "--budgets", "bad.toml"])
        .assert_error(
            1,
            "bad.toml:2:1: unknown field `p95`, expected one of `p50_ms`, `p95_ms`, `error_rate_pct`",
            Some(HELP_CONFIG),
        );
}

#[test]
fn bad_request_logs_are_refused_with_their_line_and_nothing_is_stored() {
    let s = Sandbox::initialised();
    let (good, _) = requests("acme", "2026-11-01", 10, 1_000, 1_000, 0);
    let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
    lines[6] = lines[6].replace("2026-11-01T", "yesterday ");
    let before = s.dump();
    let path = s.home().join("bad.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    s.run(ADMIN, &["perf:ingest", path.to_str().unwrap()])
        .assert_error(
            1,
            &format!(
                "{}:7: ts `yesterday 00:06:00Z` is not an RFC 3339 instant",
                path.display()
            ),
            Some(HELP_SKIP_BAD),
        );
    lines[6] = lines[6]
        .replace("\"acme\"", "\"Not A Tenant\"")
        .replace("yesterday ", "2026-11-01T");
    std::fs::write(&path, lines.join("\n")).unwrap();
    s.run(ADMIN, &["perf:ingest", path.to_str().unwrap()])
        .assert_error(
            1,
            &format!(
                "{}:7: tenant `Not A Tenant`: an uppercase letter `N` at position 1; only lowercase letters, digits and `-` are allowed",
                path.display()
            ),
            Some(HELP_SKIP_BAD),
        );
    assert_eq!(s.dump(), before);

    let skipped = s.json(
        ADMIN,
        &["perf:ingest", path.to_str().unwrap(), "--skip-bad"],
    );
    assert_eq!(
        (skipped["rows"].as_u64(), skipped["skipped"].as_u64()),
        (Some(10), Some(1))
    );
    assert_eq!(skipped["skipped_rows"][0]["line"], 7);
    let again = s.run(ADMIN, &["perf:ingest", path.to_str().unwrap()]);
    assert_eq!(again.code, 0);
    assert_eq!(
        again.stderr,
        format!(
            "note: `{}` was ingested before; nothing changed\n",
            path.display()
        )
    );
    let none = Sandbox::initialised();
    none.run(ADMIN, &["perf:check"]).assert_error(
        1,
        "no request data",
        Some("ingest request logs first: maestro-cli perf:ingest requests.jsonl"),
    );
}

#[test]
fn tenants_see_and_baseline_only_their_own_services() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.create("globex", "us-east-1", "gary@globex.example");
    let (a, _) = requests("acme", "2026-11-01", 100, 1_000, 1_000, 0);
    let (g, _) = requests("globex", "2026-11-01", 100, 1_000, 1_000, 0);
    ingest(&s, "both.jsonl", &(a + &g));
    let denied = s.run("alice@acme.example", &["perf:ingest", "both.jsonl"]);
    assert_eq!(denied.code, 3);
    let own = s.json("alice@acme.example", &["perf:check"]);
    let tenants: Vec<&str> = own["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["tenant_id"].as_str().unwrap())
        .collect();
    assert_eq!(tenants, ["acme"]);
    s.ok(
        "alice@acme.example",
        &[
            "perf:baseline",
            "set",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-01",
            "--tenant",
            "acme",
        ],
    );
    let denied = s.run(
        "alice@acme.example",
        &[
            "perf:baseline",
            "set",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-01",
            "--tenant",
            "globex",
        ],
    );
    assert_eq!(denied.code, 3);
    let shown = s.json("gary@globex.example", &["perf:baseline", "show"]);
    assert_eq!(shown, serde_json::json!([]), "globex sees no acme baseline");
}
