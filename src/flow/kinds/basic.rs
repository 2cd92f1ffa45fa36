//! `noop`, `sleep` and `fail`: for tests, demos and placeholders in templates.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::{Args, AttemptResult, InlineCx, Mode, StepKind, WorkerCx, check_keys, text};
use crate::flow::template::parse_duration;

/// Does nothing, successfully.
pub struct Noop;

impl StepKind for Noop {
    fn name(&self) -> &'static str {
        "noop"
    }
    fn mode(&self) -> Mode {
        Mode::Inline
    }
    fn check(&self, with: &Args) -> Result<(), String> {
        check_keys(with, &[], &["message"])
    }
    fn run_inline(&self, _cx: &InlineCx<'_>, _args: &Args) -> AttemptResult {
        AttemptResult::ok(Default::default())
    }
}

/// Waits `with.duration` (stops early when cancelled, e.g. by its timeout).
pub struct Sleep;

impl StepKind for Sleep {
    fn name(&self) -> &'static str {
        "sleep"
    }
    fn mode(&self) -> Mode {
        Mode::Worker
    }
    fn check(&self, with: &Args) -> Result<(), String> {
        check_keys(with, &["duration"], &[])?;
        match text(with, "duration") {
            Some(d) if d.contains("${{") => Ok(()),
            Some(d) => parse_duration(&d).map(|_| ()),
            None => Err("`with.duration` must be a duration such as `2s`".into()),
        }
    }
    fn run_worker(&self, cx: WorkerCx, args: Args) -> AttemptResult {
        let d = match text(&args, "duration").as_deref().map(parse_duration) {
            Some(Ok(d)) => d,
            Some(Err(e)) => return AttemptResult::failed(e, None),
            None => return AttemptResult::failed("`with.duration` is missing", None),
        };
        let end = Instant::now() + d;
        while Instant::now() < end {
            if cx.cancel.load(Ordering::Relaxed) {
                return AttemptResult::failed("cancelled", None);
            }
            std::thread::sleep((end - Instant::now()).min(Duration::from_millis(20)));
        }
        AttemptResult::ok(Default::default())
    }
}

/// Fails with `with.code` (default 1) and `with.message`.
pub struct Fail;

impl StepKind for Fail {
    fn name(&self) -> &'static str {
        "fail"
    }
    fn mode(&self) -> Mode {
        Mode::Inline
    }
    fn check(&self, with: &Args) -> Result<(), String> {
        check_keys(with, &[], &["code", "message"])?;
        match with.get("code") {
            None => Ok(()),
            Some(v) if v.as_i64().is_some_and(|c| (1..=255).contains(&c)) => Ok(()),
            Some(v) => Err(format!(
                "`with.code` must be an exit code from 1 to 255, not {v}"
            )),
        }
    }
    fn run_inline(&self, _cx: &InlineCx<'_>, args: &Args) -> AttemptResult {
        let code = args.get("code").and_then(|c| c.as_i64()).unwrap_or(1) as i32;
        let message = text(args, "message").unwrap_or_else(|| "failed on purpose".into());
        AttemptResult::failed(message, Some(code))
    }
}
