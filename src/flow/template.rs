//! Loading and validating a flow template (`templates/flows/*.yaml`, format in
//! `templates/flows/README.md`). Validation collects every problem with its file, line and
//! column, so `flow:validate` can show them all at once.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::expr::{self, Expr, Path, Val};
use super::kinds;
use crate::model::audit::hex;

/// The template as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    params: BTreeMap<String, ParamSpec>,
    steps: Vec<RawStep>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    #[serde(rename = "type", default)]
    pub kind: ParamType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<yaml_serde::Value>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    #[default]
    String,
    Int,
    Bool,
    List,
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParamType::String => "string",
            ParamType::Int => "int",
            ParamType::Bool => "bool",
            ParamType::List => "list",
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: String,
    uses: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    needs: Vec<String>,
    #[serde(default)]
    with: BTreeMap<String, yaml_serde::Value>,
    #[serde(rename = "if", default)]
    condition: Option<String>,
    #[serde(default)]
    retry: Option<RawRetry>,
    #[serde(default)]
    timeout: Option<String>,
    #[serde(default)]
    continue_on_failure: bool,
    #[serde(default)]
    outputs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetry {
    max: u32,
    #[serde(default)]
    backoff: RawBackoff,
    #[serde(default)]
    on: Vec<i32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBackoff {
    #[serde(default = "default_initial")]
    initial: String,
    #[serde(default = "default_factor")]
    factor: f64,
    #[serde(default = "default_max")]
    max: String,
}

impl Default for RawBackoff {
    fn default() -> Self {
        RawBackoff {
            initial: default_initial(),
            factor: default_factor(),
            max: default_max(),
        }
    }
}

fn default_initial() -> String {
    "1s".into()
}
fn default_factor() -> f64 {
    2.0
}
fn default_max() -> String {
    "100s".into()
}

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

/// One thing wrong with a template, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub origin: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The source line, shown with a caret under `column`.
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

struct Locator<'a> {
    origin: &'a str,
    lines: Vec<&'a str>,
}

impl Locator<'_> {
    fn at(&self, line: usize, column: usize, message: String) -> Problem {
        Problem {
            origin: self.origin.to_string(),
            line,
            column,
            message,
            source_line: self.lines.get(line.wrapping_sub(1)).map(|l| l.to_string()),
        }
    }

    /// The line of `id: <id>` of a step (1-based), or 1.
    fn step_line(&self, id: &str) -> usize {
        self.lines
            .iter()
            .position(|l| {
                let t = l.trim_start().trim_start_matches('-').trim_start();
                t.strip_prefix("id:").is_some_and(|v| {
                    let v = v.split(" #").next().unwrap_or("").trim();
                    v.trim_matches(|c| c == '"' || c == '\'') == id
                })
            })
            .map_or(1, |i| i + 1)
    }

    /// The line and column of `key:` inside the step starting at `step_line`.
    fn key_in_step(&self, step_line: usize, key: &str) -> (usize, usize) {
        let indent = |l: &str| l.len() - l.trim_start_matches([' ', '-']).len();
        let start = step_line.saturating_sub(1);
        let base = self.lines.get(start).map_or(0, |l| indent(l));
        for (i, l) in self.lines.iter().enumerate().skip(start) {
            if i > start && l.trim_start().starts_with('-') && indent(l) <= base {
                break;
            }
            let t = l.trim_start_matches([' ', '-']);
            if t.starts_with(&format!("{key}:")) {
                return (i + 1, l.len() - t.len() + 1);
            }
        }
        (step_line, 1)
    }

    fn in_step(&self, id: &str, key: &str, message: String) -> Problem {
        let (line, col) = self.key_in_step(self.step_line(id), key);
        self.at(line, col, message)
    }
}

/// Parses and validates `text`. `origin` names it in problems (a path or `builtin:NAME`).
pub fn load(text: &str, origin: &str) -> Result<Flow, Vec<Problem>> {
    let loc = Locator {
        origin,
        lines: text.lines().collect(),
    };
    let raw: RawTemplate = yaml_serde::from_str(text).map_err(|e| {
        let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        vec![loc.at(line, col, format!("invalid YAML: {msg}"))]
    })?;
    let mut problems = Vec::new();
    if crate::model::ids::dns_label_problem(&raw.name).is_some() {
        let line = loc
            .lines
            .iter()
            .position(|l| l.starts_with("name:"))
            .map_or(1, |i| i + 1);
        problems.push(loc.at(
            line,
            1,
            format!(
                "invalid flow name `{}`: use lowercase letters, digits and `-`",
                raw.name
            ),
        ));
    }
    for (name, spec) in &raw.params {
        let line = loc
            .lines
            .iter()
            .position(|l| l.trim_start().starts_with(&format!("{name}:")))
            .map_or(1, |i| i + 1);
        if !is_name(name) {
            problems.push(loc.at(
                line,
                1,
                format!("invalid param name `{name}`: use letters, digits and `_`"),
            ));
        }
        if let Some(p) = &spec.pattern
            && let Err(e) = regex::Regex::new(p)
        {
            problems.push(loc.at(line, 1, format!("param `{name}`: invalid pattern: {e}")));
        }
        if let Some(default) = &spec.default {
            if let Err(e) =
                yaml_to_val(default, spec.kind).and_then(|v| check_pattern(name, spec, &v))
            {
                problems.push(loc.at(line, 1, format!("param `{name}`: default {e}")));
            }
            if spec.required {
                problems.push(loc.at(
                    line,
                    1,
                    format!("param `{name}` is required and has a default: choose one"),
                ));
            }
        }
    }
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    let mut env_names: BTreeMap<String, &str> = BTreeMap::new();
    for s in &raw.steps {
        if !is_step_id(&s.id) {
            problems.push(loc.in_step(
                &s.id,
                "id",
                format!(
                    "invalid step id `{}`: use lowercase letters, digits, `-` and `_`",
                    s.id
                ),
            ));
        }
        if !ids.insert(&s.id) {
            problems.push(loc.in_step(&s.id, "id", format!("duplicate step id `{}`", s.id)));
        }
        let env = env_name(&s.id);
        if let Some(other) = env_names.insert(env.clone(), &s.id)
            && other != s.id
        {
            problems.push(loc.in_step(
                &s.id,
                "id",
                format!(
                    "step ids `{other}` and `{}` both become MAESTRO_STEP_{env}_*",
                    s.id
                ),
            ));
        }
    }
    if raw.steps.is_empty() {
        problems.push(loc.at(1, 1, "a flow needs at least one step".into()));
    }
    let mut steps = Vec::new();
    for s in &raw.steps {
        for need in &s.needs {
            if !ids.contains(need.as_str()) {
                problems.push(loc.in_step(
                    &s.id,
                    "needs",
                    format!(
                        "step `{}` needs `{need}`, which is not a step of this flow",
                        s.id
                    ),
                ));
            } else if need == &s.id {
                problems.push(loc.in_step(&s.id, "needs", format!("step `{}` needs itself", s.id)));
            }
        }
        let mut with = BTreeMap::new();
        for (k, v) in &s.with {
            match yaml_serde::from_value::<serde_json::Value>(v.clone()) {
                Ok(j) => {
                    with.insert(k.clone(), j);
                }
                Err(e) => problems.push(loc.in_step(
                    &s.id,
                    "with",
                    format!("step `{}`: `with.{k}`: {e}", s.id),
                )),
            }
        }
        match kinds::lookup(&s.uses) {
            None => problems.push(loc.in_step(
                &s.id,
                "uses",
                format!(
                    "unknown step kind `{}` (known: {})",
                    s.uses,
                    kinds::names().join(", ")
                ),
            )),
            Some(kind) => {
                if let Err(e) = kind.check(&with) {
                    problems.push(loc.in_step(
                        &s.id,
                        "with",
                        format!("step `{}` ({}): {e}", s.id, s.uses),
                    ));
                }
            }
        }
        let condition = match &s.condition {
            None => None,
            Some(text) => match Expr::parse(text) {
                Ok(e) => Some((text.clone(), e)),
                Err(e) => {
                    problems.push(loc.in_step(
                        &s.id,
                        "if",
                        format!("step `{}`: invalid condition: {e}", s.id),
                    ));
                    None
                }
            },
        };
        let timeout = match s.timeout.as_deref().map(parse_duration).transpose() {
            Ok(t) => t,
            Err(e) => {
                problems.push(loc.in_step(&s.id, "timeout", format!("step `{}`: {e}", s.id)));
                None
            }
        };
        let retry = match &s.retry {
            None => RetryPolicy::NONE,
            Some(r) => {
                let parsed = (|| -> Result<RetryPolicy, String> {
                    if r.max == 0 {
                        return Err("retry.max is the number of attempts in all: at least 1".into());
                    }
                    if !(r.backoff.factor >= 1.0 && r.backoff.factor <= 100.0) {
                        return Err(format!(
                            "retry.backoff.factor {} must be between 1 and 100",
                            r.backoff.factor
                        ));
                    }
                    Ok(RetryPolicy {
                        max_attempts: r.max,
                        initial: parse_duration(&r.backoff.initial)?,
                        factor: r.backoff.factor,
                        max_delay: parse_duration(&r.backoff.max)?,
                        on: r.on.clone(),
                    })
                })();
                parsed.unwrap_or_else(|e| {
                    problems.push(loc.in_step(&s.id, "retry", format!("step `{}`: {e}", s.id)));
                    RetryPolicy::NONE
                })
            }
        };
        for o in &s.outputs {
            if !is_name(o) {
                problems.push(loc.in_step(
                    &s.id,
                    "outputs",
                    format!(
                        "step `{}`: invalid output name `{o}`: use letters, digits and `_`",
                        s.id
                    ),
                ));
            }
        }
        steps.push(FlowStep {
            id: s.id.clone(),
            uses: s.uses.clone(),
            description: s.description.clone(),
            needs: s.needs.clone(),
            with,
            condition,
            retry,
            timeout,
            continue_on_failure: s.continue_on_failure,
            outputs: s.outputs.clone(),
            line: loc.step_line(&s.id),
        });
    }
    let flow = Flow {
        name: raw.name.clone(),
        description: raw.description.clone(),
        params: raw.params.clone(),
        steps,
        origin: origin.to_string(),
        text: text.to_string(),
        sha256: hex(&Sha256::digest(text.as_bytes())),
    };
    if problems.is_empty() {
        if let Err(cycle) = super::plan::find_cycle(&flow) {
            let first = &cycle[0];
            problems.push(loc.in_step(
                first,
                "needs",
                format!("dependency cycle: {}", cycle.join(" -> ")),
            ));
        } else {
            check_references(&flow, &loc, &mut problems);
        }
    }
    if problems.is_empty() {
        Ok(flow)
    } else {
        Err(problems)
    }
}

/// Conditions and `${{ }}` may name only declared params, and steps this step (transitively)
/// needs, and their declared outputs.
fn check_references(flow: &Flow, loc: &Locator<'_>, problems: &mut Vec<Problem>) {
    for step in &flow.steps {
        let ancestors = super::plan::ancestors(flow, &step.id);
        let mut check = |paths: Vec<Path>, key: &str| {
            for p in paths {
                let err = match &p {
                    Path::Param(n) if !flow.params.contains_key(n) => {
                        Some(format!("unknown param `{n}`"))
                    }
                    Path::Outcome(s) | Path::Output(s, _) if !ancestors.contains(s.as_str()) => {
                        Some(format!(
                            "step `{s}` is not among the steps `{}` needs (directly or not)",
                            step.id
                        ))
                    }
                    Path::Output(s, o) if flow.step(s).is_some_and(|x| !x.outputs.contains(o)) => {
                        Some(format!("step `{s}` declares no output `{o}`"))
                    }
                    _ => None,
                };
                if let Some(e) = err {
                    problems.push(loc.in_step(&step.id, key, format!("step `{}`: {e}", step.id)));
                }
            }
        };
        if let Some((_, e)) = &step.condition {
            let mut paths = Vec::new();
            e.paths(&mut paths);
            check(paths, "if");
        }
        let mut paths = Vec::new();
        for v in step.with.values() {
            collect_template_paths(v, &mut paths);
        }
        check(paths, "with");
    }
}

fn collect_template_paths(v: &serde_json::Value, out: &mut Vec<Path>) {
    match v {
        serde_json::Value::String(s) => {
            if let Ok(pieces) = expr::parse_template(s) {
                for p in pieces {
                    if let expr::Piece::Expr(e) = p {
                        e.paths(out);
                    }
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_template_paths(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| collect_template_paths(x, out)),
        _ => {}
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

fn is_step_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// `build-image` → `BUILD_IMAGE`, as in `MAESTRO_STEP_BUILD_IMAGE_VERSION`.
pub fn env_name(s: &str) -> String {
    s.to_ascii_uppercase().replace('-', "_")
}

/// `500ms`, `30s`, `5m`, `2h`, or a number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let bad = || format!("invalid duration `{text}`: expected e.g. `500ms`, `30s`, `5m`, `2h`");
    let (num, unit) = match t.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, "s"),
    };
    let n: f64 = num.parse().map_err(|_| bad())?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(bad()),
    };
    if !(secs.is_finite() && (0.0..=7.0 * 86400.0).contains(&secs)) {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(secs))
}

fn yaml_to_val(v: &yaml_serde::Value, kind: ParamType) -> Result<Val, String> {
    use yaml_serde::Value as Y;
    match (kind, v) {
        (ParamType::String, Y::String(s)) => Ok(Val::Str(s.clone())),
        (ParamType::Int, Y::Number(n)) if n.as_i64().is_some() => {
            Ok(Val::Int(n.as_i64().unwrap_or(0)))
        }
        (ParamType::Bool, Y::Bool(b)) => Ok(Val::Bool(*b)),
        (ParamType::List, Y::Sequence(items)) => items
            .iter()
            .map(|i| match i {
                Y::String(s) => Ok(s.clone()),
                other => Err(format!("list items must be strings, found {other:?}")),
            })
            .collect::<Result<_, _>>()
            .map(Val::List),
        (kind, other) => Err(format!("is not a {kind}: {other:?}")),
    }
}

fn check_pattern(name: &str, spec: &ParamSpec, v: &Val) -> Result<(), String> {
    let Some(p) = &spec.pattern else {
        return Ok(());
    };
    let re = regex::Regex::new(&format!("^(?:{p})$")).map_err(|e| e.to_string())?;
    let items = match v {
        Val::List(l) => l.clone(),
        other => vec![other.to_env()],
    };
    for item in items {
        if !re.is_match(&item) {
            return Err(format!(
                "`{item}` does not match the pattern `{p}` of param `{name}`"
            ));
        }
    }
    Ok(())
}

/// Turns `--param k=v` pairs into typed values: defaults filled, required ones present,
/// types and patterns checked, unknown names refused.
pub fn resolve_params(
    flow: &Flow,
    given: &[(String, String)],
) -> Result<BTreeMap<String, Val>, String> {
    let mut out = BTreeMap::new();
    for (k, raw) in given {
        let spec = flow.params.get(k).ok_or_else(|| {
            let known: Vec<&str> = flow.params.keys().map(String::as_str).collect();
            format!(
                "flow `{}` has no param `{k}` (params: {})",
                flow.name,
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            )
        })?;
        let v = match spec.kind {
            ParamType::String => Val::Str(raw.clone()),
            ParamType::Int => Val::Int(
                raw.trim()
                    .parse()
                    .map_err(|_| format!("param `{k}`: `{raw}` is not an int"))?,
            ),
            ParamType::Bool => Val::Bool(match raw.as_str() {
                "true" | "yes" | "1" => true,
                "false" | "no" | "0" => false,
                _ => return Err(format!("param `{k}`: `{raw}` is not a bool (true/false)")),
            }),
            ParamType::List => Val::List(if raw.is_empty() {
                vec![]
            } else {
                raw.split(',').map(|s| s.trim().to_string()).collect()
            }),
        };
        check_pattern(k, spec, &v)?;
        if out.insert(k.clone(), v).is_some() {
            return Err(format!("param `{k}` is given twice"));
        }
    }
    for (k, spec) in &flow.params {
        if out.contains_key(k) {
            continue;
        }
        if let Some(d) = &spec.default {
            out.insert(k.clone(), yaml_to_val(d, spec.kind)?);
        } else if spec.required {
            return Err(format!(
                "flow `{}` needs param `{k}`: add `--param {k}=...`",
                flow.name
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = "name: demo
params:
  env: { type: string, default: dev, pattern: 'dev|prod' }
  n: { type: int, required: true }
steps:
  - id: a
    uses: noop
  - id: b
    uses: shell
    needs: [a]
    with: { run: 'echo hi' }
    outputs: [version]
  - id: c
    uses: noop
    needs: [b]
    if: steps.b.outputs.version != '' && params.env == 'prod'
    retry: { max: 3, backoff: { initial: 10ms } }
    timeout: 5s
";

    #[test]
    fn loads_a_valid_template() {
        let f = load(OK, "demo.yaml").unwrap();
        assert_eq!(f.steps.len(), 3);
        assert_eq!(f.steps[2].retry.max_attempts, 3);
        assert_eq!(f.steps[2].timeout, Some(Duration::from_secs(5)));
        assert_eq!(f.steps[1].line, 8);
    }

    fn problems(text: &str) -> Vec<String> {
        load(text, "t.yaml")
            .unwrap_err()
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    #[test]
    fn reports_unknown_needs_duplicates_and_kinds_with_lines() {
        let p = problems(
            "name: t\nsteps:\n  - id: a\n    uses: noop\n    needs: [zz]\n  - id: a\n    uses: shel\n",
        );
        assert!(
            p.contains(
                &"t.yaml:5:5: step `a` needs `zz`, which is not a step of this flow".to_string()
            ),
            "{p:#?}"
        );
        assert!(
            p.iter().any(|m| m.contains("duplicate step id `a`")),
            "{p:#?}"
        );
        assert!(
            p.iter().any(|m| m.contains("unknown step kind `shel`")),
            "{p:#?}"
        );
    }

    #[test]
    fn names_the_whole_cycle() {
        let p = problems(
            "name: t\nsteps:\n  - id: a\n    uses: noop\n    needs: [c]\n  - id: b\n    uses: noop\n    needs: [a]\n  - id: c\n    uses: noop\n    needs: [b]\n",
        );
        assert_eq!(p, ["t.yaml:5:5: dependency cycle: a -> c -> b -> a"]);
    }

    #[test]
    fn yaml_errors_have_line_and_caret() {
        let errs = load(
            "name: t\nsteps:\n  - id: a\n    uses: noop\n  x: - y\n",
            "t.yaml",
        )
        .unwrap_err();
        assert_eq!((errs[0].line, errs[0].column), (5, 3), "{errs:?}");
        assert!(errs[0].message.starts_with("invalid YAML: "), "{errs:?}");
        assert!(
            errs[0].render().ends_with("5 |   x: - y\n  |   ^"),
            "{}",
            errs[0].render()
        );
    }

    #[test]
    fn shell_run_may_not_interpolate() {
        let p = problems(
            "name: t\nsteps:\n  - id: a\n    uses: shell\n    with: { run: 'echo ${{ params.x }}' }\n",
        );
        assert!(p[0].contains("environment variables"), "{p:#?}");
    }

    #[test]
    fn references_are_checked() {
        let p = problems(
            "name: t\nsteps:\n  - id: a\n    uses: noop\n  - id: b\n    uses: noop\n    if: steps.a.outcome == 'success' || params.x\n",
        );
        assert!(
            p.iter()
                .any(|m| m.contains("step `a` is not among the steps `b` needs")),
            "{p:#?}"
        );
        assert!(p.iter().any(|m| m.contains("unknown param `x`")), "{p:#?}");
    }

    #[test]
    fn params_are_typed() {
        let f = load(OK, "demo.yaml").unwrap();
        let p = |kv: &[(&str, &str)]| {
            resolve_params(
                &f,
                &kv.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<Vec<_>>(),
            )
        };
        let ok = p(&[("n", "3")]).unwrap();
        assert_eq!(ok["env"], Val::Str("dev".into()));
        assert_eq!(ok["n"], Val::Int(3));
        assert!(p(&[]).unwrap_err().contains("needs param `n`"));
        assert!(p(&[("n", "x")]).unwrap_err().contains("not an int"));
        assert!(
            p(&[("n", "1"), ("env", "qa")])
                .unwrap_err()
                .contains("does not match the pattern")
        );
        assert!(
            p(&[("n", "1"), ("zz", "1")])
                .unwrap_err()
                .contains("has no param `zz`")
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("3").unwrap(), Duration::from_secs(3));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("9999h").is_err());
    }

    #[test]
    fn backoff_grows_and_caps() {
        let r = RetryPolicy {
            max_attempts: 5,
            initial: Duration::from_secs(1),
            factor: 2.0,
            max_delay: Duration::from_secs(3),
            on: vec![],
        };
        assert_eq!(r.delay_before(2), Duration::from_secs(1));
        assert_eq!(r.delay_before(3), Duration::from_secs(2));
        assert_eq!(r.delay_before(4), Duration::from_secs(3));
    }
}
