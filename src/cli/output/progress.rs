//! Progress on the terminal: a bar over a file's bytes, a counter of work whose total is not
//! known ahead; on stderr, only when it is a terminal and not `--quiet`.

use std::io::IsTerminal;

use super::Printer;

/// A bar over the bytes of `path`, on a terminal only (and not with `--quiet`).
pub fn file_progress(printer: &Printer, path: &std::path::Path) -> crate::model::progress::Sink {
    let len = std::fs::metadata(path).ok()?.len();
    on_terminal(
        printer,
        indicatif::ProgressBar::new(len),
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    )
}

/// A counter of `what` (commits) on the terminal, for work whose total is not known ahead.
pub fn count_progress(printer: &Printer, what: &str) -> crate::model::progress::Sink {
    on_terminal(
        printer,
        indicatif::ProgressBar::new_spinner(),
        &format!("{{spinner}} {{pos}} {what} ({{per_sec}})"),
    )
}

/// A counter of work in stages (the domain names each, [`Progress::stage`]), on the terminal.
///
/// [`Progress::stage`]: crate::model::progress::Progress::stage
pub fn stage_progress(printer: &Printer) -> crate::model::progress::Sink {
    on_terminal(
        printer,
        indicatif::ProgressBar::new_spinner(),
        "{spinner} {msg}: {pos} ({per_sec})",
    )
}

/// `bar` drawn with `template` on stderr, when it is a terminal and not `--quiet`.
fn on_terminal(
    printer: &Printer,
    bar: indicatif::ProgressBar,
    template: &str,
) -> crate::model::progress::Sink {
    if printer.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    Some(Box::new(Bar(bar)))
}

/// A progress bar (or counter) on the terminal.
struct Bar(indicatif::ProgressBar);

impl crate::model::progress::Progress for Bar {
    fn advance(&self, units: u64) {
        self.0.inc(units);
    }

    fn stage(&self, what: &str) {
        self.0.set_message(what.to_string());
        self.0.set_position(0);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
