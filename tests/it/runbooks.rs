//! Every command in runbooks/*.md runs, in order, against a fresh state, with the exit code
//! the runbook promises (`# exit N`, else 0).

use std::path::Path;

use crate::support::Sandbox;

fn commands(markdown: &str) -> Vec<(String, i32)> {
    let mut in_console = false;
    let mut out = Vec::new();
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_console = line.trim() == "```console";
            continue;
        }
        if let (true, Some(cmd)) = (in_console, line.strip_prefix("$ ")) {
            let (cmd, code) = match cmd.rsplit_once("# exit ") {
                Some((c, n)) => (
                    c.trim_end().to_string(),
                    n.trim().parse().expect("exit code"),
                ),
                None => (cmd.to_string(), 0),
            };
            out.push((cmd, code));
        }
    }
    out
}

#[test]
fn runbook_commands_work() {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_maestro-cli"));
    let bin_dir = bin.parent().expect("bin dir");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks");
    let mut ran = 0;
    for entry in std::fs::read_dir(&dir).expect("runbooks") {
        let path = entry.expect("entry").path();
        if path.file_name() == Some("README.md".as_ref()) || path.extension() != Some("md".as_ref())
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let cmds = commands(&text);
        assert!(!cmds.is_empty(), "{} has no commands", path.display());
        let s = Sandbox::new();
        // One shell per runbook, so `export` carries over; stop at the first surprise.
        let mut script = String::from("set -u\n");
        for (i, (cmd, code)) in cmds.iter().enumerate() {
            script.push_str(&format!(
                "{cmd}\nrc=$?; if [ $rc -ne {code} ]; then echo \"step {i}: \\`{}\\` exited $rc, expected {code}\" >&2; exit 99; fi\n",
                cmd.replace(['`', '"'], "'")
            ));
        }
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
            .env("HOME", s.home())
            .env("MAESTRO_HOME", s.home())
            .env("NO_COLOR", "1")
            .current_dir(s.home())
            .output()
            .expect("sh");
        assert!(
            out.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += cmds.len();
    }
    assert!(ran > 10);
}
