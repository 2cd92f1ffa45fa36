//! The pure part of the engine: dependency order. `plan()` is deterministic (waves of steps,
//! ids sorted within a wave) and is what `flow:run --dry-run` prints.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::template::Flow;

/// Steps grouped in waves: every step's needs are in earlier waves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Plan {
    pub flow: String,
    pub waves: Vec<Vec<PlannedStep>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PlannedStep {
    pub id: String,
    pub uses: String,
    pub needs: Vec<String>,
    #[serde(rename = "if", skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// Waves by longest distance from a root. The flow must be acyclic (validated on load).
pub fn plan(flow: &Flow) -> Plan {
    let mut level: BTreeMap<&str, usize> = BTreeMap::new();
    // Steps in a valid flow are acyclic: repeat relaxation until stable (n passes at most).
    for _ in 0..=flow.steps.len() {
        let mut changed = false;
        for s in &flow.steps {
            let l = s
                .needs
                .iter()
                .map(|n| level.get(n.as_str()).map_or(1, |l| l + 1))
                .max()
                .unwrap_or(0);
            if level.get(s.id.as_str()) != Some(&l) {
                level.insert(&s.id, l);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let depth = level.values().copied().max().map_or(0, |m| m + 1);
    let mut waves: Vec<Vec<PlannedStep>> = vec![Vec::new(); depth];
    for s in &flow.steps {
        let mut needs = s.needs.clone();
        needs.sort();
        waves[level[s.id.as_str()]].push(PlannedStep {
            id: s.id.clone(),
            uses: s.uses.clone(),
            needs,
            condition: s.condition.as_ref().map(|(t, _)| t.clone()),
        });
    }
    for w in &mut waves {
        w.sort_by(|a, b| a.id.cmp(&b.id));
    }
    Plan {
        flow: flow.name.clone(),
        waves,
    }
}

/// The first dependency cycle, in full (`a -> c -> b -> a`), if there is one.
pub fn find_cycle(flow: &Flow) -> Result<(), Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let needs: BTreeMap<&str, Vec<&str>> = flow
        .steps
        .iter()
        .map(|s| (s.id.as_str(), s.needs.iter().map(String::as_str).collect()))
        .collect();
    let mut mark: BTreeMap<&str, Mark> = needs.keys().map(|k| (*k, Mark::New)).collect();
    fn visit<'a>(
        id: &'a str,
        needs: &BTreeMap<&'a str, Vec<&'a str>>,
        mark: &mut BTreeMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        mark.insert(id, Mark::Open);
        stack.push(id);
        for &n in needs.get(id).map(Vec::as_slice).unwrap_or(&[]) {
            match mark.get(n).copied() {
                Some(Mark::Open) => {
                    let start = stack.iter().position(|s| *s == n).unwrap_or(0);
                    let mut cycle: Vec<String> =
                        stack[start..].iter().map(|s| s.to_string()).collect();
                    cycle.push(n.to_string());
                    return Some(cycle);
                }
                Some(Mark::New) => {
                    if let Some(c) = visit(n, needs, mark, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        mark.insert(id, Mark::Done);
        None
    }
    for s in &flow.steps {
        if mark.get(s.id.as_str()) == Some(&Mark::New) {
            let mut stack = Vec::new();
            if let Some(c) = visit(&s.id, &needs, &mut mark, &mut stack) {
                return Err(c);
            }
        }
    }
    Ok(())
}

/// Every step `id` needs, directly or not.
pub fn ancestors<'a>(flow: &'a Flow, id: &str) -> BTreeSet<&'a str> {
    let mut out = BTreeSet::new();
    let mut todo: Vec<&str> = flow
        .step(id)
        .map(|s| s.needs.iter().map(String::as_str).collect())
        .unwrap_or_default();
    while let Some(n) = todo.pop() {
        if let Some(s) = flow.step(n)
            && out.insert(s.id.as_str())
        {
            todo.extend(s.needs.iter().map(String::as_str));
        }
    }
    out
}

/// The graph as text (waves), Graphviz dot or Mermaid.
pub fn render_graph(flow: &Flow, format: &str) -> String {
    let p = plan(flow);
    let mut out = String::new();
    match format {
        "dot" => {
            out.push_str(&format!("digraph \"{}\" {{\n  rankdir=LR;\n", flow.name));
            for w in &p.waves {
                for s in w {
                    out.push_str(&format!(
                        "  \"{}\" [label=\"{}\\n({})\"];\n",
                        s.id, s.id, s.uses
                    ));
                    for n in &s.needs {
                        out.push_str(&format!("  \"{n}\" -> \"{}\";\n", s.id));
                    }
                }
            }
            out.push_str("}\n");
        }
        "mermaid" => {
            out.push_str("flowchart LR\n");
            for w in &p.waves {
                for s in w {
                    let node = s.id.replace('-', "_");
                    out.push_str(&format!("  {node}[\"{} ({})\"]\n", s.id, s.uses));
                    for n in &s.needs {
                        out.push_str(&format!("  {} --> {node}\n", n.replace('-', "_")));
                    }
                }
            }
        }
        _ => {
            for (i, w) in p.waves.iter().enumerate() {
                out.push_str(&format!("wave {}:\n", i + 1));
                for s in w {
                    let needs = if s.needs.is_empty() {
                        String::new()
                    } else {
                        format!(" <- {}", s.needs.join(", "))
                    };
                    let cond = s
                        .condition
                        .as_ref()
                        .map(|c| format!("  if {c}"))
                        .unwrap_or_default();
                    out.push_str(&format!("  {} ({}){needs}{cond}\n", s.id, s.uses));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::template::load;

    #[test]
    fn waves_are_deterministic() {
        let f = load(
            "name: t\nsteps:\n  - {id: d, uses: noop, needs: [b, c]}\n  - {id: c, uses: noop, needs: [a]}\n  - {id: b, uses: noop, needs: [a]}\n  - {id: a, uses: noop}\n  - {id: e, uses: noop}\n",
            "t",
        )
        .unwrap();
        let p = plan(&f);
        let ids: Vec<Vec<&str>> = p
            .waves
            .iter()
            .map(|w| w.iter().map(|s| s.id.as_str()).collect())
            .collect();
        assert_eq!(ids, [vec!["a", "e"], vec!["b", "c"], vec!["d"]]);
        assert_eq!(
            ancestors(&f, "d").into_iter().collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert!(render_graph(&f, "dot").contains("\"b\" -> \"d\";"));
        assert!(render_graph(&f, "mermaid").contains("  c --> d\n"));
    }
}
