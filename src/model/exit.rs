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
    /// Whether the message is laid out on several lines (a template's problems with their
    /// source lines and carets). Any other message is shown on one line: a line break in it
    /// comes from a value (an argument, a log field) and is shown escaped, so that it cannot
    /// start a line of its own such as a forged `help:`.
    fn multiline(&self) -> bool {
        false
    }
}

impl Diagnostic for InvalidId {}
