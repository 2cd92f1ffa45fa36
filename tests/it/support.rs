//! The sandbox: a temporary MAESTRO_HOME, a clean environment, and helpers to run the binary
//! and read the state file behind it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use rusqlite::Connection;

pub const ADMIN: &str = "ops@example.com";
pub const CLOCK: &str = "2026-11-25T10:00:00Z";

/// The `help:` of an invalid `maestro.toml`.
pub const HELP_CONFIG: &str =
    "fix the file; the sections and keys are listed in docs/configuration.md";
/// The `help:` of a sync that could not deliver.
pub const HELP_SYNC: &str =
    "the rows stay queued and are retried by the next sync; see sync:dead for given-up ones";
/// The `help:` of a denial.
pub const HELP_GRANT: &str = "a platform admin can grant a role with `maestro-cli user:add EMAIL --role tenant-admin --tenant TENANT`";

/// The whole stderr of a refusal under `--output json`: the error as one JSON line.
pub fn json_error(code: i32, message: &str, help: Option<&str>) -> String {
    let error = serde_json::json!({
        "error": {"causes": [], "exit_code": code, "help": help, "message": message}
    });
    format!("{error}\n")
}

/// A loopback port nobody listens on (for a moment).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A real server a test started on loopback (Pushgateway, VictoriaMetrics, rsyslogd), stopped
/// on drop.
pub struct Server(Child);

impl Server {
    /// Starts `program` (installed by `scripts/test`) and waits until `ready` says it serves.
    pub fn start<S: AsRef<OsStr>>(
        program: impl AsRef<OsStr>,
        args: &[S],
        ready: impl Fn() -> bool,
    ) -> Server {
        let program = program.as_ref();
        let child = std::process::Command::new(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (scripts/test installs it)",
                    program.to_string_lossy()
                )
            });
        let server = Server(child);
        wait_until(&format!("{} to serve", program.to_string_lossy()), ready);
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Polls `condition` until it holds; panics naming `what` if it never does (a minute: a bound
/// for a broken server, not a guess at how long a working one takes).
pub fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "gave up waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether the tests run as root (`/proc/self` belongs to the process's user).
pub fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

pub struct Sandbox {
    pub dir: tempfile::TempDir,
    /// `MAESTRO_CLOCK` for every command; `None`: the real clock.
    pub clock: Option<&'static str>,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Insists on a refusal: exit `code`, nothing on stdout, and a stderr of exactly
    /// `error: {message}` plus, when given, `help: {help}`.
    #[track_caller]
    pub fn assert_error(&self, code: i32, message: &str, help: Option<&str>) {
        assert_eq!(
            (self.code, self.stdout.as_str(), self.stderr.as_str()),
            (code, "", error_text(message, help).as_str()),
            "exit code, stdout and stderr"
        );
    }

    /// The same for a command that still prints its report on stdout when it fails (`sync`,
    /// `signals:mine`): exit `code` and exactly that stderr; stdout is the caller's to check.
    #[track_caller]
    pub fn assert_failure(&self, code: i32, message: &str, help: Option<&str>) {
        assert_eq!(
            (self.code, self.stderr.as_str()),
            (code, error_text(message, help).as_str()),
            "exit code and stderr"
        );
    }
}

/// The whole stderr of an error: `error: {message}` plus, when given, `help: {help}`.
pub fn error_text(message: &str, help: Option<&str>) -> String {
    match help {
        Some(help) => format!("error: {message}\nhelp: {help}\n"),
        None => format!("error: {message}\n"),
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("tempdir"),
            clock: Some(CLOCK),
        }
    }

    /// A sandbox on the real clock (for tests that compare recorded times).
    pub fn real_clock() -> Sandbox {
        let mut s = Sandbox::new();
        s.clock = None;
        s.ok(ADMIN, &["init"]);
        s
    }

    /// A sandbox whose state was initialised by the platform admin `ops@example.com`.
    pub fn initialised() -> Sandbox {
        let s = Sandbox::new();
        s.ok(ADMIN, &["init"]);
        s
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    pub fn state(&self) -> PathBuf {
        self.home().join("state.db")
    }

    /// The binary with a clean environment: only MAESTRO_HOME and a fixed clock.
    pub fn cmd(&self, actor: Option<&str>) -> Command {
        Command::from_std(self.std_cmd(actor))
    }

    /// The same, as a plain `std::process::Command` (to start it in the background).
    pub fn std_cmd(&self, actor: Option<&str>) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_maestro-cli"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("MAESTRO_HOME", self.home())
            .env("NO_COLOR", "1")
            .env("TMPDIR", self.home())
            .current_dir(self.home());
        if let Some(clock) = self.clock {
            cmd.env("MAESTRO_CLOCK", clock);
        }
        if let Some(actor) = actor {
            cmd.env("MAESTRO_ACTOR", actor);
        }
        cmd
    }

    pub fn run(&self, actor: &str, args: &[&str]) -> Output {
        let actor = (!actor.is_empty()).then_some(actor);
        let out = self.cmd(actor).args(args).output().expect("run");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        }
    }

    /// Runs and insists on exit 0.
    pub fn ok(&self, actor: &str, args: &[&str]) -> Output {
        let out = self.run(actor, args);
        assert_eq!(
            out.code, 0,
            "{args:?} failed:\n{}{}",
            out.stdout, out.stderr
        );
        out
    }

    pub fn json(&self, actor: &str, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend(["--output", "json"]);
        let out = self.ok(actor, &all);
        serde_json::from_str(&out.stdout).expect("json stdout")
    }

    /// Scans one of the real logs in `../shared/data/logs/` for alerts (the log's year given).
    pub fn scan_shared_log(&self, file: &str, year: &str) -> Output {
        let log = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/logs")
            .join(file);
        self.ok(
            ADMIN,
            &[
                "signals:mine",
                "--logs",
                log.to_str().expect("utf-8 path"),
                "--year",
                year,
            ],
        )
    }

    /// Signs a checkpoint of the audit log as it is now (making the log key `log-key/` the
    /// first time), as a pack export needs one that covers the tenant's events.
    pub fn checkpoint(&self) {
        if !self.home().join("log-key/maestro-log.key").exists() {
            self.ok(
                ADMIN,
                &[
                    "audit:keygen",
                    "--dir",
                    "log-key",
                    "--origin",
                    "example.com/audit",
                ],
            );
        }
        self.ok(
            ADMIN,
            &["audit:checkpoint", "--key", "log-key/maestro-log.key"],
        );
    }

    pub fn create(&self, id: &str, regions: &str, admin: &str) -> Output {
        self.ok(
            ADMIN,
            &["tenant:create", id, "--regions", regions, "--admin", admin],
        )
    }

    pub fn db(&self) -> Connection {
        Connection::open(self.state()).expect("open state")
    }

    /// Every row of the tables a command could change, to compare before and after.
    pub fn dump(&self) -> Vec<String> {
        let db = self.db();
        let mut rows = Vec::new();
        let tables: Vec<String> = db
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        for table in tables {
            let mut stmt = db
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
                .expect("prepare");
            let n = stmt.column_count();
            let mut q = stmt.query([]).expect("query");
            while let Some(r) = q.next().expect("row") {
                let cells: Vec<String> = (0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).expect("cell")))
                    .collect();
                rows.push(format!("{table}: {}", cells.join(" | ")));
            }
        }
        rows
    }

    /// Audit actions in order, without the flow engine's `flow.*` events and the decision
    /// log's `policy.allow` (denials, `policy.deny`, are kept).
    pub fn audit_actions(&self) -> Vec<String> {
        let mut all = self.all_audit_actions();
        all.retain(|a| !a.starts_with("flow.") && a != "policy.allow");
        all
    }

    /// The newest flow run's id, if any.
    pub fn newest_run(&self) -> Option<String> {
        self.db()
            .query_row(
                "SELECT id FROM flow_runs ORDER BY created_at DESC, id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .ok()
    }

    /// Runs the binary as a user the file modes bind: `nobody` when the tests run as root
    /// (root writes through any mode), else the user running the tests.
    pub fn run_unprivileged(&self, args: &[&str]) -> Output {
        let inner = self.std_cmd(Some(ADMIN));
        let mut cmd = if is_root() {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(inner.get_program());
            c
        } else {
            std::process::Command::new(inner.get_program())
        };
        cmd.env_clear()
            .envs(inner.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .current_dir(self.home())
            .args(args);
        let out = cmd.output().expect("run");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
        }
    }

    pub fn all_audit_actions(&self) -> Vec<String> {
        let db = self.db();
        let mut stmt = db
            .prepare("SELECT action FROM audit_events ORDER BY seq")
            .expect("prepare");
        stmt.query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }
}

/// The variable that makes `rss_probe` run a command: its spec as JSON.
const RSS_PROBE: &str = "MAESTRO_TEST_RSS_PROBE";

/// Runs `cmd` (its program, arguments, working directory and the variables set on it, in an
/// otherwise empty environment, as `Sandbox::std_cmd` makes it) and returns its output and
/// its peak resident set size in KiB.
///
/// The figure is `getrusage(RUSAGE_CHILDREN)`'s: the largest of every child the asking process
/// has waited for. In this process other tests' commands and servers are children too, so
/// `cmd` runs as the only child of a fresh process: this test binary, re-run on the ignored
/// test `support::rss_probe`. (A spawned child's figure also covers the memory of the process
/// that spawned it, the probe's: a few MiB, so it is an upper bound.)
pub fn run_measuring_peak_rss(cmd: &std::process::Command) -> (Output, u64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let result = dir.path().join("probe.json");
    let text = |s: &OsStr| s.to_str().expect("utf-8").to_string();
    let spec = serde_json::json!({
        "program": text(cmd.get_program()),
        "args": cmd.get_args().map(text).collect::<Vec<_>>(),
        "env": cmd.get_envs().map(|(k, v)| (text(k), v.map(text))).collect::<Vec<_>>(),
        "dir": cmd.get_current_dir().map(|d| text(d.as_os_str())),
        "result": text(result.as_os_str()),
    });
    let probe = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "support::rss_probe",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .env(RSS_PROBE, spec.to_string())
        .output()
        .expect("run the probe");
    let read = std::fs::read(&result);
    assert!(
        probe.status.success() && read.is_ok(),
        "the probe failed:\n{}{}",
        String::from_utf8_lossy(&probe.stdout),
        String::from_utf8_lossy(&probe.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&read.unwrap()).expect("the probe's JSON");
    let output = Output {
        code: r["code"].as_i64().map_or(-1, |c| c as i32),
        stdout: r["stdout"].as_str().expect("stdout").to_string(),
        stderr: r["stderr"].as_str().expect("stderr").to_string(),
    };
    (output, r["max_rss_kib"].as_u64().expect("max_rss_kib"))
}

/// Not a test: the process `run_measuring_peak_rss` starts to run one command. Without its
/// variable (an ordinary run with `--ignored`) it does nothing.
#[test]
#[ignore = "a helper run by support::run_measuring_peak_rss in a process of its own"]
fn rss_probe() {
    let Ok(spec) = std::env::var(RSS_PROBE) else {
        return;
    };
    let spec: serde_json::Value = serde_json::from_str(&spec).unwrap();
    let text = |v: &serde_json::Value| v.as_str().unwrap().to_string();
    let mut cmd = std::process::Command::new(text(&spec["program"]));
    cmd.env_clear();
    cmd.args(spec["args"].as_array().unwrap().iter().map(text));
    for pair in spec["env"].as_array().unwrap() {
        match pair[1].as_str() {
            Some(value) => cmd.env(text(&pair[0]), value),
            None => cmd.env_remove(text(&pair[0])),
        };
    }
    if let Some(dir) = spec["dir"].as_str() {
        cmd.current_dir(dir);
    }
    let out = cmd.output().unwrap();
    let usage =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).unwrap();
    let result = serde_json::json!({
        "code": out.status.code(),
        "stdout": String::from_utf8_lossy(&out.stdout),
        "stderr": String::from_utf8_lossy(&out.stderr),
        "max_rss_kib": usage.max_rss(),
    });
    std::fs::write(text(&spec["result"]), result.to_string()).unwrap();
}

/// What a command did on a pseudo-terminal (`tests/fixtures/answer_pty.py`).
pub struct OnTerminal {
    pub code: i32,
    /// Everything the terminal showed, stdout and stderr together, CRs removed.
    pub screen: String,
}

impl Sandbox {
    /// Runs the binary as `actor` on a pseudo-terminal, in the sandbox's directory, answering
    /// `answer` if it asks `[y/N]`.
    pub fn on_terminal(&self, actor: &str, answer: &str, args: &[&str]) -> OnTerminal {
        let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/answer_pty.py");
        let mut cmd = std::process::Command::new("python3");
        cmd.arg(driver)
            .arg(answer)
            .arg(env!("CARGO_BIN_EXE_maestro-cli"))
            .args(args)
            .current_dir(self.home())
            .env("MAESTRO_HOME", self.home())
            .env("NO_COLOR", "1");
        if let Some(clock) = self.clock {
            cmd.env("MAESTRO_CLOCK", clock);
        }
        if !actor.is_empty() {
            cmd.env("MAESTRO_ACTOR", actor);
        }
        let out = cmd.output().expect("python3");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let shown: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        OnTerminal {
            code: shown["code"].as_i64().unwrap_or(-1) as i32,
            screen: shown["screen"].as_str().unwrap_or_default().to_string(),
        }
    }
}
