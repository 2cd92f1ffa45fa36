//! `policy`: asks the policy engine for a decision and fails the step on a deny.
//!
//! The contract: `with.query` (e.g. `data.maestro.residency`) and `with.input` (an object).
//! The policy engine arrives with the governance kernel (issue #4); until it does, the step
//! fails with a clear message instead of pretending to allow.

use super::{Args, AttemptResult, InlineCx, Mode, StepKind, check_keys};

pub struct Policy;

impl StepKind for Policy {
    fn name(&self) -> &'static str {
        "policy"
    }
    fn mode(&self) -> Mode {
        Mode::Inline
    }
    fn check(&self, with: &Args) -> Result<(), String> {
        check_keys(with, &["query"], &["input"])?;
        match with.get("query").and_then(|q| q.as_str()) {
            Some(q) if q.starts_with("data.") => Ok(()),
            _ => Err(
                "`with.query` must name a policy document such as `data.maestro.residency`".into(),
            ),
        }
    }
    fn run_inline(&self, _cx: &InlineCx<'_>, args: &Args) -> AttemptResult {
        let query = args.get("query").and_then(|q| q.as_str()).unwrap_or("");
        AttemptResult::failed(
            format!(
                "no policy engine is configured, so `{query}` cannot be evaluated; this build has no governance kernel yet (a deploy's residency gate is built into the `deploy` step)"
            ),
            None,
        )
    }
}
