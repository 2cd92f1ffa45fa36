//! What earlier attempts of a run left running: their process groups, recorded before each
//! step could run (see `process`). `resume` kills them with SIGKILL and waits until none of
//! their processes is alive before it starts anything, so no step runs twice at once.
//!
//! A recorded group id is a number the system reuses once the group is gone (after a reboot,
//! say): a group is only killed while one of its live processes carries the run's id in its
//! environment (`MAESTRO_RUN_ID`, which every step is given). So a group whose every live
//! process has replaced its environment is left alone, rather than risk killing a stranger.
//! A zombie (a process that has exited but was not reaped, as under a container init that
//! never reaps) counts as gone: it runs nothing. Linux only, as the rest of the engine:
//! processes are read from `/proc`.

use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde::Serialize;

use crate::flow::FlowError;
use crate::store::BUSY_TIMEOUT;

/// How long killed processes get to disappear: a bound for a process the kernel does not let
/// die (stuck in uninterruptible I/O), not a guess at how long a dying one takes. It is
/// waited inside `resume`'s write transaction, so it stays well under the busy timeout other
/// commands wait for that transaction with.
const GONE_WITHIN: Duration = Duration::from_millis(BUSY_TIMEOUT.as_millis() as u64 / 2);

/// How often the processes are looked at while they die.
const POLL: Duration = Duration::from_millis(5);

/// An earlier attempt's process group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Leftover {
    pub(crate) step: String,
    pub(crate) attempt: i64,
    pub(crate) pgid: i64,
}

/// Kills the groups of `leftovers` that still run a process of `run_id` and waits until none
/// of their processes is alive. Returns the groups it killed.
pub(crate) fn kill_leftovers(
    run_id: &str,
    leftovers: &[Leftover],
) -> Result<Vec<Leftover>, FlowError> {
    let mut killed = Vec::new();
    for l in leftovers {
        let Some(pgid) = i32::try_from(l.pgid).ok().filter(|p| *p > 1) else {
            continue;
        };
        if live_members(pgid)?
            .into_iter()
            .any(|pid| runs_for(pid, run_id))
        {
            let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
            killed.push((pgid, l));
        }
    }
    let started = Instant::now();
    let mut dying = killed.clone();
    loop {
        let mut still = Vec::new();
        for (pgid, l) in dying {
            // A group keeps its id while it has a member: it is still the one killed. A
            // member forked while the signal was on its way is killed too.
            if !live_members(pgid)?.is_empty() {
                let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
                still.push((pgid, l));
            }
        }
        let Some((_, first)) = still.first() else {
            return Ok(killed.into_iter().map(|(_, l)| l.clone()).collect());
        };
        if started.elapsed() >= GONE_WITHIN {
            return Err(FlowError::LeftoverRunning {
                run_id: run_id.to_string(),
                step: first.step.clone(),
                attempt: first.attempt,
                pgid: first.pgid,
            });
        }
        dying = still;
        std::thread::sleep(POLL);
    }
}

/// The processes of group `pgid` that have not exited.
fn live_members(pgid: i32) -> Result<Vec<i32>, FlowError> {
    if killpg(Pid::from_raw(pgid), None) == Err(Errno::ESRCH) {
        return Ok(Vec::new());
    }
    let proc_error = |source| FlowError::Read {
        path: "/proc".into(),
        source,
    };
    let mut live = Vec::new();
    for entry in std::fs::read_dir("/proc").map_err(proc_error)? {
        let Some(pid) = entry
            .map_err(proc_error)?
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        if let Some((state, group)) = state_and_group(pid)
            && group == pgid
            && !matches!(state, 'Z' | 'X')
        {
            live.push(pid);
        }
    }
    Ok(live)
}

/// A process's state letter and process group (`None`: gone).
fn state_and_group(pid: i32) -> Option<(char, i32)> {
    parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// `PID (COMM) STATE PPID PGRP ...` of `/proc/PID/stat`; COMM may hold spaces and
/// parentheses, so the fields are counted from its last `)`.
fn parse_stat(stat: &str) -> Option<(char, i32)> {
    let mut fields = stat.get(stat.rfind(')')? + 2..)?.split(' ');
    let state = fields.next()?.chars().next()?;
    let group = fields.nth(1)?.parse().ok()?;
    Some((state, group))
}

/// Whether process `pid` was started for run `run_id` (its environment says so).
fn runs_for(pid: i32, run_id: &str) -> bool {
    let want = format!("MAESTRO_RUN_ID={run_id}");
    std::fs::read(format!("/proc/{pid}/environ"))
        .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == want.as_bytes()))
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::CommandExt;
    use std::process::{Child, Command};

    use super::*;

    /// A shell and its background `sleep` in a process group of their own, for `run_id`.
    fn group(run_id: &str) -> (Child, i32) {
        let child = Command::new("/bin/sh")
            .args(["-c", "sleep 60 & exec sleep 60"])
            .env("MAESTRO_RUN_ID", run_id)
            .process_group(0)
            .spawn()
            .unwrap();
        let pgid = child.id() as i32;
        let started = Instant::now();
        while live_members(pgid).unwrap().len() < 2 {
            assert!(started.elapsed() < Duration::from_secs(60), "never started");
            std::thread::sleep(POLL);
        }
        (child, pgid)
    }

    fn leftover(pgid: i64) -> Leftover {
        Leftover {
            step: "s".into(),
            attempt: 1,
            pgid,
        }
    }

    #[test]
    fn a_group_of_the_run_is_gone_when_it_returns() {
        let (mut child, pgid) = group("run-a");
        // Killed, the shell stays a zombie until it is waited for below: that counts as gone.
        assert_eq!(
            kill_leftovers("run-a", &[leftover(pgid.into())]).unwrap(),
            [leftover(pgid.into())]
        );
        assert_eq!(live_members(pgid).unwrap(), Vec::<i32>::new());
        child.wait().unwrap();
    }

    #[test]
    fn a_group_of_another_run_or_no_group_is_left_alone() {
        let (mut child, pgid) = group("run-b");
        let left = [
            leftover(pgid.into()),
            leftover(0),
            leftover(1),
            leftover(-1),
        ];
        assert_eq!(kill_leftovers("run-c", &left).unwrap(), []);
        assert_eq!(live_members(pgid).unwrap().len(), 2);
        killpg(Pid::from_raw(pgid), Signal::SIGKILL).unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn stat_fields_are_counted_from_the_end_of_the_name() {
        assert_eq!(parse_stat("42 (a) b (c) Z 1 40 40 0 -1"), Some(('Z', 40)));
        assert_eq!(parse_stat("42 (sh) S 7 42 42 0"), Some(('S', 42)));
        assert_eq!(parse_stat("garbage"), None);
        let me = std::process::id() as i32;
        assert_eq!(
            state_and_group(me).map(|(_, g)| g),
            Some(nix::unistd::getpgrp().as_raw())
        );
    }
}
