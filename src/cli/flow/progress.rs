//! The live progress of `flow:run` and `flow:resume`.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::cli::output::{OutputFormat, Printer};
use crate::flow::FlowEvent;

/// Live progress: JSON lines on stdout with `--output json`; a spinner per running step when
/// stderr is a terminal; plain timestamped lines otherwise; nothing with `--quiet`.
pub(super) struct Progress {
    printer: Printer,
    multi: Option<MultiProgress>,
    bars: BTreeMap<String, ProgressBar>,
}

impl Progress {
    pub(super) fn new(printer: Printer) -> Progress {
        let tty = std::io::stderr().is_terminal()
            && printer.format != OutputFormat::Json
            && !printer.quiet;
        Progress {
            printer,
            multi: tty.then(MultiProgress::new),
            bars: BTreeMap::new(),
        }
    }

    pub(super) fn event(&mut self, e: &FlowEvent) {
        if self.printer.format == OutputFormat::Json {
            if let Ok(line) = serde_json::to_string(e) {
                let _ = self.printer.raw(&(line + "\n"));
            }
            return;
        }
        if self.printer.quiet {
            return;
        }
        let line = match e {
            FlowEvent::RunStarted {
                run_id,
                flow,
                steps,
                resumed,
            } => {
                format!(
                    "run {run_id} {} ({flow}, {steps} steps)",
                    if *resumed { "resumed" } else { "started" }
                )
            }
            FlowEvent::StepStarted { step, attempt, .. } => {
                format!("{step} started (attempt {attempt})")
            }
            FlowEvent::StepFinished {
                step,
                attempt,
                status,
                error,
                duration_ms,
                ..
            } => format!(
                "{step} {status} (attempt {attempt}, {:.1}s){}",
                *duration_ms as f64 / 1000.0,
                error.as_ref().map(|e| format!(": {e}")).unwrap_or_default()
            ),
            FlowEvent::StepRetrying {
                step,
                next_attempt,
                delay_ms,
                ..
            } => {
                format!(
                    "{step} will retry (attempt {next_attempt}) in {:.1}s",
                    *delay_ms as f64 / 1000.0
                )
            }
            FlowEvent::StepSkipped { step, reason, .. } => format!("{step} skipped: {reason}"),
            FlowEvent::RunFinished { run_id, status, .. } => format!("run {run_id} {status}"),
        };
        let line = crate::cli::output::for_terminal(&line, false).into_owned();
        match &self.multi {
            None => self.printer.note(&format!(
                "{} {line}",
                jiff::Timestamp::now().strftime("%H:%M:%S%.3f")
            )),
            Some(multi) => match e {
                FlowEvent::StepStarted { step, .. } => {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(
                        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    );
                    bar.set_message(line);
                    bar.enable_steady_tick(Duration::from_millis(100));
                    self.bars.insert(step.clone(), bar);
                }
                FlowEvent::StepFinished { step, .. } => match self.bars.remove(step) {
                    Some(bar) => bar.finish_with_message(line),
                    None => {
                        let _ = multi.println(line);
                    }
                },
                _ => {
                    let _ = multi.println(line);
                }
            },
        }
    }

    pub(super) fn clear(&mut self) {
        for (_, bar) in std::mem::take(&mut self.bars) {
            bar.finish_and_clear();
        }
    }
}
