//! maestro.toml through the binary.

use crate::support::{ADMIN, Sandbox};

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
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("region `eu-west-1` is not in the catalogue (mars-north-1)"),
        "{}",
        out.stderr
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
    assert_eq!(out.code, 1);
    let first = out.stderr.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "error: {}:4:2: unknown field `brandnig`",
            path.display()
        )),
        "{first}"
    );
    assert!(!s.state().exists(), "nothing is created on a bad config");
}

#[test]
fn wrong_type_and_missing_file() {
    let s = Sandbox::new();
    let path = s.home().join("maestro.toml");
    std::fs::write(&path, "[branding]\nprimary_color = 7\n").unwrap();
    let out = s.run(ADMIN, &["init"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .starts_with("error: maestro.toml:2:17: invalid type: integer `7`, expected a string"),
        "{}",
        out.stderr
    );
    let out = s.run(ADMIN, &["--config", "/nonexistent/maestro.toml", "init"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .starts_with("error: cannot read config `/nonexistent/maestro.toml`"),
        "{}",
        out.stderr
    );
}
