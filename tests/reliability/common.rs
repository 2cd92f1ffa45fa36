//! What the cases share: the tier, a seeded random source, a command killed at a random point.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{ADMIN, Sandbox};

pub struct Tier {
    pub name: &'static str,
    /// Rounds of each kill case.
    pub rounds: usize,
}

impl Tier {
    pub fn from_env() -> Tier {
        match std::env::var("MAESTRO_RELIABILITY").as_deref() {
            Ok("long") => Tier {
                name: "long",
                rounds: 200,
            },
            _ => Tier {
                name: "quick",
                rounds: 6,
            },
        }
    }
}

/// xorshift64: where kills land, replayable from the seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A duration in `[0, max)`.
    pub fn below(&mut self, max: Duration) -> Duration {
        let nanos = max.as_nanos().max(1) as u64;
        Duration::from_nanos(self.next() % nanos)
    }
}

/// Runs `args` in `s` and SIGKILLs it after `after` unless it ended first; whether it was
/// killed before it ended.
pub fn kill_after(s: &Sandbox, args: &[&str], after: Duration) -> bool {
    let mut child = s
        .std_cmd(Some(ADMIN))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + after;
    while Instant::now() < deadline {
        if child.try_wait().expect("wait").is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1).min(after));
    }
    let killed = child.try_wait().expect("wait").is_none();
    let _ = child.kill();
    child.wait().expect("wait");
    killed
}

/// How long `args` takes to run to its end in a sandbox made by `fresh` (where to spread the
/// kills; never an expectation).
pub fn span(fresh: impl Fn() -> Sandbox, args: &[&str]) -> Duration {
    let s = fresh();
    let started = Instant::now();
    s.ok(ADMIN, args);
    started.elapsed()
}

/// The rows of `table`, in order, as text: what two states are compared by.
pub fn rows(s: &Sandbox, table: &str) -> Vec<String> {
    let db = s.db();
    let mut stmt = db
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2, 3"))
        .expect("prepare");
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        (0..n)
            .map(|i| {
                r.get::<_, rusqlite::types::Value>(i)
                    .map(|v| format!("{v:?}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join("|"))
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

/// The state is whole: SQLite's integrity check passes and the audit chain verifies.
pub fn state_is_whole(s: &Sandbox) {
    let check: String = s
        .db()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(check, "ok", "{}", s.home().display());
    let report = s.json(ADMIN, &["audit:verify"]);
    assert_eq!(report["ok"], true, "{report}");
}

/// A bare git repository with `n` commits over `n / 4` days, written with `git fast-import`.
pub fn git_repo(path: &Path, n: usize) {
    std::fs::create_dir_all(path).expect("mkdir");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", path)
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    let mut stream = String::new();
    for i in 0..n {
        let when = 1_764_000_000 + (i as i64) * 6 * 3600;
        let body = format!("line {i}\n");
        stream.push_str(&format!(
            "commit refs/heads/main\nauthor Dev{} <dev{}@example.com> {when} +0000\ncommitter C <c@example.com> {when} +0000\ndata 9\ncommit {:02}\nM 644 inline f{}.txt\ndata {}\n{body}\n",
            i % 5,
            i % 5,
            i % 100,
            i % 7,
            body.len()
        ));
    }
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(path)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", path)
        .stdin(Stdio::piped())
        .spawn()
        .expect("fast-import");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("write");
    assert!(child.wait().expect("wait").success());
    git(&["checkout", "-q", "main"]);
}

/// The binary in `s`'s environment (as `Sandbox::std_cmd`), started through `sh -c script`
/// with the binary's path as `$0` and `args` after it: for a shell limit around one command.
pub fn under_shell(s: &Sandbox, script: &str, args: &[&str]) -> std::process::Command {
    let inner = s.std_cmd(Some(ADMIN));
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .arg(inner.get_program())
        .args(args)
        .env_clear()
        .envs(inner.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .current_dir(s.home());
    cmd
}

/// A sandbox holding a copy of the state files in `dir`.
pub fn sandbox_of(dir: &Path) -> Sandbox {
    let s = Sandbox::new();
    for e in std::fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if p.is_file() {
            std::fs::copy(&p, s.home().join(p.file_name().expect("name"))).expect("copy");
        }
    }
    s
}

/// `pack:export` of tenant acme, signed with `keys/maestro-pack.key`: the words before the
/// `--out` path.
pub const EXPORT_ACME: [&str; 6] = [
    "pack:export",
    "--tenant",
    "acme",
    "--key",
    "keys/maestro-pack.key",
    "--out",
];

/// `pack:export` of tenant acme to `out`.
pub fn export_acme(s: &Sandbox, out: &str) {
    let mut args = EXPORT_ACME.to_vec();
    args.push(out);
    s.ok(ADMIN, &args);
}
