//! Another tenant's marker, searched in everything a tenant admin can read: no command shows
//! a tenant's admin anything of another tenant.

use std::io::Read;

use crate::common::{Rng, Tier};
use crate::http_mock::Mock;
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
    s.checkpoint();
    crate::common::export_acme(&s, "acme.tar.gz");
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

/// The webhook's secret: it signs deliveries, and must appear nowhere, in no encoding.
const SECRET: &str = "s3cr3t-canary/9f2a+key";
const SECRET_VAR: &str = "MAESTRO_HOOK_SECRET";

/// A state with a webhook adapter on `mock`, whose secret is in `SECRET_VAR`, and `events`
/// audit events queued for it.
fn hooked(mock: &Mock, events: usize) -> Sandbox {
    let s = Sandbox::initialised();
    std::fs::write(
        s.home().join("maestro.toml"),
        format!(
            "{CONFIG}\n[[adapters]]\nname = \"hook\"\nkind = \"webhook\"\nurl = \"{}/hook\"\ntoken_env = \"{SECRET_VAR}\"\n",
            mock.url()
        ),
    )
    .unwrap();
    s.create("acme", "eu-west-1", "alice@acme.example");
    for i in 0..events {
        s.ok(
            ADMIN,
            &["tenant:update", "acme", "--name", &format!("Acme {i}")],
        );
    }
    s
}

fn with_secret(s: &Sandbox, actor: &str, args: &[&str]) -> std::process::Output {
    s.std_cmd(Some(actor))
        .env(SECRET_VAR, SECRET)
        .args(args)
        .output()
        .expect("run")
}

/// `sync` to the webhook killed at random, then run to its end: every outbox row reached the
/// receiver at least once (repeats carry the same delivery key, for it to drop).
pub fn sync_killed(tier: &Tier) -> String {
    let mock = Mock::start(|_| (200, "{}".into()));
    let seed = hooked(&mock, 40);
    let keys: Vec<String> = {
        let db = seed.db();
        let mut stmt = db
            .prepare("SELECT idem_key FROM outbox WHERE kind IN ('audit', 'alert') ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let started = std::time::Instant::now();
    assert!(
        with_secret(&crate::common::sandbox_of(seed.home()), ADMIN, &["sync"])
            .status
            .success()
    );
    let window = started.elapsed();
    let mut rng = Rng(0x7777_1111_2222_3333);
    let (mut kills, mut repeats) = (0, 0);
    for _ in 0..tier.rounds {
        mock.requests.lock().unwrap().clear();
        let s = crate::common::sandbox_of(seed.home());
        let mut child = s
            .std_cmd(Some(ADMIN))
            .env(SECRET_VAR, SECRET)
            .arg("sync")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(rng.below(window));
        kills += usize::from(child.try_wait().unwrap().is_none());
        let _ = child.kill();
        child.wait().unwrap();
        let mut runs = 0;
        loop {
            runs += 1;
            assert!(runs < 20, "sync never drained the outbox");
            assert!(with_secret(&s, ADMIN, &["sync"]).status.success());
            let pending: i64 = s
                .db()
                .query_row(
                    "SELECT count(*) FROM outbox o WHERE o.kind IN ('audit', 'alert')
                         AND NOT EXISTS (SELECT 1 FROM outbox_deliveries d
                         WHERE d.outbox_id = o.id AND d.adapter = 'hook' AND d.status = 'done')",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            if pending == 0 {
                break;
            }
        }
        let got: Vec<String> = mock
            .requests()
            .iter()
            .filter_map(|r| r.header("x-maestro-delivery").map(str::to_string))
            .collect();
        for key in &keys {
            assert!(
                got.contains(key),
                "outbox row {key} never reached the receiver"
            );
        }
        repeats += got.len() - keys.len();
        crate::common::state_is_whole(&s);
    }
    format!(
        "{} rounds, {kills} killed mid-delivery, {} rows each delivered, 0 lost, {repeats} repeats",
        tier.rounds,
        keys.len()
    )
}

/// Every form the secret could leak in: raw, base64 (standard and URL-safe, with and
/// without padding), percent-encoded, hex.
fn secret_forms() -> Vec<String> {
    let b64 = |s: &[u8], url: bool| -> String {
        let table: &[u8] = if url {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        } else {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        };
        let mut out = String::new();
        for chunk in s.chunks(3) {
            let n =
                chunk.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(table[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    };
    let raw = SECRET.as_bytes();
    let percent: String = raw
        .iter()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (*b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    vec![
        SECRET.to_string(),
        b64(raw, false),
        b64(raw, true),
        percent,
        hex,
    ]
}

/// The webhook's secret, set for every command: absent from every output, the state file,
/// the pack and the payloads pushed to the receiver, in every encoding.
pub fn secret(_: &Tier) -> String {
    let mock = Mock::start(|r| {
        if r.body.contains("Acme 3") {
            (500, format!("{{\"echo\": {:?}}}", r.headers))
        } else {
            (200, "{}".into())
        }
    });
    let s = hooked(&mock, 5);
    std::fs::write(
        s.home().join("env.yaml"),
        "name: env\nsteps:\n  - id: show\n    uses: shell\n    with: { run: 'env; echo \"$MAESTRO_HOOK_SECRET\"' }\n",
    )
    .unwrap();
    let commands: &[&[&str]] = &[
        &["sync"],
        &["sync"],
        &["status"],
        &["sync:dead"],
        &["audit:log"],
        &["policy:log"],
        &["flow:run", "env.yaml"],
        &["flow:runs"],
        &["pack:keygen", "--dir", "keys"],
        &["audit:checkpoint", "--key", "log-key/maestro-log.key"],
        &crate::common::EXPORT_ACME,
    ];
    s.ok(ADMIN, &["audit:keygen", "--dir", "log-key"]);
    let mut seen = Vec::new();
    for args in commands {
        for format in ["table", "json"] {
            let mut all = args.to_vec();
            if args[0] == "pack:export" {
                all.push("acme.tar.gz");
            }
            if !args[0].starts_with("pack:") {
                all.extend(["--output", format]);
            } else if format == "json" {
                continue;
            }
            let out = with_secret(&s, ADMIN, &all);
            seen.push((format!("{all:?}"), [out.stdout, out.stderr].concat()));
        }
    }
    let run = s.json(ADMIN, &["flow:runs"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let logs = with_secret(&s, ADMIN, &["flow:logs", &run]);
    seen.push(("flow:logs".into(), [logs.stdout, logs.stderr].concat()));
    for file in ["state.db", "state.db-wal", "acme.tar.gz"] {
        if let Ok(bytes) = std::fs::read(s.home().join(file)) {
            seen.push((file.into(), bytes));
        }
    }
    let file = std::fs::File::open(s.home().join("acme.tar.gz")).unwrap();
    let mut pack = tar::Archive::new(flate2::read::GzDecoder::new(file));
    for entry in pack.entries().unwrap() {
        let mut entry = entry.unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        seen.push((format!("pack {}", entry.path().unwrap().display()), bytes));
    }
    for r in mock.requests() {
        let headers: Vec<String> = r
            .headers
            .iter()
            .filter(|(k, _)| k != "x-maestro-signature")
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        seen.push((
            format!("request {}", r.target),
            format!("{}\n{}", headers.join("\n"), r.body).into_bytes(),
        ));
    }
    let forms = secret_forms();
    for (what, bytes) in &seen {
        let text = String::from_utf8_lossy(bytes);
        for form in &forms {
            assert!(
                !text.contains(form.as_str()),
                "{what} holds the secret as `{form}`"
            );
        }
    }
    format!(
        "{} outputs, files, pack entries and payloads searched for {} forms of the secret: 0 found",
        seen.len(),
        forms.len()
    )
}
