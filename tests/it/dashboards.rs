//! dashboard:export through the binary: both dashboards validate against the JSON Schema kept
//! in `templates/dashboards/schema.json`, every query is scoped by `$tenant`, a tenant's
//! dashboard is fixed to that tenant, and the all-tenant one is a platform admin's.

use std::path::Path;

use serde_json::Value;

use crate::support::{ADMIN, Sandbox};

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/dashboards/schema.json"),
    )
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

fn export(s: &Sandbox, actor: &str, args: &[&str]) -> Value {
    let mut all = vec!["dashboard:export"];
    all.extend_from_slice(args);
    serde_json::from_str(&s.ok(actor, &all).stdout).unwrap()
}

#[test]
fn dashboards_validate_and_are_scoped_by_tenant() {
    let s = Sandbox::initialised();
    std::fs::write(
        s.home().join("maestro.toml"),
        "[branding]\nproduct_name = \"Acme Cloud\"\n",
    )
    .unwrap();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.ok(
        ADMIN,
        &[
            "user:add",
            "vera@acme.example",
            "--role",
            "viewer",
            "--tenant",
            "acme",
        ],
    );
    let validator = schema();
    for which in ["pulse", "pnl"] {
        for (actor, args) in [
            (ADMIN, vec![which]),
            ("vera@acme.example", vec![which, "--tenant", "acme"]),
        ] {
            let d = export(&s, actor, &args);
            let errors: Vec<String> = validator
                .iter_errors(&d)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{which} {args:?}: {errors:?}");
            assert!(
                d["title"].as_str().unwrap().starts_with("Acme Cloud "),
                "{}",
                d["title"]
            );
        }
    }
    let pulse = export(&s, ADMIN, &["pulse"]);
    let titles: Vec<&str> = pulse["panels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "CPU (cores)",
            "Memory (working set)",
            "Requests per day",
            "p95 latency",
            "Error rate (5xx)"
        ]
    );
    insta::assert_snapshot!(
        "dashboard_pulse",
        serde_json::to_string_pretty(&pulse).unwrap()
    );
    let pnl = export(&s, "vera@acme.example", &["pnl", "--tenant", "acme"]);
    assert_eq!(pnl["uid"], "maestro-pnl-acme");
    assert_eq!(
        pnl["templating"]["list"][1],
        serde_json::json!({"name": "tenant", "type": "constant", "query": "acme", "hide": 2})
    );

    // A schema that refuses a panel without its $tenant scope: proof the check checks.
    let mut unscoped = pnl.clone();
    unscoped["panels"][0]["targets"][0]["expr"] = Value::from("sum(maestro_cost_effective_usd)");
    assert!(!validator.is_valid(&unscoped));

    let denied = s.run("alice@acme.example", &["dashboard:export", "pnl"]);
    assert_eq!(
        denied.code, 3,
        "the all-tenant dashboard is a platform admin's"
    );
    let denied = s.run(
        "vera@acme.example",
        &["dashboard:export", "pnl", "--tenant", "globex"],
    );
    assert_eq!(denied.code, 3);
    let out = s.ok(ADMIN, &["dashboard:export", "pulse", "--out", "pulse.json"]);
    assert!(out.stdout.is_empty());
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(s.home().join("pulse.json")).unwrap())
            .unwrap();
    assert_eq!(written, pulse);
}
