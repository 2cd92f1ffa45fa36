//! Each writing command against a full disk, a file-size limit and a read-only state: a clear
//! error or success, never a panic; the state stays whole, and what was cut short resumes.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;

use crate::common::{Rng, Tier, sandbox_of, state_is_whole, under_shell};
use crate::support::is_root;
use crate::support::{ADMIN, Sandbox};

const SMALL_FLOW: &str = "name: small\nsteps:\n  - id: hello\n    uses: shell\n    with: { run: 'echo hello > hello.txt' }\n  - id: done\n    uses: noop\n    needs: [hello]\n";

/// A state with a tenant, a signing key, a billing file and a flow template beside it.
fn seed() -> Sandbox {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.ok(ADMIN, &["pack:keygen", "--dir", "keys"]);
    s.checkpoint();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/focus/focus_sample_1000.csv"),
        s.home().join("focus.csv"),
    )
    .unwrap();
    std::fs::write(s.home().join("small.yaml"), SMALL_FLOW).unwrap();
    // An empty WAL: a command's writes must take new space, not reuse the WAL's.
    let _: (i64, i64, i64) = s
        .db()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    s
}

/// The writing commands, the round number making ids unique.
fn writer(round: usize) -> Vec<String> {
    let words: Vec<&str> = match round % 4 {
        0 => vec![
            "tenant:create",
            "",
            "--regions",
            "eu-west-1",
            "--admin",
            "a@t.example",
        ],
        1 => vec!["cost:ingest", "focus.csv"],
        2 => vec!["flow:run", "small.yaml"],
        _ => vec![
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "keys/maestro-pack.key",
            "--out",
            "p.tar.gz",
        ],
    };
    let mut args: Vec<String> = words.into_iter().map(String::from).collect();
    if round.is_multiple_of(4) {
        args[1] = format!("t{round}");
    }
    args
}

/// After a command was cut short: the state is whole, every run left running resumes, and
/// the command run again succeeds (or finds its tenant made).
fn recovers(s: &Sandbox, args: &[&str]) {
    state_is_whole(s);
    let running = s.json(ADMIN, &["flow:runs", "--status", "running"]);
    for run in running.as_array().unwrap() {
        s.ok(ADMIN, &["flow:resume", run["id"].as_str().unwrap()]);
    }
    if args[0] == "pack:export" {
        // A pack the cut-short command finished is kept; the rerun writes its own.
        let _ = std::fs::remove_file(s.home().join("p.tar.gz"));
    }
    let again = s.run(ADMIN, args);
    assert!(
        again.code == 0 || again.stderr.contains("already exists"),
        "{args:?} after recovery: {}",
        again.stderr
    );
    state_is_whole(s);
}

/// A command's refusal: exit 1 and an `error:` line that names the cause (after a flow's
/// progress lines, if any), never a panic.
fn clear_error(code: i32, stderr: &str, causes: &[&str], args: &[&str]) {
    assert_eq!(code, 1, "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    let error = stderr.lines().find(|l| l.starts_with("error: "));
    let error = error.unwrap_or_else(|| panic!("{args:?}: no error line: {stderr}"));
    assert!(
        causes.iter().any(|c| stderr.contains(c)),
        "{args:?}: {error}"
    );
}

/// Each writing command with its state on a tmpfs that has only `leave` bytes left (a user and
/// mount namespace, `unshare -rm`, so no root is needed), then the space freed.
pub fn disk_full(tier: &Tier) -> String {
    let seed = seed();
    let leaves = [
        0u64,
        1 << 10,
        4 << 10,
        8 << 10,
        16 << 10,
        32 << 10,
        64 << 10,
        128 << 10,
    ];
    let mut rng = Rng(0xfeed_beef_1234_5678);
    let rounds = tier.rounds.max(8);
    let mut full = 0;
    let script = r#"set -e
mount -t tmpfs -o size=16m tmpfs "$FULL"
cp -a "$SEED/." "$FULL/"
cd "$FULL"
avail=$(df -B1 --output=avail "$FULL" | tail -n 1)
fill=$((avail - LEAVE))
if [ "$fill" -gt 0 ]; then head -c "$fill" /dev/zero > "$FULL/filler" 2>/dev/null || true; fi
set +e
MAESTRO_HOME="$FULL" "$0" "$@" > "$OUT/stdout" 2> "$OUT/stderr"
echo $? > "$OUT/code"
rm -f "$FULL/filler"
mkdir "$OUT/after"
cp -a "$FULL/." "$OUT/after/"
"#;
    for round in 0..rounds {
        let work = tempfile::tempdir().unwrap();
        let (mnt, out) = (work.path().join("mnt"), work.path().join("out"));
        std::fs::create_dir_all(&mnt).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        let leave = leaves[(rng.next() % leaves.len() as u64) as usize];
        let args = writer(round);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let cmd = under_shell(&seed, &script.replace("LEAVE", &leave.to_string()), &args);
        let inner = cmd.get_program().to_owned();
        let mut wrapped = std::process::Command::new("unshare");
        wrapped
            .arg("-rm")
            .arg(inner)
            .args(cmd.get_args())
            .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .env("FULL", &mnt)
            .env("SEED", seed.home())
            .env("OUT", &out);
        let status = wrapped.status().expect("unshare");
        assert!(
            status.success(),
            "unshare -rm: the battery needs user namespaces"
        );
        let code: i32 = std::fs::read_to_string(out.join("code"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let stderr = std::fs::read_to_string(out.join("stderr")).unwrap();
        if code != 0 {
            full += 1;
            clear_error(
                code,
                &stderr,
                &["disk is full", "No space left on device", "is full ("],
                &args,
            );
        }
        let after = sandbox_of(&out.join("after"));
        for f in ["focus.csv", "small.yaml"] {
            std::fs::copy(seed.home().join(f), after.home().join(f)).unwrap();
        }
        copy_dir(&seed.home().join("keys"), &after.home().join("keys"));
        recovers(&after, &args);
    }
    format!("{rounds} rounds, {full} refused for a full disk with a clear error, all recovered")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

/// A fresh copy of the seed state, with the files its commands read.
fn copy_of(seed: &Sandbox) -> Sandbox {
    let s = sandbox_of(seed.home());
    copy_dir(&seed.home().join("keys"), &s.home().join("keys"));
    s
}

/// Each writing command under `ulimit -f` (SIGXFSZ at the first write past the limit: a kill
/// at a write), then recovery.
pub fn file_size_limit(tier: &Tier) -> String {
    let seed = seed();
    let mut rng = Rng(0x5151_7373_aaaa_0001);
    let rounds = tier.rounds.max(8);
    let mut cut = 0;
    for round in 0..rounds {
        let s = copy_of(&seed);
        let blocks = 1 + rng.next() % 640;
        let args = writer(round);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = under_shell(
            &s,
            &format!("ulimit -f {blocks}; exec \"$0\" \"$@\""),
            &args,
        )
        .output()
        .expect("sh");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        if out.status.signal() == Some(25) || out.status.code() != Some(0) {
            cut += 1;
        }
        recovers(&s, &args);
    }
    format!("{rounds} rounds, {cut} cut short by the limit, all recovered")
}

/// Each writing command on a state whose files are read-only to its user: refused with the
/// read-only help, nothing changed; the mode fixed, the command succeeds.
pub fn read_only(_: &Tier) -> String {
    let seed = seed();
    for round in 0..4 {
        let s = copy_of(&seed);
        let before = s.dump();
        let set = |mode: u32| {
            for e in std::fs::read_dir(s.home()).unwrap() {
                let p = e.unwrap().path();
                if is_root() {
                    std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
                    if p.is_dir() {
                        for f in std::fs::read_dir(&p).unwrap() {
                            let f = f.unwrap().path();
                            std::os::unix::fs::chown(&f, Some(65534), Some(65534)).unwrap();
                        }
                    }
                }
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                if name.starts_with("state.db") {
                    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
                }
            }
            if is_root() {
                std::os::unix::fs::chown(s.home(), Some(65534), Some(65534)).unwrap();
            }
        };
        set(0o400);
        let args = writer(round);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = s.run_unprivileged(&args);
        if args[0] == "pack:export" {
            // It only reads the state.
            assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
            continue;
        }
        clear_error(out.code, &out.stderr, &["read-only"], &args);
        assert_eq!(s.dump(), before, "{args:?} changed a read-only state");
        set(0o600);
        let out = s.run_unprivileged(&args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    "3 writing commands refused with the read-only help, nothing changed, then succeed writable; pack:export reads".into()
}
