//! Property tests of `load`: generated templates, written out as YAML text, load as exactly
//! what was generated; and a mutated template never makes loading panic.
//!
//! The text is written by a renderer here, not by the crate: nothing in the code turns a
//! `Flow` back into a template (`plan()`, which `--dry-run` and `flow:graph` print, keeps
//! only ids, kinds, needs and conditions). The plan is checked too: it is the real code's own
//! rendering of the graph, and must agree with the generated one.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::arbitrary::{GenFlow, GenRetry, duration_text, flow, scalar};
use crate::flow::plan::plan;
use crate::flow::template::{RetryPolicy, load};

/// The flow as a template (format in `templates/flows/README.md`), and the line each
/// step's `id:` is on.
fn render(flow: &GenFlow) -> (String, Vec<usize>) {
    let mut out = vec![format!("name: {}", scalar(&flow.name, 0))];
    if let Some(d) = &flow.description {
        out.push(format!("description: {}", scalar(d, 1)));
    }
    if !flow.params.is_empty() {
        out.push("params:".into());
    }
    for (name, p) in &flow.params {
        let mut fields = Vec::new();
        if !p.implicit_type {
            fields.push(format!("type: {}", p.kind));
        }
        if p.required {
            fields.push("required: true".into());
        }
        if let Some((text, _)) = &p.default {
            fields.push(format!("default: {text}"));
        }
        if let Some(pattern) = &p.pattern {
            fields.push(format!("pattern: {}", scalar(pattern, 1)));
        }
        if !p.description.is_empty() {
            fields.push(format!("description: {}", scalar(&p.description, 2)));
        }
        let name = scalar(name, 0);
        if p.block && !fields.is_empty() {
            out.push(format!("  {name}:"));
            out.extend(fields.iter().map(|f| format!("    {f}")));
        } else {
            out.push(format!("  {name}: {{ {} }}", fields.join(", ")));
        }
    }
    out.push("steps:".into());
    let mut id_lines = Vec::new();
    for s in &flow.steps {
        let block = s.style % 2 == 1;
        let mut fields = vec![
            format!("id: {}", scalar(&s.id, s.style)),
            format!("uses: {}", s.uses),
        ];
        if let Some(d) = &s.description {
            fields.push(format!("description: {}", scalar(d, s.style + 1)));
        }
        let ids =
            |ids: &[String]| -> Vec<String> { ids.iter().map(|i| scalar(i, s.style)).collect() };
        let needs = ids(&s.needs);
        if block && s.style > 2 && !needs.is_empty() {
            fields.push("needs:".into());
            fields.extend(needs.iter().map(|n| format!("  - {n}")));
        } else if !needs.is_empty() || s.style == 0 {
            fields.push(format!("needs: [{}]", needs.join(", ")));
        }
        let with: Vec<String> = s.with.iter().map(|(k, v, _)| format!("{k}: {v}")).collect();
        if block && s.style > 2 && !with.is_empty() {
            fields.push("with:".into());
            fields.extend(with.iter().map(|w| format!("  {w}")));
        } else if !with.is_empty() || s.style == 2 {
            fields.push(format!("with: {{ {} }}", with.join(", ")));
        }
        if let Some(c) = &s.condition {
            fields.push(format!("if: {}", scalar(c, s.style.max(1))));
        }
        if let Some(r) = &s.retry {
            fields.push(format!("retry: {}", r.text(s.style)));
        }
        if let Some(t) = &s.timeout {
            fields.push(format!("timeout: {}", duration_text(t, s.style)));
        }
        if let Some(c) = s.continue_on_failure {
            fields.push(format!("continue_on_failure: {c}"));
        }
        if !s.outputs.is_empty() {
            fields.push(format!("outputs: [{}]", ids(&s.outputs).join(", ")));
        }
        id_lines.push(out.len() + 1);
        if block {
            out.push(format!("  - {}", fields[0]));
            out.extend(fields[1..].iter().map(|f| format!("    {f}")));
        } else {
            out.push(format!("  - {{ {} }}", fields.join(", ")));
        }
    }
    (out.join("\n") + "\n", id_lines)
}

/// Edits of a template's text: (kind, where, which fragment).
type Edit = (u8, usize, usize);

/// What edits insert: YAML syntax, template keys and values that are out of place.
const FRAGMENTS: &[&str] = &[
    ":",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "'",
    "\"",
    "\t",
    "\n",
    "  ",
    "#",
    "&a",
    "*a",
    "!!binary ",
    "needs: [",
    "id: a\n",
    "uses: nope",
    "- id: x\n    uses: noop\n",
    "retry: { max: 0 }",
    "timeout: 99999h",
    "if: steps.",
    "${{ params.x }}",
    "é",
    "\u{0}",
    "~",
    "---\n",
    "? ",
    "99999999999999999999",
    "-1",
    "params:\n  x: { type: int, default: 'a' }\n",
];

/// `text` with `edits` applied to its characters and lines.
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for &(kind, at, fragment) in edits {
        let at = at % (chars.len() + 1);
        let insert: Vec<char> = FRAGMENTS[fragment % FRAGMENTS.len()].chars().collect();
        let line_start = chars[..at]
            .iter()
            .rposition(|&c| c == '\n')
            .map_or(0, |i| i + 1);
        let line_end = chars[at..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |i| at + i + 1);
        match kind % 6 {
            0 => {
                chars.splice(at..at, insert);
            }
            1 => {
                chars.drain(at..(at + 1 + fragment % 7).min(chars.len()));
            }
            2 => {
                let line: Vec<char> = chars[line_start..line_end].to_vec();
                chars.splice(line_start..line_start, line);
            }
            3 => {
                chars.drain(line_start..line_end);
            }
            4 => {
                chars.splice(line_start..line_start, [' ']);
            }
            _ => chars.truncate(at),
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A generated template loads as exactly what was generated, and its plan agrees.
    #[test]
    fn a_template_loads_as_written(g in flow()) {
        let (text, id_lines) = render(&g);
        let f = load(&text, "gen.yaml").map_err(|problems| {
            let shown: Vec<String> = problems.iter().map(|p| p.render()).collect();
            TestCaseError::fail(format!("{}\n{text}", shown.join("\n")))
        })?;
        prop_assert_eq!(&f.name, &g.name);
        prop_assert_eq!(&f.description, g.description.as_deref().unwrap_or(""));
        prop_assert_eq!(f.params.keys().collect::<Vec<_>>(), g.params.keys().collect::<Vec<_>>());
        for (name, p) in &g.params {
            let spec = &f.params[name];
            prop_assert_eq!(spec.kind, p.kind, "{}", name);
            prop_assert_eq!(spec.required, p.required, "{}", name);
            prop_assert_eq!(spec.default.as_ref(), p.default.as_ref().map(|(_, v)| v), "{}", name);
            prop_assert_eq!(&spec.pattern, &p.pattern, "{}", name);
            prop_assert_eq!(&spec.description, &p.description, "{}", name);
        }
        prop_assert_eq!(f.steps.len(), g.steps.len());
        for ((s, want), line) in f.steps.iter().zip(&g.steps).zip(id_lines) {
            prop_assert_eq!(&s.id, &want.id);
            prop_assert_eq!(&s.uses, want.uses);
            prop_assert_eq!(&s.description, want.description.as_deref().unwrap_or(""));
            prop_assert_eq!(&s.needs, &want.needs);
            let with: BTreeMap<String, serde_json::Value> =
                want.with.iter().map(|(k, _, v)| (k.to_string(), v.clone())).collect();
            prop_assert_eq!(&s.with, &with);
            prop_assert_eq!(s.condition.as_ref().map(|(t, _)| t), want.condition.as_ref());
            let retry = want.retry.as_ref().map_or(RetryPolicy::NONE, GenRetry::expected);
            prop_assert_eq!(&s.retry, &retry);
            prop_assert_eq!(s.timeout, want.timeout.as_ref().map(|t| t.value));
            prop_assert_eq!(s.continue_on_failure, want.continue_on_failure.unwrap_or(false));
            prop_assert_eq!(&s.outputs, &want.outputs);
            // Only steps in block style: `Locator::step_line` does not find one written
            // in flow style (`- { id: a, ... }`), whose line is then 1.
            if want.style % 2 == 1 {
                prop_assert_eq!(s.line, line);
            }
        }
        // The plan: every step once, its needs (sorted) in earlier waves.
        let p = plan(&f);
        let mut wave_of = BTreeMap::new();
        for (i, w) in p.waves.iter().enumerate() {
            for s in w {
                prop_assert!(wave_of.insert(s.id.clone(), i).is_none(), "{} twice", s.id);
            }
        }
        prop_assert_eq!(wave_of.len(), g.steps.len());
        for s in p.waves.iter().flatten() {
            let want = g.steps.iter().find(|w| w.id == s.id).unwrap();
            let mut needs = want.needs.clone();
            needs.sort();
            prop_assert_eq!(&s.needs, &needs);
            prop_assert_eq!(s.condition.as_ref(), want.condition.as_ref());
            for n in &s.needs {
                prop_assert!(wave_of[n] < wave_of[&s.id], "{} before {}", n, s.id);
            }
        }
    }

    /// Loading a template with random edits never panics: it loads, or it returns
    /// problems that each name the file, a line and a column.
    #[test]
    fn a_mutated_template_loads_or_says_why(
        g in flow(),
        edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..5),
    ) {
        let text = mutate(&render(&g).0, &edits);
        match load(&text, "mut.yaml") {
            Ok(f) => {
                prop_assert!(!f.steps.is_empty());
                let planned: usize = plan(&f).waves.iter().map(Vec::len).sum();
                prop_assert_eq!(planned, f.steps.len());
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                for p in &problems {
                    prop_assert!(p.line >= 1 && p.column >= 1, "{:?}", p);
                    prop_assert!(p.render().starts_with("mut.yaml:"), "{:?}", p);
                }
            }
        }
    }
}
