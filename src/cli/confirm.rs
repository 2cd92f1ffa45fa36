//! A destructive command asks first: on a terminal, a `[y/N]` question on stderr; without
//! one (a script, a pipe), it needs `--yes`. Nothing is changed unless the answer is yes.

use std::io::{BufRead, IsTerminal, Write};

use crate::model::Diagnostic;

#[derive(Debug, thiserror::Error)]
#[error("{what}: not confirmed, nothing was changed")]
pub struct NotConfirmed {
    what: String,
    /// Whether a question was asked (and answered no), or there was no terminal to ask on.
    asked: bool,
}

impl Diagnostic for NotConfirmed {
    fn help(&self) -> Option<String> {
        Some(if self.asked {
            "answer `y` to go ahead, or pass --yes".into()
        } else {
            "there is no terminal to ask on: pass --yes to confirm".into()
        })
    }
}

/// Asks `question` (`what` names the change in the error) unless `yes`.
pub fn confirm(what: &str, question: &str, yes: bool) -> Result<(), NotConfirmed> {
    if yes {
        return Ok(());
    }
    let refused = |asked| NotConfirmed {
        what: what.to_string(),
        asked,
    };
    let stdin = std::io::stdin();
    if !stdin.is_terminal() || !std::io::stderr().is_terminal() {
        return Err(refused(false));
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "{} [y/N] ",
        super::output::for_terminal(question, false)
    );
    let _ = err.flush();
    let mut answer = String::new();
    if stdin.lock().read_line(&mut answer).is_err() {
        return Err(refused(true));
    }
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(refused(true)),
    }
}
