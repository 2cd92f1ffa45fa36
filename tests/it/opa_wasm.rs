//! The opt-in opa-wasm engine (`cargo test --features opa-wasm`). No `opa` binary can be
//! installed here, so no Rego can be compiled to wasm: these tests run a hand-written module
//! (`tests/fixtures/opa_policy.wat`, assembled here with the `wat` crate) that implements
//! OPA's wasm ABI and decides from its input and data. They test the plumbing — bundle
//! reading, entry point selection, data and input passing, result decoding, the module
//! cache, the errors — not Rego semantics.

use std::os::unix::fs::PermissionsExt;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{ADMIN, Sandbox};

const CONFIG: &str = "[platform.clusters]\neu-prod-1 = { region = \"eu-west-1\" }\nus-prod-1 = { region = \"us-east-1\" }\n";

fn module(builtins: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/opa_policy.wat"),
    )
    .unwrap();
    wat::parse_str(text.replace("__BUILTINS__", &builtins.replace('"', "\\\""))).unwrap()
}

/// A `.tar.gz` with these entries, named as `opa build` names them (`/policy.wasm`: the tar
/// crate refuses to write an absolute name, so it is set in the header directly).
fn bundle(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (name, bytes) in entries {
        let mut h = tar::Header::new_gnu();
        h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append(&h, *bytes).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap()
}

fn platform() -> Sandbox {
    let s = Sandbox::initialised();
    std::fs::write(s.home().join("maestro.toml"), CONFIG).unwrap();
    s.create("acme", "eu-west-1", "alice@acme.example");
    let wasm = module("{}");
    std::fs::write(
        s.home().join("bundle.tar.gz"),
        bundle(&[
            ("/policy.wasm", &wasm),
            ("/data.json", br#"{"fixture_allowed_cluster": "eu-prod-1"}"#),
            ("/.manifest", b"{}"),
        ]),
    )
    .unwrap();
    std::fs::write(s.home().join("policy.wasm"), wasm).unwrap();
    s
}

/// `policy:check deploy` of acme's api to prod, the cluster to follow.
const DEPLOY: [&str; 8] = [
    "deploy",
    "--tenant",
    "acme",
    "--service",
    "api",
    "--env",
    "prod",
    "--cluster",
];

const WASM: [&str; 4] = ["--engine", "opa-wasm", "--bundle", "bundle.tar.gz"];

fn check(s: &Sandbox, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["policy:check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&WASM);
    all.extend(["--output", "json"]);
    let out = s.run(ADMIN, &all);
    let v = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
    (out.code, v, out.stderr)
}

#[test]
fn a_wasm_bundle_decides_with_its_data_and_the_log_names_the_engine() {
    let s = platform();
    let listed = s.json(
        ADMIN,
        &[
            "policy:check",
            "--list-entrypoints",
            "--engine",
            "opa-wasm",
            "--bundle",
            "bundle.tar.gz",
        ],
    );
    assert_eq!(
        listed,
        serde_json::json!(["maestro/abac/decision", "maestro/residency/decision"])
    );

    let (code, allowed, err) = check(&s, &[&DEPLOY[..], &["eu-prod-1"]].concat());
    assert_eq!(code, 0, "{err}");
    assert_eq!(allowed["allow"], true);
    assert_eq!(allowed["engine"], "opa-wasm");
    let sha = maestro_cli::model::audit::hex(&Sha256::digest(
        std::fs::read(s.home().join("bundle.tar.gz")).unwrap(),
    ));
    assert_eq!(allowed["bundle_sha256"], sha.as_str());
    let (code, denied, _) = check(&s, &[&DEPLOY[..], &["us-prod-1"]].concat());
    assert_eq!(code, 3);
    assert_eq!(denied["allow"], false);
    assert!(
        denied["deny"][0]
            .as_str()
            .unwrap()
            .contains("opa-wasm fixture"),
        "{denied}"
    );

    // The other entry point, chosen by the query; input from a file.
    std::fs::write(
        s.home().join("in.json"),
        r#"{"actor": "ops@example.com", "action": "tenant:show"}"#,
    )
    .unwrap();
    let (code, abac, _) = check(&s, &["--input", "in.json", "--query", "data.maestro.abac"]);
    assert_eq!((code, &abac["audit"]), (3, &Value::Bool(true)), "{abac}");
    assert!(abac["deny"][0].as_str().unwrap().contains("entry point 1"));

    // Logged like any decision: engine name and version, the bundle's hash.
    let log = s.json(ADMIN, &["policy:log", "-n", "3"]);
    let rows: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["engine"] == "opa-wasm")
        .collect();
    assert_eq!(rows.len(), 3, "{log}");
    assert!(
        rows.iter()
            .all(|d| d["engine_version"] == "0.3.4" && d["bundle_sha256"] == sha.as_str())
    );

    // A bare policy.wasm has no data.json: nothing is allowed.
    let bare = [
        &["policy:check"][..],
        &DEPLOY,
        &[
            "eu-prod-1",
            "--engine",
            "opa-wasm",
            "--bundle",
            "policy.wasm",
        ],
    ]
    .concat();
    let out = s.run(ADMIN, &bare);
    assert_eq!(out.code, 3, "{}", out.stderr);
}

#[test]
fn the_flow_gate_uses_the_engine_of_the_config() {
    let s = platform();
    std::fs::write(
        s.home().join("maestro.toml"),
        format!("{CONFIG}\n[policy]\nengine = \"opa-wasm\"\nbundle = \"bundle.tar.gz\"\n"),
    )
    .unwrap();
    let run = |cluster: &str| {
        s.run(
            ADMIN,
            &[
                "flow:run",
                "deploy",
                "--tenant",
                "acme",
                "-p",
                "service=api",
                "-p",
                "version=1.0.0",
                "-p",
                &format!("cluster={cluster}"),
            ],
        )
    };
    assert_eq!(run("eu-prod-1").code, 0);
    let denied = run("us-prod-1");
    assert_eq!(denied.code, 3, "{}", denied.stderr);
    // Its progress lines carry times; the closing error and help are exact.
    let run_id = denied
        .stderr
        .split("error: run `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap();
    assert!(
        denied.stderr.ends_with(&format!(
            "error: run `{run_id}` failed: step `gate` failed: opa-wasm fixture: the input's cluster is not the data's fixture_allowed_cluster\n\
             help: see `maestro-cli flow:logs {run_id}`; after fixing the cause, `maestro-cli flow:resume {run_id}`\n"
        )),
        "{}",
        denied.stderr
    );
    let deployments = s.json(ADMIN, &["deploy:list", "--tenant", "acme"]);
    assert_eq!(
        deployments.as_array().unwrap().len(),
        1,
        "the denied deploy recorded nothing"
    );
}

#[test]
fn the_compiled_module_is_cached_privately_and_a_bad_cache_entry_is_recompiled() {
    let s = platform();
    let deploy = [&DEPLOY[..], &["eu-prod-1"]].concat();
    assert_eq!(check(&s, &deploy).0, 0);
    let dir = s.home().join("cache/opa-wasm");
    let entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let wasm_sha = maestro_cli::model::audit::hex(&Sha256::digest(module("{}")));
    assert_eq!(
        entries[0].file_name().unwrap().to_str().unwrap(),
        format!("{wasm_sha}.cwasm")
    );
    assert_eq!(
        std::fs::metadata(&entries[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    // From the cache, the same answer.
    assert_eq!(check(&s, &deploy).1["allow"], true);
    // A damaged entry is not trusted: compiled again, and the answer is the same.
    std::fs::write(&entries[0], b"not a module").unwrap();
    assert_eq!(check(&s, &deploy).1["allow"], true);
    assert!(
        std::fs::metadata(&entries[0]).unwrap().len() > 100,
        "rewritten"
    );
}

#[test]
fn bad_bundles_and_queries_are_refused_with_what_is_wrong() {
    let s = platform();
    let write = |name: &str, bytes: &[u8]| std::fs::write(s.home().join(name), bytes).unwrap();
    write("corrupt.wasm", b"\0asm\x01\0\0\0garbage");
    write("nowasm.tar.gz", &bundle(&[("/data.json", b"{}")]));
    write("notes.txt", b"hello");
    write("builtin.wasm", &module(r#"{"no.such.builtin":0}"#));
    let input = [
        "--input",
        "-",
        "--query",
        "data.maestro.residency",
        "--engine",
        "opa-wasm",
        "--bundle",
    ];
    const HELP_POLICY_TEST: &str = "help: check the policies with `maestro-cli policy:test`\n";
    let not_found = "No such file or directory (os error 2)";
    for (file, expected) in [
        (
            "corrupt.wasm",
            format!("error: policy `policy.wasm`: not a WebAssembly module wasmtime can compile: failed to parse WebAssembly module: unexpected end-of-file (at offset 0xa)\n{HELP_POLICY_TEST}"),
        ),
        (
            "nowasm.tar.gz",
            "error: `nowasm.tar.gz` has no /policy.wasm: is it a wasm bundle (`opa build -t wasm`)?\n".to_string(),
        ),
        (
            "notes.txt",
            "error: `notes.txt` is neither a policy.wasm nor an OPA bundle (.tar.gz): build one with `opa build -t wasm -e maestro/residency/decision policies/`\n".to_string(),
        ),
        (
            "builtin.wasm",
            format!("error: policy `policy.wasm`: it calls an OPA builtin this engine does not provide (maestro-cli's opa-wasm engine is built without OPA's builtins: the shipped policies need none)\n{HELP_POLICY_TEST}"),
        ),
        (
            "missing.wasm",
            format!("error: cannot read `missing.wasm`: {not_found}\n"),
        ),
    ] {
        let out = s
            .cmd(Some(ADMIN))
            .args(["policy:check"])
            .args(input)
            .arg(file)
            .write_stdin("{}")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {stderr}");
        assert_eq!(stderr, expected, "{file}");
    }
    write("in.json", b"{}");
    let (code, _, err) = check(&s, &["--input", "in.json", "--query", "data.maestro.nope"]);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim_end(),
        r#"{"error":{"causes":[],"exit_code":1,"help":null,"message":"evaluating `data.maestro.nope.decision`: the bundle has no entry point `maestro/nope/decision` (it has: maestro/abac/decision, maestro/residency/decision); build it with `opa build -t wasm -e maestro/nope/decision ...`"}}"#
    );
    let none = s.run(
        ADMIN,
        &["policy:check", "--list-entrypoints", "--engine", "opa-wasm"],
    );
    none.assert_error(
        1,
        "--list-entrypoints needs an opa-wasm bundle: `--bundle FILE`",
        None,
    );
}
