//! Exit codes, and what an error tells the operator beyond its message. The mapping of an
//! error chain to its code lives in `cli::exit`, the one place that knows every domain error.

use crate::model::ids::InvalidId;

/// The process exit codes of DESIGN.md §7.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// The command did what was asked.
    Ok = 0,
    /// Bad input, I/O, corrupt state.
    Error = 1,
    /// The command line itself is wrong (clap).
    Usage = 2,
    /// Denied by policy or a gate.
    Denied = 3,
    /// A check ran and found problems (`audit:verify`, ...).
    Problems = 4,
    /// Interrupted by a signal.
    Interrupted = 130,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// What an error tells the operator beyond its message.
pub trait Diagnostic {
    fn exit_status(&self) -> ExitStatus {
        ExitStatus::Error
    }
    /// One line telling the operator what to do next, ideally the exact command.
    fn help(&self) -> Option<String> {
        None
    }
}

impl Diagnostic for InvalidId {}
