//! The mining lock: an exclusive `flock` on `<state>.signals.lock`, so two overlapping cron
//! runs never both mine. The kernel drops it when the process ends, even on SIGKILL.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};

use super::SignalsError;

/// A held lock; released on drop.
#[derive(Debug)]
pub struct MineLock {
    _lock: Flock<File>,
}

/// The lock file that goes with the state file `state`.
pub fn path_for(state: &Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".signals.lock");
    PathBuf::from(name)
}

/// Takes the lock: `Ok(None)` when another run holds it and `wait` is false.
pub fn acquire(state: &Path, wait: bool) -> Result<Option<MineLock>, SignalsError> {
    let path = path_for(state);
    let io = |source: std::io::Error| SignalsError::Lock {
        path: path.clone(),
        source,
    };
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .map_err(io)?;
    let how = if wait {
        FlockArg::LockExclusive
    } else {
        FlockArg::LockExclusiveNonblock
    };
    match Flock::lock(file, how) {
        Ok(lock) => Ok(Some(MineLock { _lock: lock })),
        Err((_, Errno::EWOULDBLOCK)) => Ok(None),
        Err((_, errno)) => Err(io(std::io::Error::from(errno))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_taker_is_turned_away_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state.db");
        let first = acquire(&state, false).unwrap();
        assert!(first.is_some());
        assert!(acquire(&state, false).unwrap().is_none());
        drop(first);
        assert!(acquire(&state, false).unwrap().is_some());
    }
}
