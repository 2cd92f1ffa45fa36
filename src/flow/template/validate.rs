//! Checking a template whole: names, ids, needs, kinds and their arguments, conditions,
//! timeouts, retries, outputs, params, the dependency graph (a cycle is named in full) and
//! what expressions refer to. Every problem is collected, each with its file, line and
//! column.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use super::params::{check_pattern, yaml_to_val};
use super::raw::Locator;
use super::{Flow, FlowStep, Problem, RetryPolicy, env_name, parse_duration};
use crate::flow::expr::{self, Expr, Path};
use crate::flow::kinds;
use crate::model::audit::hex;

/// Parses and validates `text`. `origin` names it in problems (a path or `builtin:NAME`).
pub fn load(text: &str, origin: &str) -> Result<Flow, Vec<Problem>> {
    let loc = Locator::new(origin, text);
    let raw = loc.parse(text)?;
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
        if let Err(cycle) = crate::flow::plan::find_cycle(&flow) {
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
        let ancestors = crate::flow::plan::ancestors(flow, &step.id);
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::flow::template::tests::OK;

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
}
