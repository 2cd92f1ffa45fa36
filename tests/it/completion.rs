//! Completion in real shells: the scripts `completions bash|zsh|fish` prints, loaded into an
//! interactive bash, zsh and fish on a pseudo-terminal (`tests/fixtures/complete_pty.py`),
//! with TAB pressed after each line. Command names with `:` (which bash cuts words at), flags,
//! enum values, and the tenant and run ids of the state as far as the actor may see them.

use std::path::Path;
use std::process::Command;

use crate::support::{ADMIN, CLOCK, Sandbox};

const BOB: &str = "bob@beta.example";

/// Two tenants, each made by a `new-tenant` run; bob administers `beta` only.
fn platform() -> Sandbox {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    s.create("beta", "eu-west-1", BOB);
    s
}

/// The words of each of `lines` after TAB in `shell`, typed as `actor`.
fn complete(s: &Sandbox, shell: &str, actor: &str, lines: &[&str]) -> Vec<Vec<String>> {
    Command::new(shell)
        .arg("--version")
        .output()
        .unwrap_or_else(|_| {
            panic!("{shell} is not installed: `apt-get install {shell}` (scripts/test does)")
        });
    let script = s.home().join(format!("complete.{shell}"));
    std::fs::write(&script, s.ok("", &["completions", shell]).stdout).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_maestro-cli"))
        .parent()
        .unwrap();
    let path = std::env::var("PATH").unwrap_or_default();
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/complete_pty.py");
    let out = Command::new("python3")
        .arg(driver)
        .arg(shell)
        .arg(&script)
        .args(lines)
        .env_clear()
        .env("PATH", format!("{}:{path}", bin.display()))
        .env("MAESTRO_HOME", s.home())
        .env("MAESTRO_ACTOR", actor)
        .env("MAESTRO_CLOCK", CLOCK)
        .current_dir(s.home())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn words(line: &str) -> Vec<String> {
    line.split(' ').map(str::to_string).collect()
}

fn run_of(s: &Sandbox, tenant: &str) -> String {
    s.db()
        .query_row(
            "SELECT id FROM flow_runs WHERE tenant_id = ?1",
            [tenant],
            |r| r.get(0),
        )
        .unwrap()
}

fn completes_in(shell: &str) {
    let s = platform();
    let before = s.dump();
    let got = complete(
        &s,
        shell,
        ADMIN,
        &[
            "maestro-cli tenant:cr",
            "maestro-cli cost:report --by se",
            "maestro-cli cost:report --by tenant,reg",
            "maestro-cli -o js",
            "maestro-cli tenant:create acme --reg",
            "maestro-cli tenant:show ac",
            "maestro-cli flow:run new-t",
        ],
    );
    assert_eq!(
        got,
        [
            words("maestro-cli tenant:create"),
            words("maestro-cli cost:report --by service"),
            words("maestro-cli cost:report --by tenant,region"),
            words("maestro-cli -o json"),
            words("maestro-cli tenant:create acme --regions"),
            words("maestro-cli tenant:show acme"),
            words("maestro-cli flow:run new-tenant"),
        ],
        "{shell}"
    );
    // bob sees beta alone: its one run, and no other tenant.
    let got = complete(
        &s,
        shell,
        BOB,
        &["maestro-cli flow:status ", "maestro-cli tenant:show "],
    );
    assert_eq!(
        got,
        [
            words(&format!("maestro-cli flow:status {}", run_of(&s, "beta"))),
            words("maestro-cli tenant:show beta"),
        ],
        "{shell}"
    );
    // Completion reads: nothing recorded, no decision, no audit event.
    assert_eq!(s.dump(), before, "{shell}: completing changed the state");
}

#[test]
fn bash_completes_commands_flags_values_and_ids() {
    completes_in("bash");
}

#[test]
fn zsh_completes_commands_flags_values_and_ids() {
    completes_in("zsh");
}

#[test]
fn fish_completes_commands_flags_values_and_ids() {
    completes_in("fish");
}

/// Without a state, an actor, or with an actor who holds no role, ids are not offered (and
/// no state file is created); commands still complete.
#[test]
fn ids_are_offered_only_to_an_actor_with_a_role() {
    let s = Sandbox::new();
    let flags = s.ok(
        ADMIN,
        &[
            "__complete",
            "fish",
            "--",
            "maestro-cli",
            "tenant:show",
            "--",
        ],
    );
    assert!(flags.stdout.starts_with("--state\t"), "{}", flags.stdout);
    let out = s.ok(
        ADMIN,
        &["__complete", "fish", "--", "maestro-cli", "tenant:show", ""],
    );
    assert_eq!(out.stdout, flags.stdout, "with no id to offer, the flags");
    assert!(!s.state().exists(), "completion created the state");
    let s = platform();
    for actor in ["", "eve@example.com"] {
        let out = s.ok(
            actor,
            &["__complete", "fish", "--", "maestro-cli", "flow:status", ""],
        );
        // No run id: only the flags.
        assert!(
            !out.stdout.is_empty() && out.stdout.lines().all(|l| l.starts_with('-')),
            "{actor:?}: {}",
            out.stdout
        );
    }
    let out = s.ok(
        "",
        &["__complete", "fish", "--", "maestro-cli", "tenant:cr"],
    );
    assert_eq!(
        out.stdout,
        "tenant:create\tCreate a tenant with its isolation boundary and its admin\n"
    );
}
