//! signals:mine / signals:report / signals:alerts through the binary: real repositories built
//! with the git CLI (chosen dates, merges, branches, a force push, broken repositories), and
//! the real logs in `../shared/data/logs/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{ADMIN, HELP_GRANT, Sandbox, json_error};

/// A repository driven by the git CLI with fixed identities and dates.
struct Repo {
    path: PathBuf,
}

impl Repo {
    fn init(path: PathBuf) -> Repo {
        std::fs::create_dir_all(&path).unwrap();
        let repo = Repo { path };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(&self.path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &self.path)
            .env("GIT_COMMITTER_NAME", "Committer")
            .env("GIT_COMMITTER_EMAIL", "committer@example.com")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// A commit touching `file`, by `author` (`Name <email>`), at `date` (RFC 3339).
    fn commit(&self, author: &str, date: &str, file: &str, message: &str) -> String {
        let body = format!("{message}\n{date}\n");
        std::fs::write(self.path.join(file), body).unwrap();
        self.git(&["add", file]);
        let out = Command::new("git")
            .args(["commit", "-q", "--author", author, "-m", message])
            .current_dir(&self.path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &self.path)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_COMMITTER_NAME", "Committer")
            .env("GIT_COMMITTER_EMAIL", "committer@example.com")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.git(&["rev-parse", "HEAD"])
    }

    fn merge(&self, branch: &str, date: &str) {
        let out = Command::new("git")
            .args(["merge", "-q", "--no-ff", "-m", "Merge dev", branch])
            .current_dir(&self.path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &self.path)
            .env("GIT_AUTHOR_NAME", "Alice")
            .env("GIT_AUTHOR_EMAIL", "alice@example.com")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_COMMITTER_NAME", "Committer")
            .env("GIT_COMMITTER_EMAIL", "committer@example.com")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn arg(&self) -> &str {
        self.path.to_str().unwrap()
    }
}

const ALICE: &str = "Alice <alice@example.com>";
const BOB: &str = "Bob <bob@example.com>";
const BOT: &str = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>";

/// main: 3 commits on 11-01 (two authors), 1 on 11-02, a bot commit; dev: 2 commits on 11-03;
/// dev merged into main on 11-04; one commit at 01:00 +02:00 on 11-05, which is 11-04 in UTC.
fn history(s: &Sandbox) -> Repo {
    let r = Repo::init(s.home().join("app"));
    r.commit(ALICE, "2026-11-01T09:00:00Z", "a", "feat: tenants");
    r.commit(BOB, "2026-11-01T10:00:00Z", "b", "fix(flow): retry once");
    r.commit(ALICE, "2026-11-01T23:59:59Z", "a", "docs: readme");
    r.commit(
        BOB,
        "2026-11-02T08:00:00Z",
        "b",
        "perf: a novel index for lookups",
    );
    r.commit(
        BOT,
        "2026-11-02T09:00:00Z",
        "deps",
        "build(deps): bump serde",
    );
    r.git(&["checkout", "-q", "-b", "dev", "HEAD~1"]);
    r.commit(ALICE, "2026-11-03T12:00:00Z", "c", "feat: dashboards");
    r.commit(BOB, "2026-11-03T13:00:00Z", "d", "Update things");
    r.git(&["checkout", "-q", "main"]);
    r.merge("dev", "2026-11-04T08:00:00Z");
    r.commit(ALICE, "2026-11-05T01:00:00+02:00", "e", "refactor: split");
    r
}

fn mine(s: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["signals:mine"];
    all.extend_from_slice(args);
    s.json(ADMIN, &all)
}

fn by_key(report: &Value) -> BTreeMap<String, (u64, u64)> {
    report
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"].as_str().unwrap().to_string(),
                (
                    g["commits"].as_u64().unwrap(),
                    g["authors"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

fn commit_rows(s: &Sandbox) -> i64 {
    s.db()
        .query_row("SELECT count(*) FROM signal_commits", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn daily_counts_skip_merges_and_bots_and_count_shared_history_once() {
    let s = Sandbox::initialised();
    let r = history(&s);
    let out = mine(&s, &["--repo", r.arg()]);
    let repo = &out["repos"][0];
    assert_eq!(repo["branch"], "refs/heads/main");
    // 8 commits reachable: 4 + bot + 2 on dev + the merge + 1.
    assert_eq!(repo["walked"], 9);
    assert_eq!(repo["merges"], 1);
    assert_eq!(repo["bots"], 1);
    assert_eq!(repo["new"], 7);
    let report = s.json(ADMIN, &["signals:report"]);
    let expected: BTreeMap<String, (u64, u64)> = [
        ("2026-11-01", (3, 2)),
        ("2026-11-02", (1, 1)),
        ("2026-11-03", (2, 2)),
        ("2026-11-04", (1, 1)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(by_key(&report), expected, "{report}");
    // --since is inclusive, --until exclusive (UTC days).
    let window = by_key(&s.json(
        ADMIN,
        &[
            "signals:report",
            "--since",
            "2026-11-02",
            "--until",
            "2026-11-04",
        ],
    ));
    let days: Vec<&String> = window.keys().collect();
    assert_eq!(days, ["2026-11-02", "2026-11-03"]);

    // The dev branch's commits are already counted through the merge.
    let dev = mine(&s, &["--repo", r.arg(), "--branch", "dev"]);
    assert_eq!(dev["repos"][0]["new"], 0);
    assert_eq!(dev["repos"][0]["walked"], 0);
    // So is a second clone of the same history.
    let clone = s.home().join("clone");
    r.git(&["clone", "-q", r.arg(), clone.to_str().unwrap()]);
    let again = mine(&s, &["--repo", clone.to_str().unwrap()]);
    assert_eq!(again["repos"][0]["new"], 0);
    assert_eq!(commit_rows(&s), 7);

    let types = by_key(&s.json(ADMIN, &["signals:report", "--by", "type"]));
    assert_eq!(types["feat"], (2, 1));
    assert_eq!(types["other"], (1, 1));
    assert!(
        !types.contains_key("build"),
        "bot commits are not counted: {types:?}"
    );
    let weeks = by_key(&s.json(ADMIN, &["signals:report", "--by", "week"]));
    assert_eq!(weeks["2026-W44"], (3, 2));
    assert_eq!(weeks["2026-W45"], (4, 2));
    let innovation: u64 = s
        .json(ADMIN, &["signals:report", "--by", "author"])
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["innovations"].as_u64().unwrap())
        .sum();
    assert_eq!(innovation, 1);
    let table = s.ok(ADMIN, &["signals:report"]).stdout;
    assert!(table.starts_with("DAY (UTC)"), "{table}");
}

#[test]
fn stats_count_files_and_lines() {
    let s = Sandbox::initialised();
    let r = Repo::init(s.home().join("app"));
    r.commit(ALICE, "2026-11-01T09:00:00Z", "a", "feat: one");
    std::fs::write(r.path.join("b"), "1\n2\n3\n").unwrap();
    std::fs::write(r.path.join("a"), "changed\n").unwrap();
    r.git(&["add", "a", "b"]);
    r.git(&[
        "-c",
        "user.name=A",
        "-c",
        "user.email=a@example.com",
        "commit",
        "-qm",
        "fix: two",
    ]);
    mine(&s, &["--repo", r.arg(), "--stats"]);
    let report = s.json(ADMIN, &["signals:report", "--by", "repo"]);
    let g = &report[0];
    // Commit 1: 1 file, +2. Commit 2: 2 files, +4 -2.
    assert_eq!(
        (
            g["files"].as_i64(),
            g["insertions"].as_i64(),
            g["deletions"].as_i64()
        ),
        (Some(3), Some(6), Some(2)),
        "{report}"
    );
}

#[test]
fn reruns_walk_only_new_commits_and_change_nothing_when_nothing_is_new() {
    let s = Sandbox::initialised();
    let r = history(&s);
    mine(&s, &["--repo", r.arg()]);
    let before = s.dump();
    let again = mine(&s, &["--repo", r.arg()]);
    assert_eq!(again["repos"][0]["walked"], 0);
    assert_eq!(s.dump(), before, "a rerun with nothing new wrote something");

    r.commit(BOB, "2026-11-06T10:00:00Z", "f", "feat: one more");
    let next = mine(&s, &["--repo", r.arg()]);
    assert_eq!(next["repos"][0]["walked"], 1);
    assert_eq!(next["repos"][0]["new"], 1);
    assert_eq!(commit_rows(&s), 8);
    let mined: Vec<String> = s.audit_actions();
    assert_eq!(mined.iter().filter(|a| *a == "signals.mine").count(), 2);
}

#[test]
fn a_force_push_is_re_mined_from_the_merge_base_without_double_counting() {
    let s = Sandbox::initialised();
    let r = Repo::init(s.home().join("app"));
    r.commit(ALICE, "2026-11-01T09:00:00Z", "a", "feat: one");
    r.commit(ALICE, "2026-11-02T09:00:00Z", "a", "feat: two");
    r.commit(ALICE, "2026-11-03T09:00:00Z", "a", "feat: three (wip)");
    mine(&s, &["--repo", r.arg()]);
    // Rewrite the last commit, as `git commit --amend && git push --force` would.
    r.git(&["reset", "-q", "--hard", "HEAD~1"]);
    r.commit(ALICE, "2026-11-04T09:00:00Z", "a", "feat: three");
    let out = mine(&s, &["--repo", r.arg()]);
    let repo = &out["repos"][0];
    assert_eq!(repo["rewritten"], true);
    assert_eq!(repo["walked"], 1, "walked from the merge base: {out}");
    assert_eq!(
        (repo["new"].as_u64(), repo["removed"].as_u64()),
        (Some(1), Some(1))
    );
    let days = by_key(&s.json(ADMIN, &["signals:report"]));
    let keys: Vec<&String> = days.keys().collect();
    assert_eq!(keys, ["2026-11-01", "2026-11-02", "2026-11-04"]);
    assert_eq!(commit_rows(&s), 3);
}

#[test]
fn overlapping_cron_runs_never_double_count() {
    let s = Sandbox::initialised();
    let r = history(&s);
    let children: Vec<_> = (0..4)
        .map(|_| {
            s.std_cmd(Some(ADMIN))
                .args(["signals:mine", "--quiet", "--repo", r.arg()])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let busy = format!(
        "note: another signals:mine is running (lock `{}`); nothing done. Pass --wait to wait for it\n",
        s.home().join("state.db.signals.lock").display()
    );
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "--quiet prints nothing on success");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty() || err == busy, "{err}");
    }
    assert_eq!(commit_rows(&s), 7);
    let mined = s
        .audit_actions()
        .iter()
        .filter(|a| *a == "signals.mine")
        .count();
    assert_eq!(mined, 1, "exactly one run mined");

    // --wait queues behind a held lock instead of leaving.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(s.home().join("state.db.signals.lock"))
        .unwrap();
    let held = nix::fcntl::Flock::lock(lock, nix::fcntl::FlockArg::LockExclusive).unwrap();
    let out = s.ok(ADMIN, &["signals:mine", "--repo", r.arg()]);
    assert_eq!(out.stderr, busy);
    let mut waiting = s
        .std_cmd(Some(ADMIN))
        .args(["signals:mine", "--wait", "--quiet", "--repo", r.arg()])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(waiting.try_wait().unwrap().is_none(), "--wait did not wait");
    drop(held);
    assert!(waiting.wait().unwrap().success());
}

#[test]
fn broken_repositories_are_per_repo_errors_and_the_others_are_still_mined() {
    let s = Sandbox::initialised();
    let good = Repo::init(s.home().join("good"));
    good.commit(ALICE, "2026-11-01T09:00:00Z", "a", "feat: one");
    std::fs::create_dir(s.home().join("plain")).unwrap();
    let _empty = Repo::init(s.home().join("empty"));
    let bare = s.home().join("bare.git");
    good.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    let shallow = s.home().join("shallow");
    let src = Repo::init(s.home().join("src"));
    src.commit(ALICE, "2026-11-01T09:00:00Z", "a", "feat: one");
    src.commit(ALICE, "2026-11-02T09:00:00Z", "a", "feat: two");
    good.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        &format!("file://{}", src.arg()),
        shallow.to_str().unwrap(),
    ]);
    let corrupt = Repo::init(s.home().join("corrupt"));
    let first = corrupt.commit(ALICE, "2026-11-01T09:00:00Z", "a", "feat: one");
    corrupt.commit(ALICE, "2026-11-02T09:00:00Z", "a", "feat: two");
    std::fs::remove_file(
        corrupt
            .path
            .join(".git/objects")
            .join(&first[..2])
            .join(&first[2..]),
    )
    .unwrap();

    let out = s.run(
        ADMIN,
        &[
            "signals:mine",
            "--output",
            "json",
            "--repo",
            "plain",
            "--repo",
            "empty",
            "--repo",
            "bare.git",
            "--repo",
            "shallow",
            "--repo",
            "corrupt",
            "--repo",
            "missing",
            "--repo",
            "good",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let errors: Vec<String> = report["repos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        errors[4].contains(&first),
        "names the missing object: {errors:?}"
    );
    let expected = [
        "repository `plain`: not a git repository".to_string(),
        "repository `empty`: has no commits yet".to_string(),
        "repository `bare.git`: is a bare repository: signals:mine reads a working clone (`git clone PATH DIR`)".to_string(),
        "repository `shallow`: is a shallow clone: its history is cut, so counts would be wrong (`git fetch --unshallow`)".to_string(),
        format!(
            "repository `{}`: object not found - no match for id ({first})",
            corrupt.arg()
        ),
        "repository `missing`: does not exist".to_string(),
    ];
    assert_eq!(errors[..6], expected);
    assert_eq!(errors[6], "");
    assert_eq!(report["repos"][6]["new"], 1);
    assert_eq!(commit_rows(&s), 1, "only the good repository was stored");
    // One line per failed repository on stderr, as JSON since --output json.
    assert_eq!(out.stderr.lines().count(), 6, "{}", out.stderr);
    let lines: String = expected
        .iter()
        .map(|message| json_error(1, message, None))
        .collect();
    assert_eq!(out.stderr, lines);
}

#[test]
fn tenant_repositories_are_mined_by_their_admins_and_read_by_their_viewers_only() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.create("globex", "us-east-1", "gary@globex.example");
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
    let r = history(&s);
    let denied = s.run(
        "vera@acme.example",
        &["signals:mine", "--repo", r.arg(), "--tenant", "acme"],
    );
    assert_eq!(denied.code, 3, "{}", denied.stderr);
    denied.assert_error(
        3,
        "denied: `vera@acme.example` may not run `signals:mine` on tenant `acme`: it needs tenant-admin of `acme`; `vera@acme.example` is viewer of `acme`",
        Some(HELP_GRANT),
    );
    let denied = s.run(
        "gary@globex.example",
        &["signals:mine", "--repo", r.arg(), "--tenant", "acme"],
    );
    assert_eq!(denied.code, 3);
    assert!(
        !s.dump().iter().any(|row| row.starts_with("signal_")),
        "nothing mined"
    );

    s.ok(
        "alice@acme.example",
        &["signals:mine", "--repo", r.arg(), "--tenant", "acme"],
    );
    let seen = s.json("vera@acme.example", &["signals:report", "--tenant", "acme"]);
    assert_eq!(seen.as_array().unwrap().len(), 4);
    let own = s.json("gary@globex.example", &["signals:report"]);
    assert_eq!(
        own,
        serde_json::json!([]),
        "globex sees none of acme's commits"
    );
    let denied = s.run(
        "gary@globex.example",
        &["signals:report", "--tenant", "acme"],
    );
    assert_eq!(denied.code, 3);
    // The repository belongs to acme now: mining it for another owner is refused.
    let other = s.run(
        ADMIN,
        &["signals:mine", "--repo", r.arg(), "--tenant", "globex"],
    );
    other.assert_failure(
        1,
        &format!(
            "repository `{}` is already mined for another owner; a repository belongs to one tenant",
            r.arg()
        ),
        None,
    );
}

#[test]
fn repositories_come_from_the_config_and_bad_options_are_refused() {
    let s = Sandbox::initialised();
    let r = history(&s);
    std::fs::write(
        s.home().join("maestro.toml"),
        format!(
            "[[signals.repos]]\npath = \"{}\"\nbranch = \"dev\"\n",
            r.arg()
        ),
    )
    .unwrap();
    let out = mine(&s, &[]);
    assert_eq!(out["repos"][0]["branch"], "refs/heads/dev");
    assert_eq!(out["repos"][0]["new"], 6);
    let before = s.dump();
    s.run(ADMIN, &["signals:mine", "--since", "yesterday"])
        .assert_error(
            1,
            "invalid --since `yesterday`: expected a date such as `2026-11-01`",
            None,
        );
    s.run(
        ADMIN,
        &["signals:mine", "--repo", r.arg(), "--branch", "nope"],
    )
    .assert_failure(
        1,
        &format!("repository `{}`: has no branch or ref `nope`", r.arg()),
        None,
    );
    assert_eq!(s.dump(), before);
    std::fs::write(s.home().join("maestro.toml"), "").unwrap();
    s.run(ADMIN, &["signals:mine"]).assert_error(
        1,
        "nothing to mine: give --repo PATH or --logs FILE, or list repositories in [signals] of maestro.toml",
        Some("maestro-cli signals:mine --repo /srv/git/app --tenant acme"),
    );
}

fn logs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/logs")
}

fn scan(s: &Sandbox, file: &Path, extra: &[&str]) -> crate::support::Output {
    let mut args = vec!["signals:mine", "--logs", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    s.ok(ADMIN, &args)
}

fn alerts(s: &Sandbox, actor: &str, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["signals:alerts"];
    all.extend_from_slice(args);
    s.json(actor, &all).as_array().unwrap().clone()
}

#[test]
fn the_console_root_login_in_linux_2k_is_one_high_alert() {
    let s = Sandbox::initialised();
    let out = scan(&s, &logs_dir().join("Linux_2k.log"), &["--year", "2005"]);
    let lines: Vec<Value> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let logins: Vec<&Value> = lines
        .iter()
        .filter(|l| l["alert"] == "root-login")
        .collect();
    assert_eq!(logins.len(), 1, "{}", out.stderr);
    assert_eq!(logins[0]["level"], "high");
    assert_eq!(logins[0]["at"], "2005-07-07T08:06:15");
    assert_eq!(logins[0]["pid"], 2421);
    assert_eq!(logins[0]["user"], "root");
    // The alerts come first, one JSON line each; the note on the year ends stderr.
    assert!(
        out.stderr.ends_with(&format!(
            "\nnote: `{}` has timestamps without a year: 2005 from --year\n",
            logs_dir().join("Linux_2k.log").display()
        )),
        "{}",
        out.stderr
    );
    let high = alerts(&s, ADMIN, &["--level", "high"]);
    let stored: Vec<&Value> = high.iter().filter(|a| a["rule"] == "root-login").collect();
    assert_eq!(stored.len(), 1);
    assert!(
        stored[0]["raw"]
            .as_str()
            .unwrap()
            .contains("session opened for user root by LOGIN(uid=0)")
    );
    assert!(high.iter().all(|a| a["level"] == "high"));
    // This host's sshd logs failures only through PAM: those count.
    let failed: i64 = alerts(&s, ADMIN, &[])
        .iter()
        .filter(|a| a["rule"] == "root-login-failed")
        .map(|a| a["count"].as_i64().unwrap())
        .sum();
    let pam_root = std::fs::read_to_string(logs_dir().join("Linux_2k.log"))
        .unwrap()
        .lines()
        .filter(|l| {
            l.contains("sshd(pam_unix)")
                && l.contains("authentication failure")
                && l.trim_end().ends_with("user=root")
        })
        .count();
    assert_eq!(failed, pam_root as i64);
}

/// `Dec 10 06:55:48` → seconds since the start of December.
fn seconds(line: &str) -> i64 {
    let day: i64 = line[4..6].trim().parse().unwrap();
    let h: i64 = line[7..9].parse().unwrap();
    let m: i64 = line[10..12].parse().unwrap();
    let s: i64 = line[13..15].parse().unwrap();
    ((day * 24 + h) * 60 + m) * 60 + s
}

#[test]
fn openssh_2k_counts_378_failed_root_attempts_and_brute_force_by_source() {
    let s = Sandbox::initialised();
    let file = logs_dir().join("OpenSSH_2k.log");
    scan(&s, &file, &["--year", "2015"]);
    let all = alerts(&s, ADMIN, &[]);
    let failed: Vec<&Value> = all
        .iter()
        .filter(|a| a["rule"] == "root-login-failed")
        .collect();
    assert_eq!(
        failed.len(),
        370,
        "one alert per sshd line, none from pam_unix"
    );
    let attempts: i64 = failed.iter().map(|a| a["count"].as_i64().unwrap()).sum();
    assert_eq!(attempts, 378);
    assert!(failed.iter().all(|a| {
        a["program"] == "sshd"
            && a["raw"]
                .as_str()
                .unwrap()
                .contains("Failed password for root")
    }));

    // Independently: per source, the failed passwords (a repeated line counts N) with times.
    let text = std::fs::read_to_string(&file).unwrap();
    let mut by_source: BTreeMap<String, Vec<(i64, i64)>> = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.split("Failed password for ").nth(1) else {
            continue;
        };
        let Some(source) = rest
            .split(" from ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
        else {
            continue;
        };
        if !line.trim_end().ends_with("ssh2") && !line.trim_end().ends_with("ssh2]") {
            continue;
        }
        let n = line
            .split("message repeated ")
            .nth(1)
            .map_or(1, |r| r.split(' ').next().unwrap().parse().unwrap());
        by_source
            .entry(source.to_string())
            .or_default()
            .push((seconds(line), n));
    }
    // A source deserves an alert when some 5-minute span holds at least 10 attempts.
    let bursting = |events: &[(i64, i64)]| {
        events.iter().enumerate().any(|(i, (t0, _))| {
            events[i..]
                .iter()
                .take_while(|(t, _)| t - t0 <= 300)
                .map(|(_, n)| n)
                .sum::<i64>()
                >= 10
        })
    };
    let expected: Vec<&String> = by_source
        .iter()
        .filter(|(_, e)| bursting(e))
        .map(|(k, _)| k)
        .collect();
    let mut alerted: Vec<&str> = all
        .iter()
        .filter(|a| a["rule"] == "ssh-brute-force")
        .map(|a| a["src_ip"].as_str().unwrap())
        .collect();
    alerted.sort();
    alerted.dedup();
    assert!(!expected.is_empty());
    assert_eq!(alerted, expected, "brute-force alerts by source");
    for a in all.iter().filter(|a| a["rule"] == "ssh-brute-force") {
        assert!(a["count"].as_i64().unwrap() >= 10, "{a}");
        assert_eq!(a["level"], "high");
    }
}

#[test]
fn rescans_rotations_and_appends_never_duplicate_alerts() {
    let s = Sandbox::initialised();
    let text = std::fs::read_to_string(logs_dir().join("OpenSSH_2k.log")).unwrap();
    // Byte for byte (the sample has CRLF line ends): a file is known by its exact first line.
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let live = s.home().join("auth.log");
    std::fs::write(&live, lines[..1000].concat()).unwrap();
    scan(&s, &live, &["--year", "2015"]);
    let first = alerts(&s, ADMIN, &[]).len();
    let before = s.dump();
    let again = scan(&s, &live, &["--year", "2015"]);
    assert!(
        !again.stderr.contains("\"alert\""),
        "a rescan raised alerts again"
    );
    assert_eq!(s.dump(), before, "a rescan changed the state");

    // The file grows: only the new lines are read.
    std::fs::write(&live, lines.concat()).unwrap();
    let grown = s.json(
        ADMIN,
        &[
            "signals:mine",
            "--logs",
            live.to_str().unwrap(),
            "--year",
            "2015",
        ],
    );
    assert_eq!(grown["logs"][0]["lines"], 1000);
    assert_eq!(grown["logs"][0]["already_scanned"], 1000);
    let total = alerts(&s, ADMIN, &[]).len();
    assert!(total > first);

    // Rotated and compressed (auth.log → auth.log.1.gz): the same file, nothing new.
    let rotated = s.home().join("auth.log.1.gz");
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "gzip -c {} > {}",
            live.display(),
            rotated.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    let out = s.json(
        ADMIN,
        &[
            "signals:mine",
            "--logs",
            rotated.to_str().unwrap(),
            "--year",
            "2015",
        ],
    );
    assert_eq!(out["logs"][0]["lines"], 0);
    assert_eq!(out["logs"][0]["already_scanned"], 2000);
    // The full file from stdin, as a fresh scan would read it: still no duplicates.
    let piped = s
        .cmd(Some(ADMIN))
        .args([
            "signals:mine",
            "--logs",
            "-",
            "--year",
            "2015",
            "--output",
            "json",
        ])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(alerts(&s, ADMIN, &[]).len(), total);
    let attempts: i64 = alerts(&s, ADMIN, &[])
        .iter()
        .filter(|a| a["rule"] == "root-login-failed")
        .map(|a| a["count"].as_i64().unwrap())
        .sum();
    assert_eq!(attempts, 378);
}

#[test]
fn year_less_timestamps_take_the_year_of_the_file_mtime() {
    let s = Sandbox::initialised();
    let file = s.home().join("auth.log");
    std::fs::write(
        &file,
        "Dec 31 23:59:00 web1 sshd[1]: Accepted publickey for root from 10.0.0.9 port 22 ssh2\n\
         Jan  1 00:01:00 web1 sshd[2]: Accepted password for root from 10.0.0.9 port 22 ssh2\n",
    )
    .unwrap();
    let status = Command::new("touch")
        .args(["-d", "2007-01-02T00:00:00Z"])
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());
    let out = scan(&s, &file, &[]);
    assert!(
        out.stderr.ends_with(&format!(
            "\nnote: `{}` has timestamps without a year: 2007 from the file's mtime (2007-01-02); pass --year to set it\n",
            file.display()
        )),
        "{}",
        out.stderr
    );
    let at: Vec<String> = alerts(&s, ADMIN, &[])
        .iter()
        .map(|a| a["at"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(at, ["2006-12-31T23:59:00", "2007-01-01T00:01:00"]);
    let since = alerts(&s, ADMIN, &["--since", "2007-01-01"]);
    assert_eq!(since.len(), 1);
    assert_eq!(since[0]["at"], "2007-01-01T00:01:00");
}

#[test]
fn alerts_of_a_tenant_host_are_that_tenant_s_only() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.create("globex", "us-east-1", "gary@globex.example");
    std::fs::write(
        s.home().join("maestro.toml"),
        "[signals.hosts]\nLabSZ = \"acme\"\n",
    )
    .unwrap();
    let denied = s.run(
        "alice@acme.example",
        &[
            "signals:mine",
            "--logs",
            logs_dir().join("OpenSSH_2k.log").to_str().unwrap(),
        ],
    );
    assert_eq!(
        denied.code, 3,
        "scanning system logs is a platform admin's job"
    );
    scan(&s, &logs_dir().join("OpenSSH_2k.log"), &["--year", "2015"]);
    let acme = alerts(&s, "alice@acme.example", &["--tenant", "acme"]);
    assert!(!acme.is_empty());
    assert!(acme.iter().all(|a| a["tenant_id"] == "acme"));
    assert_eq!(alerts(&s, "gary@globex.example", &[]), Vec::<Value>::new());
    let bad = s.run(ADMIN, &["signals:alerts", "--level", "severe"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn a_repository_owned_by_someone_else_is_refused_not_trusted() {
    let s = Sandbox::initialised();
    let r = Repo::init(s.home().join("theirs"));
    r.commit(ALICE, "2026-11-01T09:00:00Z", "a", "feat: one");
    // As git does (CVE-2022-24765): a repository owned by another user is not read unless
    // the operator lists it in safe.directory; maestro-cli never adds such a bypass itself.
    std::os::unix::fs::chown(&r.path, Some(4242), Some(4242)).unwrap();
    std::os::unix::fs::chown(r.path.join(".git"), Some(4242), Some(4242)).unwrap();
    let out = s.run(ADMIN, &["signals:mine", "--repo", r.arg()]);
    out.assert_failure(
        1,
        &format!(
            "repository `{0}`: repository path '{0}' is not owned by current user",
            r.arg()
        ),
        None,
    );
    assert_eq!(commit_rows(&s), 0);
}

/// The latest `commits` outbox row per day: (commits, authors).
fn queued_days(s: &Sandbox) -> BTreeMap<String, (i64, i64)> {
    let db = s.db();
    let mut stmt = db
        .prepare("SELECT payload, tenant_id FROM outbox WHERE kind = 'commits' ORDER BY id")
        .unwrap();
    let mut out = BTreeMap::new();
    for row in stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })
        .unwrap()
    {
        let (payload, tenant) = row.unwrap();
        assert_eq!(tenant.as_deref(), Some("acme"));
        let v: Value = serde_json::from_str(&payload).unwrap();
        out.insert(
            v["day"].as_str().unwrap().to_string(),
            (
                v["commits"].as_i64().unwrap(),
                v["authors"].as_i64().unwrap(),
            ),
        );
    }
    out
}

#[test]
fn daily_commit_signals_are_queued_for_intelgraph_and_a_rewrite_resends_the_days_it_changed() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    let r = Repo::init(s.home().join("app"));
    r.commit(ALICE, "2026-11-01T09:00:00Z", "a", "feat: one");
    r.commit(BOB, "2026-11-01T10:00:00Z", "b", "fix: two");
    r.commit(ALICE, "2026-11-03T09:00:00Z", "a", "feat: three (wip)");
    mine(&s, &["--repo", r.arg(), "--tenant", "acme"]);
    let first = queued_days(&s);
    assert_eq!(
        first,
        BTreeMap::from([("2026-11-01".into(), (2, 2)), ("2026-11-03".into(), (1, 1))])
    );
    let rows = |s: &Sandbox| -> i64 {
        s.db()
            .query_row(
                "SELECT count(*) FROM outbox WHERE kind = 'commits'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let before = rows(&s);
    mine(&s, &["--repo", r.arg(), "--tenant", "acme"]);
    assert_eq!(
        rows(&s),
        before,
        "a rerun that finds nothing queues nothing"
    );
    // A force push moves the last commit to another day: both days are sent again.
    r.git(&["reset", "-q", "--hard", "HEAD~1"]);
    r.commit(ALICE, "2026-11-04T09:00:00Z", "a", "feat: three");
    mine(&s, &["--repo", r.arg(), "--tenant", "acme"]);
    assert_eq!(rows(&s), before + 2, "only the two changed days");
    assert_eq!(
        queued_days(&s),
        BTreeMap::from([
            ("2026-11-01".into(), (2, 2)),
            ("2026-11-03".into(), (0, 0)),
            ("2026-11-04".into(), (1, 1)),
        ])
    );
    s.ok(ADMIN, &["intelgraph:export", "--out", "graph.cypher"]);
    let cypher = std::fs::read_to_string(s.home().join("graph.cypher")).unwrap();
    let signals = cypher
        .matches("MERGE (r:Repo {id: $repo}) MERGE (s:CommitSignal {id: $id})")
        .count();
    assert_eq!(signals, 4, "{cypher}");
    assert!(
        cypher.contains("`tenant`: 'acme'"),
        "the repo is the tenant's: {cypher}"
    );
}

/// On a terminal `signals:mine` counts the commits it walks; piped, it prints no progress.
#[test]
fn mining_shows_its_progress_on_a_terminal_only() {
    let s = Sandbox::initialised();
    let repo = Repo::init(s.home().join("repo"));
    for i in 0..3 {
        repo.commit(
            "Ann <ann@example.com>",
            "2026-11-20T10:00:00Z",
            &format!("f{i}"),
            &format!("feat: change {i}"),
        );
    }
    let shown = s.on_terminal(
        ADMIN,
        "n",
        &["signals:mine", "--repo", repo.path.to_str().unwrap()],
    );
    assert_eq!(shown.code, 0, "{}", shown.screen);
    assert!(shown.screen.contains("3 commits ("), "{}", shown.screen);
    // Piped: the same run prints no counter.
    let repo2 = Repo::init(s.home().join("repo2"));
    repo2.commit(
        "Ann <ann@example.com>",
        "2026-11-20T10:00:00Z",
        "f",
        "feat: one",
    );
    let piped = s.ok(
        ADMIN,
        &["signals:mine", "--repo", repo2.path.to_str().unwrap()],
    );
    assert!(!piped.stderr.contains("commits ("), "{}", piped.stderr);
}
