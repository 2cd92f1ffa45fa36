//! The scheduler's decisions: each pass picks the steps that are ready (their needs
//! finished, their condition true, their retry delay over), skips those that cannot run,
//! runs inline steps and starts worker steps within the `--jobs` pool; a step gets at most
//! one attempt at a time. How an attempt's result settles its step (done, retry after a
//! backoff with jitter, failed) is decided here too.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::{Exec, FlowError, FlowEvent};
use crate::flow::kinds::{self, AttemptResult, Mode};
use crate::flow::template::FlowStep;
use crate::store::StepRow;

/// What one scheduling pass decided.
pub(super) enum Change {
    Skip { step: String, reason: String },
    Inline { step: String, attempt: i64 },
    Start { step: String, attempt: i64 },
}

impl Exec<'_> {
    /// Decides what can happen now and commits it with the buffered writes, until nothing
    /// changes; then reports the events and starts the workers.
    pub(super) fn schedule(&mut self, obs: &mut dyn FnMut(&FlowEvent)) -> Result<(), FlowError> {
        loop {
            let changes = self.decide();
            if changes.is_empty() && self.writes.is_empty() {
                return Ok(());
            }
            // Starting workers makes nothing else ready; skips and inline steps may.
            let settled = changes.iter().all(|c| matches!(c, Change::Start { .. }));
            self.start_held(&changes);
            self.commit(&changes)?;
            for c in changes {
                if let Change::Start { step, attempt } = c {
                    self.reserved.push((step, attempt));
                }
            }
            self.spawn_reserved();
            for e in std::mem::take(&mut self.events) {
                obs(&e);
            }
            if settled {
                return Ok(());
            }
        }
    }

    /// Pure: which steps to skip, run inline, or start. Up to `jobs` workers run, and up to
    /// `jobs` more are reserved: their attempt is recorded (a held step's process waits at its
    /// gate already), so that when a worker finishes the next one starts at once instead of
    /// after the next commit's fsync.
    fn decide(&self) -> Vec<Change> {
        let now = Instant::now();
        let mut changes = Vec::new();
        let mut workers = self.busy() + self.reserved.len();
        for id in &self.open {
            let ready = match self.steps[id].status.as_str() {
                "pending" => match self.verdict(id) {
                    None => false,
                    Some(Ok(())) => true,
                    Some(Err(reason)) => {
                        changes.push(Change::Skip {
                            step: id.clone(),
                            reason,
                        });
                        false
                    }
                },
                "waiting" => self.due.get(id).is_some_and(|d| *d <= now),
                _ => false,
            };
            if !ready {
                continue;
            }
            let attempt = self.steps[id].attempts + 1;
            let inline =
                kinds::lookup(&self.specs[id].uses).is_some_and(|k| k.mode() == Mode::Inline);
            if inline {
                changes.push(Change::Inline {
                    step: id.clone(),
                    attempt,
                });
            } else if workers < 2 * self.jobs {
                workers += 1;
                changes.push(Change::Start {
                    step: id.clone(),
                    attempt,
                });
            }
        }
        changes
    }

    /// For a pending step whose needs are all finished: `Ok` to run, `Err(reason)` to skip.
    /// `None` while some need is not finished.
    fn verdict(&self, id: &str) -> Option<Result<(), String>> {
        let fs = &self.specs[id];
        if fs.needs.iter().any(|n| {
            !matches!(
                self.steps[n].status.as_str(),
                "succeeded" | "failed" | "skipped"
            )
        }) {
            return None;
        }
        if let Some((text, e)) = &fs.condition {
            return Some(if e.eval(self).truthy() {
                Ok(())
            } else {
                Err(format!("condition `{text}` is false"))
            });
        }
        for n in &fs.needs {
            let need = &self.steps[n];
            let passed = need.status == "succeeded"
                || (need.status == "failed" && self.specs[n].continue_on_failure);
            if !passed {
                let what = if need.status == "skipped" {
                    "was skipped"
                } else {
                    "failed"
                };
                return Some(Err(format!("needs `{n}`, which {what}")));
            }
        }
        Some(Ok(()))
    }

    pub(super) fn set_step(&mut self, row: StepRow) {
        if row.status != "waiting" {
            self.due.remove(&row.step_id);
        }
        let open = matches!(row.status.as_str(), "pending" | "waiting");
        let was_open = self
            .steps
            .get(&row.step_id)
            .is_some_and(|r| matches!(r.status.as_str(), "pending" | "waiting"));
        let id = row.step_id.clone();
        self.steps.insert(row.step_id.clone(), row);
        if was_open && !open {
            self.open.retain(|s| *s != id);
        } else if open && !was_open {
            self.open = open_steps(&self.order, &self.steps);
        }
    }

    pub(super) fn note_retry(&mut self, row: &StepRow, retry: Option<Duration>) {
        if let Some(delay) = retry {
            self.due.insert(row.step_id.clone(), Instant::now() + delay);
            self.events.push(FlowEvent::StepRetrying {
                run_id: self.run_id.clone(),
                step: row.step_id.clone(),
                next_attempt: row.attempts + 1,
                delay_ms: delay.as_millis() as u64,
            });
        }
    }
}

pub(super) fn open_steps(order: &[String], steps: &BTreeMap<String, StepRow>) -> Vec<String> {
    order
        .iter()
        .filter(|id| {
            steps
                .get(*id)
                .is_some_and(|r| matches!(r.status.as_str(), "pending" | "waiting"))
        })
        .cloned()
        .collect()
}

/// Applies an attempt's result to its step: succeeded, waiting for a retry, failed, or back
/// to pending when interrupted. Returns the retry delay, if any.
pub(super) fn settle(
    row: &mut StepRow,
    fs: &FlowStep,
    result: &AttemptResult,
    attempt: i64,
    interrupted: bool,
    now: &str,
) -> Option<Duration> {
    row.attempts = attempt;
    if result.success {
        row.status = "succeeded".into();
        row.error = None;
        row.denied = false;
        row.outputs = result
            .outputs
            .iter()
            .filter(|(k, _)| fs.outputs.contains(k))
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        row.finished_at = Some(now.to_string());
        return None;
    }
    row.error = result.error.clone();
    row.denied = result.denied;
    if interrupted {
        row.status = "pending".into();
        return None;
    }
    if !result.denied
        && (attempt as u32) < fs.retry.max_attempts
        && fs.retry.retries(result.exit_code)
    {
        row.status = "waiting".into();
        let delay = jitter(fs.retry.delay_before(attempt as u32 + 1), &fs.id, attempt);
        return Some(delay);
    }
    row.status = "failed".into();
    row.finished_at = Some(now.to_string());
    None
}
/// ±20 % of `d`, decided by a small hash of the step and attempt (spreads retries of many
/// steps without a random number generator).
fn jitter(d: Duration, step: &str, attempt: i64) -> Duration {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in step.bytes().chain(attempt.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |t| t.subsec_nanos());
    h ^= u64::from(nanos);
    let f = 0.8 + (h % 4001) as f64 / 10_000.0;
    d.mul_f64(f)
}
