//! The command line itself: help, version, usage errors, exit codes, completions.

use crate::support::{ADMIN, Sandbox};

#[test]
fn version_never_touches_the_state() {
    let s = Sandbox::new();
    let out = s
        .cmd(None)
        .args(["--state", "/dev/null/nope/state.db", "--version"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("maestro-cli {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = s
        .cmd(None)
        .args([
            "--state",
            "/dev/null/nope/state.db",
            "tenant:create",
            "--help",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!s.state().exists());
}

#[test]
fn unwritable_state_is_a_clear_error() {
    let s = Sandbox::new();
    let out = s.run(
        "ops@example.com",
        &["--state", "/dev/null/nope/state.db", "init"],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: cannot create state directory `/dev/null/nope`: Not a directory (os error 20)\n\
         help: choose a writable location with `--state PATH` or MAESTRO_HOME\n"
    );
}

#[test]
fn newer_state_is_refused() {
    let s = Sandbox::initialised();
    s.db().pragma_update(None, "user_version", 999).unwrap();
    s.run("ops@example.com", &["tenant:list"]).assert_error(
        1,
        &format!(
            "state file `{}` has schema version 999, newer than this maestro-cli knows ({})",
            s.state().display(),
            maestro_cli::store::Store::known_version()
        ),
        Some(
            "this state was written by a newer maestro-cli: upgrade maestro-cli, or point `--state` at another file",
        ),
    );
}

#[test]
fn usage_errors_exit_2() {
    let s = Sandbox::new();
    for args in [
        vec!["tenant:frobnicate"],
        vec!["tenant:create", "acme"],
        vec!["--output", "xml", "tenant:list"],
    ] {
        let out = s.run("", &args);
        assert_eq!(out.code, 2, "{args:?}");
    }
    assert!(!s.state().exists());
}

#[test]
fn help_is_stable_and_has_examples() {
    let s = Sandbox::new();
    let top = s.run("", &["--help"]);
    assert_eq!(top.code, 0);
    insta::assert_snapshot!("help_top", top.stdout);
    for cmd in [
        "init",
        "tenant:create",
        "tenant:list",
        "tenant:show",
        "tenant:update",
        "tenant:delete",
        "tenant:manifests",
        "user:add",
        "user:list",
        "audit:log",
        "audit:verify",
        "audit:keygen",
        "audit:checkpoint",
        "audit:prove",
        "flow:list",
        "flow:validate",
        "flow:graph",
        "flow:run",
        "flow:status",
        "flow:runs",
        "flow:logs",
        "flow:resume",
        "policy:check",
        "policy:test",
        "policy:log",
        "policy:drift",
        "policy:eval",
        "policy:bundle",
        "deploy:list",
        "pack:keygen",
        "pack:export",
        "pack:verify",
        "dashboard:publish",
        "intelgraph:schema",
        "intelgraph:export",
        "sync",
        "trial:up",
        "trial:down",
        "status",
        "completions",
    ] {
        let out = s.run("", &[cmd, "--help"]);
        assert_eq!(out.code, 0, "{cmd}");
        assert!(
            out.stdout.contains("Example"),
            "{cmd} --help has no example"
        );
        insta::assert_snapshot!(format!("help_{}", cmd.replace(':', "_")), out.stdout);
    }
}

#[test]
fn committed_completions_are_current() {
    let s = Sandbox::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        ("bash", "maestro-cli.bash"),
        ("zsh", "_maestro-cli"),
        ("fish", "maestro-cli.fish"),
        ("powershell", "_maestro-cli.ps1"),
    ] {
        let out = s.run("", &["completions", shell]);
        assert_eq!(out.code, 0);
        let committed = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "completions/{file} is stale: run `cargo run -- completions --dir completions`"
        );
    }
}

/// A value with control characters reaches the terminal escaped: a newline in a tenant id
/// cannot forge a `help:` line, an escape sequence cannot recolour or clear the screen.
#[test]
fn control_characters_in_arguments_are_shown_escaped() {
    let s = Sandbox::initialised();
    let help = Some(maestro_cli::model::ids::TENANT_ID_HELP);
    s.run(ADMIN, &["tenant:show", "x\nhelp: run `rm -rf ~`"]).assert_error(
        1,
        "invalid tenant id `x\\nhelp: run `rm -rf ~``: a character `\\n` at position 2; only lowercase letters, digits and `-` are allowed",
        help,
    );
    s.run(ADMIN, &["tenant:show", "\u{1b}[2J\r"]).assert_error(
        1,
        "invalid tenant id `\\e[2J\\r`: a character `\\u{1b}` at position 1; only lowercase letters, digits and `-` are allowed",
        help,
    );
}

/// A log field with control characters (a user name from an auth log) is escaped in a table
/// cell, and kept as it was in JSON.
#[test]
fn control_characters_in_log_fields_are_escaped_in_tables() {
    let s = Sandbox::initialised();
    let file = s.home().join("auth.log");
    std::fs::write(
        &file,
        "Jan  1 00:01:00 \u{1b}[2Jx\u{7}y sshd[2]: Accepted password for root from 10.0.0.9 port 22 ssh2\n",
    )
    .unwrap();
    s.ok(
        ADMIN,
        &[
            "signals:mine",
            "--logs",
            file.to_str().unwrap(),
            "--year",
            "2026",
        ],
    );
    let json = s.json(ADMIN, &["signals:alerts"]);
    assert_eq!(json[0]["host"], "\u{1b}[2Jx\u{7}y", "{json}");
    let table = s.ok(ADMIN, &["signals:alerts", "--output", "table"]).stdout;
    assert!(table.contains("\\e[2Jx\\x07y"), "{table}");
    assert!(!table.contains(['\u{1b}', '\u{7}']), "{table}");
}

/// A template over 1 MiB is refused before it is read whole; a long line quoted back in a
/// problem is cut.
#[test]
fn huge_templates_are_refused_and_long_lines_cut() {
    let s = Sandbox::initialised();
    let big = s.home().join("big.yaml");
    let mut text =
        String::from("name: big\nsteps:\n  - id: a\n    uses: noop\n    with:\n      m: ");
    text.push_str(&"y".repeat(2 << 20));
    text.push('\n');
    std::fs::write(&big, &text).unwrap();
    let before = s.dump();
    s.run(ADMIN, &["flow:run", big.to_str().unwrap()])
        .assert_error(
            1,
            &format!(
                "cannot read `{}`: larger than a flow template may be (1024 KiB)",
                big.display()
            ),
            None,
        );
    assert_eq!(s.dump(), before);
    let long = s.home().join("long.yaml");
    std::fs::write(
        &long,
        format!(
            "name: long\nsteps:\n  - id: a\n    uses: nosuch\n    with: {{ m: {} }}\n",
            "y".repeat(900_000)
        ),
    )
    .unwrap();
    let out = s.run(ADMIN, &["flow:validate", long.to_str().unwrap()]);
    assert_eq!(out.code, 4, "{}", out.stderr.len());
    assert!(
        out.stderr.len() < 4000,
        "{} bytes of stderr",
        out.stderr.len()
    );
}

/// Sets the mode of the state file and its `-wal` and `-shm` files, giving them and the
/// sandbox to `nobody` when the tests run as root.
fn state_modes(s: &Sandbox, state: u32, sidecars: u32) {
    use std::os::unix::fs::PermissionsExt;
    let root = crate::support::is_root();
    if root {
        std::os::unix::fs::chown(s.home(), Some(65534), Some(65534)).unwrap();
    }
    for (suffix, mode) in [("", state), ("-wal", sidecars), ("-shm", sidecars)] {
        let path = s.home().join(format!("state.db{suffix}"));
        if !path.exists() {
            continue;
        }
        if root {
            std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

/// A read-only state: reads work, a write is refused as the state's problem (not the policy
/// engine's) with what to do, and nothing changes.
#[test]
fn a_read_only_state_is_read_and_a_write_says_why_it_failed() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    state_modes(&s, 0o400, 0o400);
    let read = |what: &str| s.run_unprivileged(&[what, "--output", "json"]);
    let (tenants, events) = (read("tenant:list"), read("audit:log"));
    assert_eq!(
        (tenants.code, events.code),
        (0, 0),
        "{}{}",
        tenants.stderr,
        events.stderr
    );
    let create = [
        "tenant:create",
        "globex",
        "--regions",
        "eu-west-1",
        "--admin",
        "gus@globex.example",
    ];
    s.run_unprivileged(&create).assert_error(
        1,
        &format!("state file `{}`: attempt to write a readonly database", s.state().display()),
        Some("the state file, its directory or its mount is read-only: make them writable (the directory too, for the -wal and -shm files); nothing was changed"),
    );
    assert_eq!(read("tenant:list").stdout, tenants.stdout);
    assert_eq!(read("audit:log").stdout, events.stdout);
    // Its mode fixed, with the -wal and -shm left read-only as SQLite made them, it takes writes.
    use std::os::unix::fs::PermissionsExt;
    let shm = std::fs::metadata(s.home().join("state.db-shm")).unwrap();
    assert_eq!(shm.permissions().mode() & 0o777, 0o400);
    state_modes(&s, 0o600, 0o400);
    let out = s.run_unprivileged(&create);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// `tenant create …` is `tenant:create …`; `tenant` and `help tenant` list the group; a
/// mistyped command is answered with the closest names, best first.
#[test]
fn the_spaced_form_groups_and_closest_names() {
    let s = Sandbox::initialised();
    s.ok(
        ADMIN,
        &[
            "tenant",
            "create",
            "acme",
            "--regions",
            "eu-west-1",
            "--admin",
            "a@acme.example",
        ],
    );
    assert_eq!(s.json(ADMIN, &["tenant", "show", "acme"])["id"], "acme");
    for args in [&["tenant"][..], &["help", "tenant"], &["tenant", "--help"]] {
        let out = s.ok("", args);
        for command in [
            "tenant:create",
            "tenant:list",
            "tenant:show",
            "tenant:update",
            "tenant:delete",
            "tenant:manifests",
        ] {
            assert!(
                out.stdout.contains(&format!("\n  {command} ")),
                "{args:?}: {}",
                out.stdout
            );
        }
    }
    let help = s.ok("", &["help", "tenant", "show"]);
    assert!(
        help.stdout.contains("Usage: maestro-cli tenant:show"),
        "{}",
        help.stdout
    );
    // `sync` is a command and a group: alone, it is the command.
    assert!(s.run(ADMIN, &["sync"]).stderr.contains("no [[adapters]]"));
    let typo = s.run("", &["tenant:craete"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr
            .contains("tip: some similar subcommands exist: 'tenant:create', "),
        "{}",
        typo.stderr
    );
}

/// A reading command on a state that does not exist (a mistyped `--state`) says so and
/// creates nothing; a first write still creates the state and bootstraps its admin.
#[test]
fn a_read_of_a_missing_state_creates_nothing() {
    let s = Sandbox::new();
    let typo = s.home().join("stat.db");
    let typo_arg = typo.to_str().unwrap();
    let help = "create it with `maestro-cli --actor you@example.com init`, or check `--state`, MAESTRO_STATE and MAESTRO_HOME; nothing was created";
    for args in [
        &["tenant:list"][..],
        &["tenant:show", "acme"],
        &["user:list"],
        &["audit:log"],
        &["audit:verify"],
        &["flow:runs"],
        &["flow:status", "01a2521b-4631-765a-bf3d-6470dcdcd8fe"],
        &["deploy:list"],
        &["policy:log"],
        &["cost:report", "--from", "2026-01-01", "--to", "2026-01-31"],
        &["signals:alerts"],
        &["sync:dead"],
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "k.key",
            "--out",
            "p.tar.gz",
        ],
        &["status"],
    ] {
        let mut all = vec!["--state", typo_arg];
        all.extend_from_slice(args);
        s.run(ADMIN, &all).assert_error(
            1,
            &format!("no state at `{}`", typo.display()),
            Some(help),
        );
        assert!(!typo.exists(), "{args:?} created the state");
    }
    assert!(!s.state().exists());
}

/// On a terminal a destructive command asks, and does nothing unless the answer is yes.
#[test]
fn a_destructive_command_asks_on_a_terminal() {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    let answer = |reply: &str| s.on_terminal(ADMIN, reply, &["tenant:delete", "acme"]);
    let no = answer("n");
    assert_eq!(no.code, 1, "{}", no.screen);
    let screen = &no.screen;
    assert!(
        screen.starts_with(
            "Mark tenant `acme` deleted (its data is kept, its admins lose it)? [y/N] n\n"
        ) && screen.contains("error: deleting tenant `acme`: not confirmed, nothing was changed"),
        "{screen}"
    );
    assert_eq!(s.json(ADMIN, &["tenant:show", "acme"])["status"], "active");
    let yes = answer("y");
    assert_eq!(yes.code, 0, "{}", yes.screen);
    assert_eq!(s.json(ADMIN, &["tenant:show", "acme"])["status"], "deleted");
}
