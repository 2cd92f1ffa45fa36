//! Loading and validating a flow template (`templates/flows/*.yaml`, format in
//! `templates/flows/README.md`). Validation collects every problem with its file, line and
//! column, so `flow:validate` can show them all at once.
//!
//! - [`raw`]: the template as written, and where each part of it stands in the file;
//! - [`validate`]: [`load`], the raw template checked whole into a [`Flow`];
//! - [`params`]: the params a flow declares, and the values a run is given for them.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Serialize;

mod params;
mod raw;
mod validate;

pub(crate) use params::params_from_json;
pub use params::{ParamSpec, ParamType, resolve_params};
#[cfg(feature = "fuzzing")]
pub(crate) use raw::yaml_lines;
pub use validate::load;

use super::expr::Expr;

/// When and how often a failed step is tried again (Temporal's defaults: 1 s, ×2, capped).
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: no retry).
    pub max_attempts: u32,
    pub initial: Duration,
    pub factor: f64,
    pub max_delay: Duration,
    /// Exit codes that are retried; empty: every failure, timeouts included.
    pub on: Vec<i32>,
}

impl RetryPolicy {
    pub const NONE: RetryPolicy = RetryPolicy {
        max_attempts: 1,
        initial: Duration::from_secs(1),
        factor: 2.0,
        max_delay: Duration::from_secs(100),
        on: Vec::new(),
    };

    /// The delay before attempt `next` (2, 3, ...), without jitter.
    pub fn delay_before(&self, next: u32) -> Duration {
        let exp = self.factor.powi(next.saturating_sub(2) as i32);
        let secs = (self.initial.as_secs_f64() * exp).min(self.max_delay.as_secs_f64());
        Duration::from_secs_f64(secs.max(0.0))
    }

    /// Whether a failure with `exit_code` (`None`: timeout or no exit code) is retried.
    pub fn retries(&self, exit_code: Option<i32>) -> bool {
        self.on.is_empty() || exit_code.is_some_and(|c| self.on.contains(&c))
    }
}

/// A validated step.
#[derive(Debug, Clone)]
pub struct FlowStep {
    pub id: String,
    pub uses: String,
    pub description: String,
    pub needs: Vec<String>,
    /// Arguments; strings may hold `${{ expr }}` (not in a shell step's `run`).
    pub with: BTreeMap<String, serde_json::Value>,
    pub condition: Option<(String, Expr)>,
    pub retry: RetryPolicy,
    pub timeout: Option<Duration>,
    pub continue_on_failure: bool,
    pub outputs: Vec<String>,
    /// Where the step starts in its file (1-based).
    pub line: usize,
}

/// A validated flow, ready to plan and run.
#[derive(Debug, Clone)]
pub struct Flow {
    pub name: String,
    pub description: String,
    pub params: BTreeMap<String, ParamSpec>,
    pub steps: Vec<FlowStep>,
    /// `builtin:NAME` or the file path.
    pub origin: String,
    pub text: String,
    pub sha256: String,
}

impl Flow {
    pub fn step(&self, id: &str) -> Option<&FlowStep> {
        self.steps.iter().find(|s| s.id == id)
    }
}

/// One thing wrong with a template, with where it is. As JSON (`flow:validate --output
/// json`) only `column`, `line` and `message`, in that order: the origin is given once beside
/// the list, and the source line is for the caret on stderr.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Problem {
    pub column: usize,
    pub line: usize,
    pub message: String,
    #[serde(skip)]
    pub origin: String,
    /// The source line, shown with a caret under `column`.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.origin, self.line, self.column, self.message
        )
    }
}

impl Problem {
    /// The message, the source line and a caret, cargo style.
    pub fn render(&self) -> String {
        let mut out = self.to_string();
        if let Some(src) = &self.source_line {
            let n = self.line.to_string();
            let pad = " ".repeat(n.len());
            out.push_str(&format!(
                "\n{pad} |\n{n} | {src}\n{pad} | {}^",
                " ".repeat(self.column.saturating_sub(1))
            ));
        }
        out
    }
}

/// `build-image` → `BUILD_IMAGE`, as in `MAESTRO_STEP_BUILD_IMAGE_VERSION`.
pub fn env_name(s: &str) -> String {
    s.to_ascii_uppercase().replace('-', "_")
}

/// A step's timeout or backoff: jiff's friendly format (`500ms`, `30s`, `5m`, `1h30m`,
/// `2 hours`) or ISO 8601 (`PT5M`), or a bare number of seconds (`3`, `0.5`), up to 7 days.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad = || format!("invalid duration `{text}`: expected e.g. `500ms`, `30s`, `5m`, `1h30m`");
    let bare = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let d = if bare {
        let secs: f64 = t.parse().map_err(|_| bad())?;
        jiff::SignedDuration::try_from_secs_f64(secs).map_err(|_| bad())?
    } else {
        t.parse::<jiff::SignedDuration>().map_err(|_| bad())?
    };
    if d.is_negative() || d > jiff::SignedDuration::from_hours(7 * 24) {
        return Err(bad());
    }
    Duration::try_from(d).map_err(|_| bad())
}

#[cfg(test)]
mod tests;
