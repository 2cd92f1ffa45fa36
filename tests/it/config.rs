//! maestro.toml through the binary.

use crate::support::{ADMIN, HELP_CONFIG, Sandbox};

#[test]
fn config_regions_drive_validation() {
    let s = Sandbox::initialised();
    std::fs::write(
        s.home().join("maestro.toml"),
        "[platform]\nname = \"Acme Cloud\"\n\n[platform.regions]\nmars-north-1 = \"Mars\"\n\n[platform.clusters]\nred-1 = { region = \"mars-north-1\" }\n",
    )
    .unwrap();
    s.create("acme", "mars-north-1", "a@b.example");
    let out = s.run(
        ADMIN,
        &[
            "tenant:create",
            "b",
            "--regions",
            "eu-west-1",
            "--admin",
            "a@b.example",
        ],
    );
    out.assert_error(
        1,
        "region `eu-west-1` is not in the catalogue (mars-north-1)",
        Some("use a region of the catalogue, or add it under [platform.regions] in maestro.toml"),
    );
}

#[test]
fn unknown_key_names_file_and_line() {
    let s = Sandbox::new();
    let path = s.home().join("bad.toml");
    std::fs::write(
        &path,
        "[platform]\nname = \"x\"\n\n[brandnig]\nlogo = \"x.png\"\n",
    )
    .unwrap();
    let out = s.run(ADMIN, &["--config", path.to_str().unwrap(), "init"]);
    out.assert_error(
        1,
        &format!(
            "{}:4:2: unknown field `brandnig`, expected one of `platform`, `branding`, `policy`, `signals`, `cost`, `perf`, `adapters`",
            path.display()
        ),
        Some(HELP_CONFIG),
    );
    assert!(!s.state().exists(), "nothing is created on a bad config");
}

#[test]
fn wrong_type_and_missing_file() {
    let s = Sandbox::new();
    let path = s.home().join("maestro.toml");
    std::fs::write(&path, "[branding]\nprimary_color = 7\n").unwrap();
    s.run(ADMIN, &["init"]).assert_error(
        1,
        "maestro.toml:2:17: invalid type: integer `7`, expected a string",
        Some(HELP_CONFIG),
    );
    let out = s.run(ADMIN, &["--config", "/nonexistent/maestro.toml", "init"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: cannot read config `/nonexistent/maestro.toml`: No such file or directory (os error 2)\n\
         help: pass an existing file with `--config PATH`, or unset MAESTRO_CONFIG to use the defaults\n"
    );
}

#[test]
fn a_broken_policy_dir_is_reported_before_the_state_is_touched() {
    let s = Sandbox::new();
    std::fs::write(
        s.home().join("maestro.toml"),
        "[policy]\ndir = \"missing-dir\"\n",
    )
    .unwrap();
    let out = s.run(
        ADMIN,
        &[
            "tenant:create",
            "acme",
            "--regions",
            "eu-west-1",
            "--admin",
            "a@acme.example",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: cannot read `missing-dir`: No such file or directory"),
        "{}",
        out.stderr
    );
    assert!(
        !s.state().exists(),
        "the state was created before the bundle was read"
    );
}
