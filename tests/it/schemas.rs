//! Every command's `--output json` validates against its published schema in
//! `docs/schemas/v1/`: each command is run through the binary on a state with something in
//! it, and every schema there is used by at least one run (so a command cannot print JSON
//! nobody checks).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::http_mock::Mock;
use crate::support::{ADMIN, Sandbox};

const CONFIG: &str = "[platform.regions]\neu-west-1 = \"Ireland\"\nus-east-1 = \"Virginia\"\n\n\
     [platform.clusters]\neu-prod-1 = { region = \"eu-west-1\" }\nus-prod-1 = { region = \"us-east-1\" }\n";

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schemas/v1")
}

struct Checker {
    validators: BTreeMap<String, jsonschema::Validator>,
    used: BTreeSet<String>,
}

impl Checker {
    fn new() -> Checker {
        let mut validators = BTreeMap::new();
        for entry in std::fs::read_dir(schemas_dir()).unwrap() {
            let path = entry.unwrap().path();
            let schema: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            validators.insert(name, jsonschema::validator_for(&schema).unwrap());
        }
        Checker {
            validators,
            used: BTreeSet::new(),
        }
    }

    /// Runs `args` with `--output json` as `actor`, insists on exit `code`, and validates
    /// every JSON value it printed (one document, or one a line) against the command's schema.
    /// Returns the values.
    #[track_caller]
    fn check(&mut self, s: &Sandbox, actor: &str, args: &[&str], code: i32) -> Vec<Value> {
        let out = s
            .cmd((!actor.is_empty()).then_some(actor))
            .env("HOOK_KEY", "whsec-schema-test")
            .args(args)
            .args(["--output", "json"])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}:\n{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let command = args[0].replace(':', "-");
        let validator = self
            .validators
            .get(&command)
            .unwrap_or_else(|| panic!("no schema docs/schemas/v1/{command}.json"));
        let values: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
            .into_iter::<Value>()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{stdout}"));
        assert!(!values.is_empty(), "{args:?}: printed no JSON");
        for v in &values {
            let problems: Vec<String> = validator
                .iter_errors(v)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                problems.is_empty(),
                "{args:?} does not match docs/schemas/v1/{command}.json:\n{}\n{v:#}",
                problems.join("\n")
            );
        }
        self.used.insert(command);
        values
    }

    /// The same with `--dry-run`: the report validates against `dry-run.json`, and each value
    /// it says the command would print against the command's own schema.
    #[track_caller]
    fn check_dry(&mut self, s: &Sandbox, actor: &str, args: &[&str]) {
        let command = args[0].replace(':', "-");
        let out = s
            .cmd((!actor.is_empty()).then_some(actor))
            .env("HOOK_KEY", "whsec-schema-test")
            .args(args)
            .args(["--dry-run", "--output", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?} --dry-run: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        for (schema, value) in std::iter::once(("dry-run", &report)).chain(
            report["output"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| (command.as_str(), v)),
        ) {
            let validator = &self.validators[schema];
            let problems: Vec<String> = validator
                .iter_errors(value)
                .map(|e| e.to_string())
                .collect();
            assert!(
                problems.is_empty(),
                "{args:?} --dry-run does not match {schema}.json: {problems:?}\n{value:#}"
            );
            self.used.insert(schema.to_string());
        }
    }
}

#[test]
fn every_commands_json_validates_against_its_schema() {
    let mut c = Checker::new();
    let hook = Mock::start(|_| (400, "refused".into()));
    let s = Sandbox::new();
    let home = s.home().to_str().unwrap().to_string();
    c.check(&s, ADMIN, &["init"], 0);
    std::fs::write(
        s.home().join("maestro.toml"),
        format!(
            "{CONFIG}\n[[adapters]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"{}/hook\"\n\
             token_env = \"HOOK_KEY\"\nmax_attempts = 1\n",
            hook.url()
        ),
    )
    .unwrap();

    // Tenants and principals.
    let created = c.check(
        &s,
        ADMIN,
        &[
            "tenant:create",
            "acme",
            "--regions",
            "eu-west-1",
            "--tier",
            "prod",
            "--admin",
            "alice@acme.example",
        ],
        0,
    );
    let create_run = created[0]["run_id"].as_str().unwrap().to_string();
    s.create("globex", "us-east-1", "gus@globex.example");
    c.check(&s, ADMIN, &["tenant:list"], 0);
    c.check(&s, ADMIN, &["tenant:show", "acme"], 0);
    c.check(
        &s,
        ADMIN,
        &["tenant:update", "acme", "--name", "Acme Corp"],
        0,
    );
    c.check(&s, ADMIN, &["tenant:manifests", "acme"], 0);
    c.check(
        &s,
        ADMIN,
        &[
            "user:add",
            "vic@acme.example",
            "--role",
            "viewer",
            "--tenant",
            "acme",
        ],
        0,
    );
    c.check(&s, ADMIN, &["user:list"], 0);
    c.check(
        &s,
        ADMIN,
        &[
            "user:remove",
            "vic@acme.example",
            "--role",
            "viewer",
            "--tenant",
            "acme",
        ],
        0,
    );

    // Flows: a dry run, a run that fails, its resume, and the reads.
    c.check(&s, ADMIN, &["flow:list"], 0);
    c.check(&s, ADMIN, &["flow:validate", "deploy"], 0);
    let flows = s.home().join("flows");
    std::fs::create_dir_all(&flows).unwrap();
    std::fs::write(
        flows.join("fixable.yaml"),
        "name: fixable\nsteps:\n  - id: first\n    uses: shell\n    with: { run: 'echo first' }\n  \
         - id: second\n    uses: shell\n    needs: [first]\n    with: { run: 'test -f fixed' }\n",
    )
    .unwrap();
    let templates = flows.to_str().unwrap();
    c.check(
        &s,
        ADMIN,
        &["flow:run", "fixable", "--templates", templates, "--dry-run"],
        0,
    );
    let lines = c.check(
        &s,
        ADMIN,
        &["flow:run", "fixable", "--templates", templates],
        1,
    );
    assert!(lines.len() > 2, "events before the report: {lines:?}");
    let run_id = lines.last().unwrap()["run_id"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(s.home().join("fixed"), "").unwrap();
    c.check(&s, ADMIN, &["flow:resume", &run_id], 0);
    c.check(&s, ADMIN, &["flow:status", &run_id], 0);
    c.check(&s, ADMIN, &["flow:status", &create_run, "--watch"], 0);
    c.check(&s, ADMIN, &["flow:runs"], 0);
    c.check(&s, ADMIN, &["flow:logs", &run_id], 0);
    c.check(&s, ADMIN, &["flow:logs", &run_id, "--follow"], 0);
    c.check(
        &s,
        ADMIN,
        &[
            "flow:run",
            "deploy",
            "--tenant",
            "acme",
            "--param",
            "service=api",
            "--param",
            "version=1.0.0",
            "--param",
            "cluster=eu-prod-1",
        ],
        0,
    );
    c.check(&s, ADMIN, &["deploy:list"], 0);

    // Governance.
    c.check(
        &s,
        ADMIN,
        &[
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
        ],
        3,
    );
    std::fs::write(
        s.home().join("inputs.jsonl"),
        "{\"action\":\"deploy\",\"tenant\":\"acme\",\"region\":\"eu-west-1\"}\n\
         {\"action\":\"deploy\",\"tenant\":\"acme\",\"region\":\"us-east-1\"}\n",
    )
    .unwrap();
    c.check(
        &s,
        ADMIN,
        &[
            "policy:check",
            "--input-lines",
            "inputs.jsonl",
            "--query",
            "data.maestro.residency",
        ],
        3,
    );
    c.check(
        &s,
        "",
        &[
            "policy:eval",
            "--input-lines",
            "inputs.jsonl",
            "--query",
            "data.maestro.residency.deny",
        ],
        0,
    );
    c.check(&s, ADMIN, &["policy:test"], 0);
    c.check(&s, ADMIN, &["policy:log"], 0);
    c.check(&s, ADMIN, &["policy:drift"], 0);

    // Signals, cost and performance from real inputs.
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let log = shared.join("logs/Linux_2k.log");
    c.check(
        &s,
        ADMIN,
        &[
            "signals:mine",
            "--logs",
            log.to_str().unwrap(),
            "--year",
            "2005",
        ],
        0,
    );
    c.check(&s, ADMIN, &["signals:report", "--by", "day"], 0);
    c.check(&s, ADMIN, &["signals:alerts"], 0);
    let focus = shared.join("focus/focus_sample_1000.csv");
    c.check(&s, ADMIN, &["cost:ingest", focus.to_str().unwrap()], 0);
    c.check(
        &s,
        ADMIN,
        &[
            "cost:report",
            "--from",
            "2000-01-01",
            "--to",
            "2030-12-31",
            "--by",
            "service",
        ],
        0,
    );
    let mut requests = String::new();
    for day in ["2026-11-01", "2026-11-02"] {
        for i in 0..200 {
            let status = if i % 50 == 0 { 503 } else { 200 };
            requests.push_str(&format!(
                "{{\"ts\":\"{day}T10:{:02}:00Z\",\"tenant\":\"acme\",\"service\":\"api\",\"env\":\"prod\",\"latency_ms\":{},\"status\":{status}}}\n",
                i % 60,
                20 + i % 90
            ));
        }
    }
    std::fs::write(s.home().join("requests.jsonl"), requests).unwrap();
    c.check(&s, ADMIN, &["perf:ingest", "requests.jsonl"], 0);
    c.check(
        &s,
        ADMIN,
        &[
            "perf:baseline",
            "set",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-01",
        ],
        0,
    );
    c.check(&s, ADMIN, &["perf:baseline", "show"], 0);
    c.check(&s, ADMIN, &["perf:check"], 0);

    // Dashboards, packs, the outbox.
    c.check(&s, ADMIN, &["dashboard:export", "pnl"], 0);
    c.check(&s, ADMIN, &["dashboard:publish", "pulse"], 0);
    c.check(&s, ADMIN, &["pack:keygen", "--dir", "keys"], 0);
    c.check(&s, ADMIN, &["audit:keygen", "--dir", "log-key"], 0);
    c.check(
        &s,
        ADMIN,
        &[
            "audit:checkpoint",
            "--key",
            "log-key/maestro-log.key",
            "--out",
            "witnessed.txt",
        ],
        0,
    );
    let pack = format!("{home}/acme.pack");
    c.check(
        &s,
        ADMIN,
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "keys/maestro-pack.key",
            "--out",
            &pack,
        ],
        0,
    );
    c.check(
        &s,
        "",
        &["pack:verify", &pack, "--pubkey", "keys/maestro-pack.pub"],
        0,
    );
    c.check(&s, ADMIN, &["audit:log"], 0);
    c.check(&s, ADMIN, &["audit:verify"], 0);
    c.check(&s, ADMIN, &["audit:prove", "--seq", "3"], 0);
    c.check(
        &s,
        ADMIN,
        &["audit:verify", "--checkpoint", "witnessed.txt"],
        0,
    );
    let synced = c.check(&s, ADMIN, &["sync"], 1);
    assert!(!synced[0].as_array().unwrap().is_empty(), "{synced:?}");
    let dead = c.check(&s, ADMIN, &["sync:dead"], 0);
    assert!(
        !dead[0].as_array().unwrap().is_empty(),
        "refused rows: {dead:?}"
    );
    c.check(&s, ADMIN, &["status"], 4);
    c.check_dry(&s, ADMIN, &["tenant:update", "acme", "--name", "Acme Inc"]);
    c.check_dry(&s, ADMIN, &["sync"]);
    c.check_dry(&s, ADMIN, &["pack:keygen", "--dir", "more-keys"]);
    c.check(&s, ADMIN, &["tenant:delete", "globex", "--yes"], 0);

    // The trial environment, in a directory of its own.
    let trial = format!("{home}/trial");
    c.check(&s, "", &["trial:up", "--dir", &trial], 0);
    c.check(&s, "", &["trial:down", "--dir", &trial, "--yes"], 0);

    let unused: Vec<&String> = c
        .validators
        .keys()
        .filter(|k| !c.used.contains(*k))
        .collect();
    assert!(unused.is_empty(), "schemas no run checked: {unused:?}");
}
