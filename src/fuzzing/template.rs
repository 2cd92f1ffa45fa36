//! The flow template loader (`flow::template::load`).
//!
//! Invariants, for any text:
//! - loading is deterministic, and the origin shows only in the problems' origin;
//! - a refused template has at least one problem, each at a line of the text (or just past
//!   its end) and a column within that line (or just past it), and the source line shown
//!   under the caret is that line;
//! - a loaded flow is consistent (unique step ids, needs that name other steps, a plan that
//!   holds every step once after what it needs, step lines inside the text), and written
//!   back out as YAML (every field, in the canonical form `yaml_serde` writes) it loads as
//!   the same flow.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use yaml_serde::{Mapping, Value};

use super::Features;
use crate::flow::plan::plan;
use crate::flow::template::{Flow, ParamType, Problem, load, yaml_lines};

pub fn template(bytes: &[u8]) -> Features {
    let mut seen = Features::default();
    let text = String::from_utf8_lossy(bytes);
    let first = load(&text, "fuzz.yaml");
    let again = load(&text, "again.yaml");
    match (&first, &again) {
        (Ok(a), Ok(b)) => assert_eq!(shape(a), shape(b), "loading twice differs"),
        (Err(a), Err(b)) => {
            let strip = |ps: &[Problem]| -> Vec<(usize, usize, String, Option<String>)> {
                ps.iter()
                    .map(|p| (p.line, p.column, p.message.clone(), p.source_line.clone()))
                    .collect()
            };
            assert_eq!(strip(a), strip(b), "loading twice differs");
            assert!(b.iter().all(|p| p.origin == "again.yaml"));
        }
        _ => panic!("loading twice differs: {first:?} then {again:?}"),
    }
    match first {
        Err(problems) => {
            seen.add(&["refused"]);
            check_problems(&text, &problems, &mut seen);
        }
        Ok(flow) => {
            seen.add(&["loaded"]);
            check_flow(&text, &flow, &mut seen);
            let written = write_back(&flow);
            match load(&written, "written.yaml") {
                Ok(again) => assert_eq!(
                    shape(&flow),
                    shape(&again),
                    "the flow written back loads differently:\n{written}"
                ),
                Err(problems) => panic!(
                    "the flow written back does not load: {}\n{written}",
                    problems
                        .iter()
                        .map(Problem::render)
                        .collect::<Vec<_>>()
                        .join("\n")
                ),
            }
        }
    }
    seen
}

/// How serde's errors start, after the path of the field they are about.
const SERDE_PHRASES: &[&str] = &[
    "invalid type",
    "invalid value",
    "invalid length",
    "unknown variant",
    "unknown field",
    "missing field",
    "duplicate field",
    "duplicate entry",
    "recursion limit",
];

/// Each problem points into the text, and shows the line it points at.
fn check_problems(text: &str, problems: &[Problem], seen: &mut Features) {
    assert!(!problems.is_empty(), "refused without a problem");
    // The lines as YAML counts them, and as the caret shows them.
    let lines = yaml_lines(text);
    for p in problems {
        // A YAML error names where in the template it is (`params.x.default: ...`): the
        // names are the input's (a key may hold spaces and `: `), not the problem's kind, so
        // the kind starts at serde's own words when they are there.
        let kind = match p.message.strip_prefix("invalid YAML: ") {
            Some(rest) => SERDE_PHRASES
                .iter()
                .filter_map(|phrase| rest.find(phrase))
                .min()
                .map_or(rest, |at| &rest[at..]),
            None => &p.message,
        };
        seen.add(&["problem", &super::shape(kind)]);
        assert_eq!(p.origin, "fuzz.yaml");
        assert!(
            p.render()
                .starts_with(&format!("fuzz.yaml:{}:{}: ", p.line, p.column)),
            "{p:?}"
        );
        assert!(
            p.line >= 1 && p.line <= lines.len() + 1,
            "a problem's line is outside the text of {} lines\n{p:?}",
            lines.len()
        );
        let line = lines.get(p.line - 1).copied();
        let width = line.map_or(0, |l| l.chars().count());
        assert!(
            p.column >= 1 && p.column <= width + 1,
            "a problem's column is outside its line of {width} characters\n{p:?}"
        );
        assert_eq!(
            p.source_line.as_deref(),
            line,
            "the caret's line is not the problem's line\n{p:?}"
        );
    }
}

/// A loaded flow is consistent in itself.
fn check_flow(text: &str, flow: &Flow, seen: &mut Features) {
    assert!(!flow.steps.is_empty(), "a flow without steps loaded");
    assert_eq!(flow.text, text);
    let lines = yaml_lines(text).len().max(1);
    let ids: BTreeSet<&str> = flow.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), flow.steps.len(), "duplicate step ids loaded");
    for s in &flow.steps {
        seen.add(&["kind", &s.uses]);
        assert!(
            s.line >= 1 && s.line <= lines,
            "step `{}` at line {}",
            s.id,
            s.line
        );
        for n in &s.needs {
            assert!(
                ids.contains(n.as_str()) && n != &s.id,
                "step `{}` needs `{n}`",
                s.id
            );
        }
    }
    let p = plan(flow);
    let mut wave_of = BTreeMap::new();
    for (i, wave) in p.waves.iter().enumerate() {
        for s in wave {
            assert!(
                wave_of.insert(s.id.clone(), i).is_none(),
                "`{}` planned twice",
                s.id
            );
        }
    }
    assert_eq!(wave_of.len(), flow.steps.len(), "the plan misses steps");
    for s in p.waves.iter().flatten() {
        for n in &s.needs {
            assert!(
                wave_of[n] < wave_of[&s.id],
                "`{}` planned before `{n}`",
                s.id
            );
        }
    }
    seen.add(&["waves", &p.waves.len().min(8).to_string()]);
}

/// Everything a loaded flow says, comparable: all but where it came from (origin, text, hash)
/// and where each step stands in the text.
#[derive(Debug, PartialEq)]
struct Shape {
    name: String,
    description: String,
    params: Vec<ParamShape>,
    steps: Vec<StepShape>,
}

/// A param: name, type, required, default, pattern, description.
type ParamShape = (
    String,
    ParamType,
    bool,
    Option<Value>,
    Option<String>,
    String,
);

#[derive(Debug, PartialEq)]
struct StepShape {
    id: String,
    uses: String,
    description: String,
    needs: Vec<String>,
    with: BTreeMap<String, serde_json::Value>,
    condition: Option<String>,
    retry: crate::flow::template::RetryPolicy,
    timeout: Option<Duration>,
    continue_on_failure: bool,
    outputs: Vec<String>,
}

fn shape(flow: &Flow) -> Shape {
    Shape {
        name: flow.name.clone(),
        description: flow.description.clone(),
        params: flow
            .params
            .iter()
            .map(|(name, p)| {
                (
                    name.clone(),
                    p.kind,
                    p.required,
                    p.default.clone(),
                    p.pattern.clone(),
                    p.description.clone(),
                )
            })
            .collect(),
        steps: flow
            .steps
            .iter()
            .map(|s| StepShape {
                id: s.id.clone(),
                uses: s.uses.clone(),
                description: s.description.clone(),
                needs: s.needs.clone(),
                with: s.with.clone(),
                condition: s.condition.as_ref().map(|(text, _)| text.clone()),
                retry: s.retry.clone(),
                timeout: s.timeout,
                continue_on_failure: s.continue_on_failure,
                outputs: s.outputs.clone(),
            })
            .collect(),
    }
}

fn put(m: &mut Mapping, key: &str, value: Value) {
    m.insert(Value::String(key.to_string()), value);
}

/// A duration as a template writes it: seconds, as many digits as it takes (`f64`'s
/// shortest form reads back as the same `f64`, and that as the same duration).
fn duration(d: Duration) -> Value {
    Value::String(format!("{}s", d.as_secs_f64()))
}

/// The flow as a template, every field written out (format in `templates/flows/README.md`).
fn write_back(flow: &Flow) -> String {
    let mut top = Mapping::new();
    put(&mut top, "name", flow.name.clone().into());
    put(&mut top, "description", flow.description.clone().into());
    let mut params = Mapping::new();
    for (name, p) in &flow.params {
        let mut m = Mapping::new();
        put(&mut m, "type", p.kind.to_string().into());
        put(&mut m, "required", p.required.into());
        if let Some(d) = &p.default {
            put(&mut m, "default", d.clone());
        }
        if let Some(pattern) = &p.pattern {
            put(&mut m, "pattern", pattern.clone().into());
        }
        put(&mut m, "description", p.description.clone().into());
        params.insert(name.clone().into(), Value::Mapping(m));
    }
    put(&mut top, "params", Value::Mapping(params));
    let mut steps = Vec::new();
    for s in &flow.steps {
        let mut m = Mapping::new();
        put(&mut m, "id", s.id.clone().into());
        put(&mut m, "uses", s.uses.clone().into());
        put(&mut m, "description", s.description.clone().into());
        let needs = s.needs.iter().cloned().map(Value::from).collect();
        put(&mut m, "needs", Value::Sequence(needs));
        let mut with = Mapping::new();
        for (k, v) in &s.with {
            let v = yaml_serde::to_value(v).expect("a JSON value is a YAML value");
            with.insert(k.clone().into(), v);
        }
        put(&mut m, "with", Value::Mapping(with));
        if let Some((text, _)) = &s.condition {
            put(&mut m, "if", text.clone().into());
        }
        let mut backoff = Mapping::new();
        put(&mut backoff, "initial", duration(s.retry.initial));
        put(&mut backoff, "factor", s.retry.factor.into());
        put(&mut backoff, "max", duration(s.retry.max_delay));
        let mut retry = Mapping::new();
        put(&mut retry, "max", s.retry.max_attempts.into());
        put(&mut retry, "backoff", Value::Mapping(backoff));
        let on = s.retry.on.iter().map(|&c| Value::from(c)).collect();
        put(&mut retry, "on", Value::Sequence(on));
        put(&mut m, "retry", Value::Mapping(retry));
        if let Some(t) = s.timeout {
            put(&mut m, "timeout", duration(t));
        }
        put(&mut m, "continue_on_failure", s.continue_on_failure.into());
        let outputs = s.outputs.iter().cloned().map(Value::from).collect();
        put(&mut m, "outputs", Value::Sequence(outputs));
        steps.push(Value::Mapping(m));
    }
    put(&mut top, "steps", Value::Sequence(steps));
    yaml_serde::to_string(&Value::Mapping(top)).expect("a YAML value writes")
}
