//! `shell`: runs `with.run` with `sh -c` in its own process group.
//!
//! The process starts at a gate: it runs nothing until the engine has recorded its process
//! group and opens the gate ([`Gate`]), so a step can never run unrecorded, and it exits
//! without running the step if the engine dies first.
//!
//! Params and earlier outputs reach the command only as environment variables
//! (`MAESTRO_PARAM_<NAME>`, `MAESTRO_STEP_<ID>_<OUTPUT>`); the command text is never built
//! from values. The step writes outputs as `key=value` lines to the file `$MAESTRO_OUTPUT`.
//! stdout and stderr go to files and their tails (64 KiB each) are kept in the store.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{PipeReader, PipeWriter, Read, Seek, SeekFrom};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::Command;

use super::{Args, AttemptResult, Gate, Mode, StepKind, WorkerCx, check_keys, text};

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
    fn gated(&self) -> bool {
        true
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
        // The adapters' secrets stay with maestro-cli: a step's environment is maestro-cli's
        // own without the variables `token_env` names (a step's output is kept and shown).
        let secrets: Vec<String> = cx
            .sub
            .config
            .adapters
            .iter()
            .filter_map(|a| a.token_env.as_ref().map(|v| v.get_ref().clone()))
            .collect();
        let result = run_shell(
            &run,
            text(&args, "workdir").as_deref(),
            &secrets,
            cx.env,
            cx.on_spawn,
            &cx.scratch,
        );
        let _ = std::fs::remove_dir_all(&cx.scratch);
        result
    }
}

/// What the step's shell runs before the step's own text, on the same line (so the shell's
/// messages keep the step's line numbers): it waits for one line on stdin, its [`Gate`],
/// then puts `/dev/null` back on stdin. At end of file, with no line (the engine gave up on
/// the attempt, or died), it exits without running the step. One shell does both: the text
/// is the template's own (`${{ }}` is refused in `run`), never built from values.
const GATE: &str = "read -r go || exit 125; exec </dev/null; ";

fn run_shell(
    run: &str,
    workdir: Option<&str>,
    secrets: &[String],
    env: Vec<(String, String)>,
    on_spawn: Box<dyn FnOnce(u32, Gate) + Send>,
    scratch: &Path,
) -> AttemptResult {
    // stdout and stderr go to anonymous in-memory files: nothing to name, clean or leak.
    // The gate is a pipe, close-on-exec on both ends: only the step's process gets the read
    // end (as its stdin), and no process but this one ever holds the write end.
    let files = (|| -> std::io::Result<(File, File, File, File, PipeReader, PipeWriter)> {
        std::fs::create_dir_all(scratch.parent().unwrap_or(scratch))?;
        let out = memfile("stdout")?;
        let err = memfile("stderr")?;
        let (gate_r, gate_w) = std::io::pipe()?;
        Ok((out.try_clone()?, err.try_clone()?, out, err, gate_r, gate_w))
    })();
    let (out, err, mut out_r, mut err_r, gate_r, gate_w) = match files {
        Ok(f) => f,
        Err(e) => {
            return AttemptResult::failed(format!("cannot prepare the step's output: {e}"), None);
        }
    };
    let output_file = scratch.with_extension("outputs");
    // One process: the shell that waits at the gate runs the step (a builtin such as `true`
    // starts nothing more, and dash execs a last simple command in place of itself).
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg(format!("{GATE}{run}"));
    for var in secrets {
        cmd.env_remove(var);
    }
    cmd.envs(env)
        .env("MAESTRO_OUTPUT", &output_file)
        .stdin(gate_r)
        .stdout(out)
        .stderr(err)
        .process_group(0);
    if let Some(dir) = workdir {
        cmd.current_dir(dir);
    }
    let spawned = cmd.spawn();
    // The command holds the parent's copy of the gate's read end until it is dropped.
    drop(cmd);
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            return AttemptResult::failed(format!("cannot start the step's command: {e}"), None);
        }
    };
    on_spawn(child.id(), Gate(gate_w));
    let status = match child.wait() {
        Ok(s) => s,
        Err(e) => return AttemptResult::failed(format!("lost the step's process: {e}"), None),
    };
    let mut result = AttemptResult {
        success: status.success(),
        exit_code: status.code(),
        outputs: read_outputs(&output_file),
        stdout: tail(&mut out_r),
        stderr: tail(&mut err_r),
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

/// An anonymous in-memory file (Linux `memfd_create`).
fn memfile(name: &str) -> std::io::Result<File> {
    let fd = nix::sys::memfd::memfd_create(name, nix::sys::memfd::MFdFlags::MFD_CLOEXEC)?;
    Ok(File::from(fd))
}

/// The last `TAIL_BYTES` written to `f`, marked when cut.
fn tail(f: &mut File) -> String {
    let len = f.seek(SeekFrom::End(0)).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(0));
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
        use std::io::Write;
        let mut f = memfile("t").unwrap();
        f.write_all(&vec![b'x'; (TAIL_BYTES + 10) as usize])
            .unwrap();
        let t = tail(&mut f);
        assert!(t.starts_with("[... 10 bytes cut ...]\n"));
        assert_eq!(
            t.len() as u64,
            TAIL_BYTES + "[... 10 bytes cut ...]\n".len() as u64
        );
    }
}
