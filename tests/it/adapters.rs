//! The outbox and the syslog adapter against a real rsyslogd (Debian's `rsyslog`, started by
//! the test on a loopback port with its own configuration, writing what it receives to a
//! file): every audit event arrives with its tenant, a backend that is down loses nothing,
//! and each event arrives exactly once.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{ADMIN, HELP_CONFIG, HELP_SYNC, Sandbox, Server, free_port, json_error};

fn rsyslogd() -> PathBuf {
    ["/usr/sbin/rsyslogd", "/sbin/rsyslogd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("rsyslogd is not installed: `apt-get install rsyslog` (.ci/run does)")
}

/// A running rsyslogd, stopped on drop.
struct Rsyslog {
    _server: Server,
    out: PathBuf,
}

impl Rsyslog {
    fn start(dir: &Path, port: u16) -> Rsyslog {
        let work = dir.join("rsyslog");
        std::fs::create_dir_all(&work).unwrap();
        let out = work.join("received.log");
        let conf = work.join("rsyslog.conf");
        std::fs::write(
            &conf,
            format!(
                "global(workDirectory=\"{w}\")\nmodule(load=\"imtcp\")\ninput(type=\"imtcp\" port=\"{port}\" address=\"127.0.0.1\")\ntemplate(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")\naction(type=\"omfile\" file=\"{o}\" template=\"raw\")\n",
                w = work.display(),
                o = out.display()
            ),
        )
        .unwrap();
        let pid = work.join("rsyslogd.pid");
        let args = [
            OsStr::new("-n"),
            "-f".as_ref(),
            conf.as_os_str(),
            "-i".as_ref(),
            pid.as_os_str(),
        ];
        let server = Server::start(rsyslogd(), &args, || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        Rsyslog {
            _server: server,
            out,
        }
    }

    /// The received lines, once `n` of them are there (rsyslog writes asynchronously).
    fn received(&self, n: usize) -> Vec<String> {
        let started = Instant::now();
        loop {
            let text = std::fs::read_to_string(&self.out).unwrap_or_default();
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            if lines.len() >= n || started.elapsed() > Duration::from_secs(10) {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn config(s: &Sandbox, port: u16) {
    std::fs::write(
        s.home().join("maestro.toml"),
        format!("[[adapters]]\nname = \"siem\"\nkind = \"syslog\"\nurl = \"tcp://127.0.0.1:{port}\"\ntimeout_ms = 1000\n"),
    )
    .unwrap();
}

fn audit_count(s: &Sandbox) -> usize {
    s.db()
        .query_row("SELECT count(*) FROM audit_events", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap() as usize
}

/// The outbox rows a syslog adapter takes (metrics and graph rows go elsewhere).
fn outbox_count(s: &Sandbox) -> usize {
    s.db()
        .query_row(
            "SELECT count(*) FROM outbox WHERE kind IN ('audit', 'alert')",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap() as usize
}

/// The idempotency key (`key="..."`) of each received line.
fn keys(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.split(" key=\"").nth(1).and_then(|r| r.split('"').next()))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_audit_event_reaches_rsyslog_with_its_tenant() {
    let s = Sandbox::initialised();
    let port = free_port();
    config(&s, port);
    s.create("acme", "eu-west-1", "alice@acme.example");
    let server = Rsyslog::start(s.home(), port);
    let out = s.json(ADMIN, &["sync"]);
    let events = audit_count(&s);
    assert_eq!(out[0]["delivered"].as_u64().unwrap() as usize, events);
    assert_eq!(out[0]["pending"], 0);
    let lines = server.received(events);
    assert_eq!(lines.len(), events, "{lines:#?}");
    let create = lines
        .iter()
        .find(|l| l.contains("\"action\":\"tenant.create\""))
        .expect("the tenant.create event");
    assert!(create.starts_with("<134>1 "), "{create}");
    assert!(
        create.contains("[maestro@32473 tenant_id=\"acme\" kind=\"audit\" key=\"audit:"),
        "{create}"
    );
    // A second sync has nothing to send.
    let again = s.json(ADMIN, &["sync"]);
    assert_eq!(again[0]["delivered"], 0);
    let status = s.json(ADMIN, &["status"]);
    let adapter = status["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "adapter")
        .unwrap();
    assert_eq!(adapter["ok"], true, "{adapter}");
    assert!(
        adapter["detail"]
            .as_str()
            .unwrap()
            .contains("siem (syslog): reachable; 0 pending"),
        "{adapter}"
    );
}

#[test]
fn a_backend_that_is_down_loses_nothing_and_gets_each_event_once() {
    let s = Sandbox::initialised();
    let port = free_port();
    config(&s, port);
    // Over 500 events while the backend is down: audit events of 25 new tenants and the
    // security alerts of a real sshd log.
    for i in 0..25 {
        s.create(
            &format!("t{i:02}"),
            "eu-west-1",
            &format!("admin{i}@x.example"),
        );
    }
    s.scan_shared_log("OpenSSH_2k.log", "2015");
    let down = s.run(ADMIN, &["sync", "--output", "json"]);
    assert_eq!(down.code, 1, "{}", down.stderr);
    assert_eq!(
        down.stderr,
        json_error(
            1,
            &format!(
                "adapter `siem`: cannot connect to `127.0.0.1:{port}`: Connection refused (os error 111)"
            ),
            Some(HELP_SYNC),
        )
    );
    let status = s.run(ADMIN, &["status"]);
    assert_eq!(status.code, 4, "an unreachable backend is not online");
    assert!(status.stdout.contains("UNREACHABLE"), "{}", status.stdout);
    let events = outbox_count(&s);
    assert!(
        events >= 500,
        "{events} events: the issue asks for 500 recorded while down"
    );

    // The backend is up: `sync` by hand tries the failed batch now, although on the fixed
    // clock its retry time never comes.
    let server = Rsyslog::start(s.home(), port);
    s.ok(ADMIN, &["sync", "--output", "json"]);
    let lines = server.received(events);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for key in keys(&lines) {
        *seen.entry(key).or_default() += 1;
    }
    assert_eq!(seen.len(), events, "every event arrived");
    assert!(seen.values().all(|n| *n == 1), "no event arrived twice");
    let dead = s.json(ADMIN, &["sync:dead"]);
    assert_eq!(dead, serde_json::json!([]));
}

#[test]
fn adapters_are_validated_and_sync_is_a_platform_admins_job() {
    let s = Sandbox::initialised();
    std::fs::write(
        s.home().join("maestro.toml"),
        "[[adapters]]\nname = \"siem\"\nkind = \"syslog\"\nurl = \"udp://x:1\"\n",
    )
    .unwrap();
    s.run(ADMIN, &["sync"]).assert_error(
        1,
        "maestro.toml:4:7: invalid url `udp://x:1` for a syslog adapter: expected `tcp://host:port`",
        Some(HELP_CONFIG),
    );
    std::fs::write(
        s.home().join("maestro.toml"),
        "[[adapters]]\nname = \"siem\"\nkind = \"carrier-pigeon\"\nurl = \"tcp://x:1\"\n",
    )
    .unwrap();
    s.run(ADMIN, &["sync"]).assert_error(
        1,
        "maestro.toml:3:8: unknown variant `carrier-pigeon`, expected one of `syslog`, `pushgateway`, `victoriametrics`, `loki`, `neo4j`, `grafana`, `webhook`",
        Some(HELP_CONFIG),
    );
    config(&s, free_port());
    s.create("acme", "eu-west-1", "alice@acme.example");
    let denied = s.run("alice@acme.example", &["sync"]);
    assert_eq!(denied.code, 3);
    s.run(ADMIN, &["sync:retry", "999"]).assert_error(
        1,
        "outbox row 999 is not in the dead letter: see `maestro-cli sync:dead`",
        None,
    );
}
