//! `shell`: runs `with.run` with `sh -c` in its own process group.
//!
//! Params and earlier outputs reach the command only as environment variables
//! (`MAESTRO_PARAM_<NAME>`, `MAESTRO_STEP_<ID>_<OUTPUT>`); the command text is never built
//! from values. The step writes outputs as `key=value` lines to the file `$MAESTRO_OUTPUT`.
//! stdout and stderr go to files and their tails (64 KiB each) are kept in the store.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};

use super::{Args, AttemptResult, Mode, StepKind, WorkerCx, check_keys, text};

/// How much of stdout and of stderr is kept per attempt.
pub const TAIL_BYTES: u64 = 64 * 1024;

pub struct Shell;

impl StepKind for Shell {
    fn name(&self) -> &'static str {
        "shell"
    }
    fn mode(&self) -> Mode {
        Mode::Worker
    }
    fn check(&self, with: &Args) -> Result<(), String> {
        check_keys(with, &["run"], &["workdir"])?;
        let run = with
            .get("run")
            .and_then(|v| v.as_str())
            .ok_or("`with.run` must be a string")?;
        if run.contains("${{") {
            return Err("`with.run` may not use `${{ }}`: values reach shell steps only as environment variables, e.g. \"$MAESTRO_PARAM_NAME\"".into());
        }
        if run.trim().is_empty() {
            return Err("`with.run` is empty".into());
        }
        Ok(())
    }
    fn run_worker(&self, cx: WorkerCx, args: Args) -> AttemptResult {
        let Some(run) = args.get("run").and_then(|v| v.as_str()).map(str::to_string) else {
            return AttemptResult::failed("`with.run` is missing", None);
        };
        let result = run_shell(
            &run,
            text(&args, "workdir").as_deref(),
            cx.env,
            cx.on_spawn,
            &cx.scratch,
        );
        let _ = std::fs::remove_dir_all(&cx.scratch);
        result
    }
}

fn run_shell(
    run: &str,
    workdir: Option<&str>,
    env: Vec<(String, String)>,
    on_spawn: Box<dyn FnOnce(u32) + Send>,
    scratch: &Path,
) -> AttemptResult {
    let files = (|| -> std::io::Result<(File, File)> {
        std::fs::create_dir_all(scratch)?;
        Ok((
            File::create(scratch.join("stdout"))?,
            File::create(scratch.join("stderr"))?,
        ))
    })();
    let (out, err) = match files {
        Ok(f) => f,
        Err(e) => {
            return AttemptResult::failed(
                format!("cannot prepare `{}`: {e}", scratch.display()),
                None,
            );
        }
    };
    let output_file = scratch.join("output");
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c")
        .arg(run)
        .envs(env)
        .env("MAESTRO_OUTPUT", &output_file)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .process_group(0);
    if let Some(dir) = workdir {
        cmd.current_dir(dir);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return AttemptResult::failed(format!("cannot start `sh`: {e}"), None),
    };
    on_spawn(child.id());
    let status = match child.wait() {
        Ok(s) => s,
        Err(e) => return AttemptResult::failed(format!("lost the step's process: {e}"), None),
    };
    let mut result = AttemptResult {
        success: status.success(),
        exit_code: status.code(),
        outputs: read_outputs(&output_file),
        stdout: tail(&scratch.join("stdout")),
        stderr: tail(&scratch.join("stderr")),
        error: None,
        denied: false,
    };
    if !status.success() {
        result.error = Some(match (status.code(), status.signal()) {
            (Some(c), _) => format!("exited with {c}"),
            (None, Some(s)) => format!("killed by signal {s}"),
            _ => "ended abnormally".into(),
        });
    }
    result
}

/// `key=value` lines; later lines win; blank lines and lines without `=` are ignored.
pub fn read_outputs(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The last `TAIL_BYTES` of a file, marked when cut.
fn tail(path: &Path) -> String {
    let Ok(mut f) = File::open(path) else {
        return String::new();
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut buf = Vec::new();
    let mut prefix = String::new();
    if len > TAIL_BYTES {
        let _ = f.seek(SeekFrom::Start(len - TAIL_BYTES));
        prefix = format!("[... {} bytes cut ...]\n", len - TAIL_BYTES);
    }
    let _ = f.read_to_end(&mut buf);
    prefix + &String::from_utf8_lossy(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_key_value_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("o");
        std::fs::write(
            &p,
            "version=1.2=3\n\nnoise\nbad-key=x\nversion2=\nversion=2\n",
        )
        .unwrap();
        let o = read_outputs(&p);
        assert_eq!(o.get("version").map(String::as_str), Some("2"));
        assert_eq!(o.get("version2").map(String::as_str), Some(""));
        assert!(!o.contains_key("bad-key"));
    }

    #[test]
    fn tails_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'x'; (TAIL_BYTES + 10) as usize]).unwrap();
        let t = tail(&p);
        assert!(t.starts_with("[... 10 bytes cut ...]\n"));
        assert_eq!(
            t.len() as u64,
            TAIL_BYTES + "[... 10 bytes cut ...]\n".len() as u64
        );
    }
}
