//! The module graph of `src/` points down (DESIGN.md §2, the map in `src/lib.rs`): this test
//! reads every source file and fails on an import that points up, on a cycle between domain
//! modules, and on a front-end crate or a print below `cli/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where a top-level module of `src/` sits, bottom first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// `model/`: the leaf.
    Model,
    /// `store/` and `config/`: state and settings, over the model only.
    Base,
    /// `audit`, `outbox/`, `policy/` (the kernel), `authz/`, `adapters/`, `context`: what every
    /// domain module uses.
    Service,
    /// `tenant/`, `flow/`, `policy/`, ...: the domain; may use each other without a cycle.
    Domain,
    /// `cli/` (and, next, `console/`): parse or route, call one function, render.
    Front,
}

/// The layer of each top-level module, and for the lower ones exactly what they may import.
/// A module missing here fails the test: a new module says where it sits.
fn rules() -> BTreeMap<&'static str, (Layer, Option<&'static [&'static str]>)> {
    use Layer::*;
    let mut r = BTreeMap::new();
    r.insert("model", (Model, Some(&[][..])));
    r.insert("store", (Base, Some(&["model"][..])));
    r.insert("config", (Base, Some(&["model"][..])));
    r.insert("audit", (Service, Some(&["model", "store", "outbox"][..])));
    r.insert("outbox", (Service, Some(&["model", "store", "config"][..])));
    r.insert(
        "policy",
        (Service, Some(&["model", "store", "config", "audit"][..])),
    );
    r.insert(
        "authz",
        (
            Service,
            Some(&["model", "store", "config", "audit", "policy", "context"][..]),
        ),
    );
    r.insert(
        "adapters",
        (Service, Some(&["model", "outbox", "config"][..])),
    );
    r.insert(
        "context",
        (Service, Some(&["model", "store", "config", "policy"][..])),
    );
    for domain in [
        "tenant",
        "flow",
        "governance",
        "cost",
        "perf",
        "input",
        "ingest",
        "signals",
        "pack",
        "trial",
        "metrics",
        "dashboards",
        "intelgraph",
        "markup",
        "status",
        "ops",
    ] {
        r.insert(domain, (Domain, None));
    }
    r.insert("cli", (Front, None));
    r.insert("console", (Front, None));
    // The fuzz targets (feature `fuzzing`): drive the parsers of every layer.
    r.insert("fuzzing", (Front, None));
    r
}

/// Crates only the front ends may use: a domain function returns values, the CLI renders.
const FRONT_END_CRATES: &[&str] = &["clap", "clap_complete", "indicatif", "comfy_table"];

/// What printing looks like in source; below the front ends nothing prints.
const PRINTS: &[&str] = &[
    "println!",
    "eprintln!",
    "print!(",
    "eprint!(",
    "io::stdout()",
    "io::stderr()",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments (line comments, doc comments, block comments) and without
/// string literals' contents, so prose naming a module is not an import.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            i += end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |e| e + 2);
            i += end;
        } else if let Some(raw) = rest.strip_prefix("r#\"") {
            let end = raw.find("\"#").map_or(rest.len(), |e| e + 5);
            out.push_str("\"\"");
            i += end;
        } else if bytes[i] == b'"' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i = j + 1;
        } else if rest.starts_with("'\"'") {
            i += 3;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The top-level modules a file's code names: `crate::x`, and `x` inside `use crate::{x, ..}`.
fn imports(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find(';').unwrap_or(group.len());
            let mut depth = 0;
            let mut item = String::new();
            for c in group[..end].chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth > 0 => depth -= 1,
                    ',' | '}' if depth == 0 => {
                        if let Some(name) = item.trim().split("::").next() {
                            found.insert(name.to_string());
                        }
                        item.clear();
                    }
                    _ if depth == 0 => item.push(c),
                    _ => {}
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
        rest = after;
    }
    found.remove("");
    found
}

/// The graph of `src/`: for each top-level module, the modules it imports and from which files.
fn graph(src: &Path) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        let rel = file
            .strip_prefix(src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        let entry = graph.entry(top.clone()).or_default();
        for import in imports(&code) {
            if import != top {
                entry.entry(import).or_default().insert(rel.clone());
            }
        }
        for krate in FRONT_END_CRATES {
            if code.contains(&format!("{krate}::")) {
                entry
                    .entry(format!("crate `{krate}`"))
                    .or_default()
                    .insert(rel.clone());
            }
        }
        for print in PRINTS {
            if code.contains(print) {
                entry
                    .entry(format!("`{print}`"))
                    .or_default()
                    .insert(rel.clone());
            }
        }
    }
    graph
}

/// Every rule the graph breaks, one line each.
fn violations(graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>) -> Vec<String> {
    let rules = rules();
    let mut found = Vec::new();
    for (module, imports) in graph {
        let Some(&(layer, allowed)) = rules.get(module.as_str()) else {
            found.push(format!(
                "src/{module}: not in the layer rules of tests/it/layers.rs: say where it sits"
            ));
            continue;
        };
        for (import, files) in imports {
            let files = files.iter().cloned().collect::<Vec<_>>().join(", ");
            let non_module = import.starts_with("crate `") || import.starts_with('`');
            if non_module {
                if layer < Layer::Front {
                    found.push(format!("{module} uses {import} below cli/ ({files})"));
                }
                continue;
            }
            let ok = match (allowed, rules.get(import.as_str())) {
                (_, None) => true, // not a module of ours (a macro, `crate::` alone)
                (Some(allowed), Some(_)) => allowed.contains(&import.as_str()),
                (None, Some(&(to, _))) => to <= layer,
            };
            if !ok {
                found.push(format!(
                    "{module} imports {import}, which it may not ({files})"
                ));
            }
        }
    }
    // Domain modules may use each other, as long as no two end up depending on each other.
    let domain: BTreeSet<&str> = rules
        .iter()
        .filter(|(_, (l, _))| *l == Layer::Domain)
        .map(|(m, _)| *m)
        .collect();
    let edges = |m: &str| -> Vec<String> {
        graph
            .get(m)
            .map(|i| {
                i.keys()
                    .filter(|k| domain.contains(k.as_str()))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut seen_cycles = BTreeSet::new();
    for start in &domain {
        // Depth-first from each module; a path back to `start` is a cycle.
        let mut stack = vec![(start.to_string(), vec![start.to_string()])];
        let mut visited = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in edges(&node) {
                if next == *start {
                    let mut cycle = path.clone();
                    cycle.push(next.clone());
                    let mut key = path.clone();
                    key.sort();
                    if seen_cycles.insert(key) {
                        found.push(format!("domain cycle: {}", cycle.join(" -> ")));
                    }
                } else if visited.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next, longer));
                }
            }
        }
    }
    found
}

#[test]
fn imports_only_point_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&graph(&src));
    assert!(
        found.is_empty(),
        "the module graph breaks its layering (src/lib.rs has the map):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_check_sees_an_upward_import_a_cycle_and_a_print() {
    let code = code_of(
        "use crate::tenant::Tenant; // crate::cost in a comment\n\
         use crate::{config::Config, model::{ids::TenantId, Money}};\n\
         let s = \"crate::pack in a string\"; println!(\"{s}\");",
    );
    assert_eq!(
        imports(&code).into_iter().collect::<Vec<_>>(),
        ["config", "model", "tenant"]
    );
    let file = |f: &str| BTreeSet::from([f.to_string()]);
    let mut g: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    g.entry("store".into())
        .or_default()
        .insert("tenant".into(), file("store/tenants.rs"));
    g.entry("tenant".into())
        .or_default()
        .insert("flow".into(), file("tenant/create.rs"));
    g.entry("flow".into())
        .or_default()
        .insert("tenant".into(), file("flow/run.rs"));
    g.entry("cost".into())
        .or_default()
        .insert("`println!`".into(), file("cost/report.rs"));
    let found = violations(&g);
    assert_eq!(
        found,
        [
            "cost uses `println!` below cli/ (cost/report.rs)",
            "store imports tenant, which it may not (store/tenants.rs)",
            "domain cycle: flow -> tenant -> flow",
        ]
    );
}
