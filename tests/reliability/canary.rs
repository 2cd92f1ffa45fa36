//! Another tenant's marker, searched in everything a tenant admin can read: no command shows
//! a tenant's admin anything of another tenant.

use std::io::Read;

use crate::common::Tier;
use crate::support::{ADMIN, Sandbox};

const CONFIG: &str = "[platform.regions]\neu-west-1 = \"Ireland\"\nus-east-1 = \"Virginia\"\n\n[platform.clusters]\neu-prod-1 = { region = \"eu-west-1\" }\nus-prod-1 = { region = \"us-east-1\" }\n";

/// The marker globex's data carries (its name, a service, an admin, a flow parameter).
const CANARY: &str = "canary-5c1e";

/// Acme's admin runs every read command, in every output format, and exports acme's pack
/// (through the platform admin): globex's marker appears in none of it.
pub fn cross_tenant(_: &Tier) -> String {
    let s = Sandbox::initialised();
    std::fs::write(s.home().join("maestro.toml"), CONFIG).unwrap();
    s.create("acme", "eu-west-1", "alice@acme.example");
    let admin = format!("{CANARY}@globex.example");
    s.ok(
        ADMIN,
        &[
            "tenant:create",
            "globex",
            "--name",
            &format!("Globex {CANARY}"),
            "--regions",
            "us-east-1",
            "--admin",
            &admin,
        ],
    );
    for (tenant, service, cluster) in [
        ("acme", "api", "eu-prod-1"),
        ("globex", CANARY, "us-prod-1"),
        ("globex", CANARY, "eu-prod-1"),
    ] {
        let service = format!("service={service}");
        let cluster = format!("cluster={cluster}");
        s.run(
            ADMIN,
            &[
                "flow:run",
                "deploy",
                "--tenant",
                tenant,
                "-p",
                &service,
                "-p",
                "version=1.0",
                "-p",
                &cluster,
            ],
        );
    }
    let reads: &[&[&str]] = &[
        &["tenant:list"],
        &["tenant:show", "acme"],
        &["tenant:manifests", "acme"],
        &["user:list"],
        &["audit:log"],
        &["policy:log"],
        &["flow:runs"],
        &["deploy:list"],
        &["cost:report"],
        &["signals:report"],
        &["signals:alerts"],
        &["perf:check"],
        &["dashboard:export", "--tenant", "acme"],
        &["status"],
        &["tenant:show", "globex"],
        &["audit:log", "--tenant", "globex"],
        &["deploy:list", "--tenant", "globex"],
    ];
    let mut searched = 0;
    for args in reads {
        for format in ["table", "json", "csv"] {
            let mut all = args.to_vec();
            all.extend(["--output", format]);
            let out = s.run("alice@acme.example", &all);
            searched += 1;
            let seen = format!("{}{}", out.stdout, out.stderr).to_lowercase();
            assert!(
                !seen.contains(CANARY),
                "{all:?} shows globex's marker:\n{seen}"
            );
        }
    }
    // The runs' own records, read by id: acme's ones only are readable.
    let runs = s.json(ADMIN, &["flow:runs"]);
    for run in runs.as_array().unwrap() {
        let id = run["id"].as_str().unwrap();
        for cmd in ["flow:status", "flow:logs"] {
            let out = s.run("alice@acme.example", &[cmd, id]);
            searched += 1;
            let seen = format!("{}{}", out.stdout, out.stderr).to_lowercase();
            assert!(
                !seen.contains(CANARY),
                "{cmd} {id} shows globex's marker:\n{seen}"
            );
        }
    }
    s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
    s.ok(
        ADMIN,
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "keys/maestro-pack.key",
            "--out",
            "acme.tar.gz",
        ],
    );
    let file = std::fs::File::open(s.home().join("acme.tar.gz")).unwrap();
    let mut pack = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut files = 0;
    for entry in pack.entries().unwrap() {
        let mut entry = entry.unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files += 1;
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        let name = entry.path().unwrap().display().to_string();
        assert!(
            !text.contains(CANARY),
            "acme's pack file {name} holds globex's marker"
        );
    }
    format!("{searched} outputs and {files} pack files searched, 0 canaries of another tenant")
}
