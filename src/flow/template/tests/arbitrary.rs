//! Generated flow templates for the property tests: what each part says, the YAML text it
//! is written as, and what it must load as. Steps form a DAG (each needs only steps before it
//! in dependency order) and are written in a shuffled order; ids, params, kinds, `with`,
//! conditions, retries and timeouts all vary, as do quoting and flow or block style.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use proptest::prelude::*;

use crate::flow::template::{ParamType, RetryPolicy, env_name};

/// Words YAML may read as something other than a string, and so are quoted.
const YAML_WORDS: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "inf", "nan",
];

/// `text` as YAML: plain when it is a plain word in `[a-z0-9_-]` that YAML reads as a
/// string, otherwise quoted (single or double by `style`).
pub(super) fn scalar(text: &str, style: u8) -> String {
    let plain = text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && !YAML_WORDS.contains(&text);
    match style % 3 {
        0 if plain => text.to_string(),
        1 => format!("'{}'", text.replace('\'', "''")),
        _ => serde_json::Value::from(text).to_string(),
    }
}

/// A duration as YAML reads it, and what it means.
#[derive(Debug, Clone)]
pub(super) struct GenDuration {
    pub(super) raw: String,
    pub(super) value: Duration,
}

fn duration() -> impl Strategy<Value = GenDuration> {
    prop_oneof![
        (0u64..5000).prop_map(|n| (format!("{n}ms"), Duration::from_millis(n))),
        (0u64..3600).prop_map(|n| (format!("{n}s"), Duration::from_secs(n))),
        (0u64..3600).prop_map(|n| (n.to_string(), Duration::from_secs(n))),
        (0u64..100, 0u64..10).prop_map(|(s, d)| (
            format!("{s}.{d}s"),
            Duration::from_millis(s * 1000 + d * 100)
        )),
        (0u64..600).prop_map(|n| (format!("{n}m"), Duration::from_secs(n * 60))),
        (0u64..48).prop_map(|n| (format!("{n}h"), Duration::from_secs(n * 3600))),
    ]
    .prop_map(|(raw, value)| GenDuration { raw, value })
}

/// A generated param: its YAML, and the value its `default` must load as.
#[derive(Debug, Clone)]
pub(super) struct GenParam {
    pub(super) kind: ParamType,
    /// `type:` left out (a string param).
    pub(super) implicit_type: bool,
    pub(super) required: bool,
    pub(super) default: Option<(String, yaml_serde::Value)>,
    pub(super) pattern: Option<String>,
    pub(super) description: String,
    pub(super) block: bool,
}

fn param() -> impl Strategy<Value = GenParam> {
    let string = ("[a-z]{0,6}", any::<bool>()).prop_map(|(s, patterned)| {
        let text = serde_json::Value::from(s.as_str()).to_string();
        (
            ParamType::String,
            Some((text, s.into())),
            patterned.then(|| "[a-z]*".to_string()),
        )
    });
    let int = any::<i32>().prop_map(|n| {
        (
            ParamType::Int,
            Some((n.to_string(), i64::from(n).into())),
            None,
        )
    });
    let boolean =
        any::<bool>().prop_map(|b| (ParamType::Bool, Some((b.to_string(), b.into())), None));
    let list = proptest::collection::vec("[a-z]{1,4}", 0..3).prop_map(|items| {
        let text = format!(
            "[{}]",
            items
                .iter()
                .map(|i| format!("'{i}'"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        (
            ParamType::List,
            Some((text, items.into())),
            Some("[a-z]+".to_string()),
        )
    });
    (
        prop_oneof![string, int, boolean, list],
        0u8..3,
        any::<bool>(),
        "[a-zA-Z .,:#'\"-]{0,16}",
        any::<bool>(),
    )
        .prop_map(
            |((kind, default, pattern), has, implicit, description, block)| {
                // 0: a default, 1: required, 2: neither.
                GenParam {
                    kind,
                    implicit_type: implicit && kind == ParamType::String,
                    required: has == 1,
                    default: if has == 0 { default } else { None },
                    pattern,
                    description,
                    block,
                }
            },
        )
}

/// A duration as YAML: plain (`5s`) or quoted by `style`; a bare number is always quoted
/// (YAML would read it as a number, and `timeout` is text).
pub(super) fn duration_text(d: &GenDuration, style: u8) -> String {
    if style.is_multiple_of(3) && d.raw.ends_with(|c: char| c.is_ascii_lowercase()) {
        d.raw.clone()
    } else {
        scalar(&d.raw, style.max(1))
    }
}

/// `retry:` as generated.
#[derive(Debug, Clone)]
pub(super) struct GenRetry {
    pub(super) max: u32,
    pub(super) backoff: Option<GenBackoff>,
    pub(super) on: Vec<i32>,
}

/// `retry.backoff:`, each part left out (its default) or written.
#[derive(Debug, Clone, Default)]
pub(super) struct GenBackoff {
    initial: Option<GenDuration>,
    /// As written (`2`, `2.0`), and its value.
    factor: Option<(String, f64)>,
    max: Option<GenDuration>,
}

impl GenRetry {
    pub(super) fn text(&self, style: u8) -> String {
        let mut parts = vec![format!("max: {}", self.max)];
        if let Some(backoff) = &self.backoff {
            let mut b = Vec::new();
            if let Some(d) = &backoff.initial {
                b.push(format!("initial: {}", duration_text(d, style)));
            }
            if let Some((text, _)) = &backoff.factor {
                b.push(format!("factor: {text}"));
            }
            if let Some(d) = &backoff.max {
                b.push(format!("max: {}", duration_text(d, style)));
            }
            parts.push(format!("backoff: {{ {} }}", b.join(", ")));
        }
        if !self.on.is_empty() || style.is_multiple_of(2) {
            let on: Vec<String> = self.on.iter().map(i32::to_string).collect();
            parts.push(format!("on: [{}]", on.join(", ")));
        }
        format!("{{ {} }}", parts.join(", "))
    }

    pub(super) fn expected(&self) -> RetryPolicy {
        let none = RetryPolicy::NONE;
        let GenBackoff {
            initial,
            factor,
            max,
        } = self.backoff.clone().unwrap_or_default();
        RetryPolicy {
            max_attempts: self.max,
            initial: initial.map_or(none.initial, |d| d.value),
            factor: factor.map_or(none.factor, |(_, f)| f),
            max_delay: max.map_or(none.max_delay, |d| d.value),
            on: self.on.clone(),
        }
    }
}

fn retry() -> impl Strategy<Value = GenRetry> {
    let factor = prop_oneof![
        Just(("1".to_string(), 1.0)),
        Just(("1.5".to_string(), 1.5)),
        Just(("2.0".to_string(), 2.0)),
        Just(("3".to_string(), 3.0)),
        Just(("100".to_string(), 100.0)),
    ];
    let backoff = (
        proptest::option::of(duration()),
        proptest::option::of(factor),
        proptest::option::of(duration()),
    )
        .prop_map(|(initial, factor, max)| GenBackoff {
            initial,
            factor,
            max,
        });
    (
        1u32..6,
        proptest::option::of(backoff),
        proptest::collection::vec(-3i32..300, 0..3),
    )
        .prop_map(|(max, backoff, on)| GenRetry { max, backoff, on })
}

/// A step kind and its `with`: each argument's YAML text and the value it loads as.
pub(super) type With = Vec<(&'static str, String, serde_json::Value)>;

fn kind(style: u8) -> impl Strategy<Value = (&'static str, With)> {
    let text = "[a-zA-Z .,:#'\"-]{0,12}";
    let arg =
        move |key: &'static str, s: String| (key, scalar(&s, style), serde_json::Value::from(s));
    prop_oneof![
        proptest::option::of(text)
            .prop_map(move |m| ("noop", m.map(|m| arg("message", m)).into_iter().collect())),
        duration().prop_map(move |d| {
            let yaml = duration_text(&d, style);
            (
                "sleep",
                vec![("duration", yaml, serde_json::Value::from(d.raw))],
            )
        }),
        (proptest::option::of(1i64..=255), proptest::option::of(text)).prop_map(
            move |(code, m)| {
                let mut with: With = code
                    .map(|c| ("code", c.to_string(), c.into()))
                    .into_iter()
                    .collect();
                with.extend(m.map(|m| arg("message", m)));
                ("fail", with)
            }
        ),
        (
            "[a-z0-9 ;|&>'\"=]{0,16}",
            proptest::option::of("[a-z/]{1,8}")
        )
            .prop_map(move |(run, dir)| {
                let mut with = vec![arg("run", format!("echo {run}"))];
                with.extend(dir.map(|d| arg("workdir", d)));
                ("shell", with)
            }),
    ]
}

/// A generated step; `needs` and `condition` are filled in once the graph is known.
#[derive(Debug, Clone)]
pub(super) struct GenStep {
    pub(super) id: String,
    pub(super) uses: &'static str,
    pub(super) with: With,
    pub(super) description: Option<String>,
    pub(super) needs: Vec<String>,
    pub(super) condition: Option<String>,
    pub(super) retry: Option<GenRetry>,
    pub(super) timeout: Option<GenDuration>,
    pub(super) continue_on_failure: Option<bool>,
    pub(super) outputs: Vec<String>,
    pub(super) style: u8,
    /// Which earlier steps it needs (bit `j`: the `j`-th in dependency order).
    needs_mask: u64,
    condition_pick: Option<u8>,
}

fn step() -> impl Strategy<Value = GenStep> {
    (0u8..6).prop_flat_map(|style| {
        (
            ("[a-z0-9][a-z0-9_-]{0,5}", kind(style)),
            proptest::option::of("[a-zA-Z .,:#'\"-]{0,16}"),
            (any::<u64>(), proptest::option::of(any::<u8>())),
            proptest::option::of(retry()),
            proptest::option::of(duration()),
            proptest::option::of(any::<bool>()),
            proptest::collection::vec("[a-z_][a-z0-9_]{0,5}", 0..3),
        )
            .prop_map(
                move |(
                    (id, (uses, with)),
                    description,
                    (needs_mask, condition_pick),
                    retry,
                    timeout,
                    continue_on_failure,
                    outputs,
                )| GenStep {
                    id,
                    uses,
                    with,
                    description,
                    needs: Vec::new(),
                    condition: None,
                    retry,
                    timeout,
                    continue_on_failure,
                    outputs,
                    style,
                    needs_mask,
                    condition_pick,
                },
            )
    })
}

/// A generated flow: its steps in the order they are written (not dependency order).
#[derive(Debug, Clone)]
pub(super) struct GenFlow {
    pub(super) name: String,
    pub(super) description: Option<String>,
    pub(super) params: BTreeMap<String, GenParam>,
    pub(super) steps: Vec<GenStep>,
}

pub(super) fn flow() -> impl Strategy<Value = GenFlow> {
    (
        "[a-z]([a-z0-9-]{0,6}[a-z0-9])?",
        proptest::option::of("[a-zA-Z .,:#'\"-]{0,16}"),
        proptest::collection::btree_map("[a-z][a-z0-9_]{0,5}", param(), 0..4),
        proptest::collection::vec(step(), 1..8),
    )
        .prop_flat_map(|(name, description, params, steps)| {
            let order = Just((0..steps.len()).collect::<Vec<_>>()).prop_shuffle();
            (
                Just(name),
                Just(description),
                Just(params),
                Just(steps),
                order,
            )
        })
        .prop_map(|(name, description, params, mut steps, order)| {
            // Ids whose env names differ (`a-b` and `a_b` would clash).
            let mut env_names = BTreeSet::new();
            for s in &mut steps {
                while !env_names.insert(env_name(&s.id)) {
                    s.id.push('x');
                }
            }
            for i in 0..steps.len() {
                let needs: Vec<String> = (0..i)
                    .filter(|j| steps[i].needs_mask >> j & 1 == 1)
                    .map(|j| steps[j].id.clone())
                    .collect();
                let mut conditions = vec!["true".to_string()];
                for n in &needs {
                    conditions.push(format!("steps.{n}.outcome == 'success'"));
                    let outputs = &steps.iter().find(|s| &s.id == n).unwrap().outputs;
                    for o in outputs {
                        conditions.push(format!("steps.{n}.outputs.{o} != '' || !true"));
                    }
                }
                for p in params.keys() {
                    conditions.push(format!("(params.{p} == 1) && false"));
                }
                let s = &mut steps[i];
                s.condition = s
                    .condition_pick
                    .map(|k| conditions[k as usize % conditions.len()].clone());
                s.needs = needs;
            }
            let steps = order.into_iter().map(|i| steps[i].clone()).collect();
            GenFlow {
                name,
                description,
                params,
                steps,
            }
        })
}
