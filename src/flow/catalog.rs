//! Where flow templates come from: the built-in ones (`templates/flows/*.yaml`, compiled in)
//! and any `--templates DIR`, whose files override built-ins of the same name.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::FlowError;
use super::template::{self, Flow};

const BUILTIN: &[(&str, &str)] = &[
    ("deploy", include_str!("../../templates/flows/deploy.yaml")),
    (
        "feature-lifecycle",
        include_str!("../../templates/flows/feature-lifecycle.yaml"),
    ),
    (
        "new-tenant",
        include_str!("../../templates/flows/new-tenant.yaml"),
    ),
    (
        "teardown-tenant",
        include_str!("../../templates/flows/teardown-tenant.yaml"),
    ),
];

/// One template as `flow:list` shows it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Entry {
    pub name: String,
    pub origin: String,
    pub description: String,
    pub steps: usize,
    /// Problems found validating it (0: valid).
    pub problems: usize,
}

pub fn builtin(name: &str) -> Result<Flow, FlowError> {
    let (_, text) =
        BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| FlowError::NotFound {
                name: name.into(),
                searched: "built-in templates".into(),
            })?;
    template::load(text, &format!("builtin:{name}")).map_err(FlowError::Template)
}

/// A template by path (anything with `/` or ending in `.yaml`/`.yml`) or by name.
pub fn find(name_or_path: &str, dirs: &[PathBuf]) -> Result<Flow, FlowError> {
    let looks_like_path = name_or_path.contains('/')
        || name_or_path.ends_with(".yaml")
        || name_or_path.ends_with(".yml");
    if looks_like_path {
        return load_file(Path::new(name_or_path));
    }
    for dir in dirs {
        for ext in ["yaml", "yml"] {
            let p = dir.join(format!("{name_or_path}.{ext}"));
            if p.is_file() {
                return load_file(&p);
            }
        }
    }
    if BUILTIN.iter().any(|(n, _)| *n == name_or_path) {
        return builtin(name_or_path);
    }
    let mut searched: Vec<String> = dirs.iter().map(|d| format!("`{}`", d.display())).collect();
    searched.push("built-in templates".into());
    Err(FlowError::NotFound {
        name: name_or_path.to_string(),
        searched: searched.join(", "),
    })
}

/// The largest flow template read: the built-ins are a few KiB, and a template is stored
/// with every run of it.
pub const MAX_TEMPLATE: u64 = 1 << 20;

/// Reads a template's text, refusing one larger than [`MAX_TEMPLATE`] before reading it
/// (however the file reports its size: at most one byte more is read).
fn read_template(path: &Path) -> Result<String, FlowError> {
    use std::io::Read;
    let err = |source| FlowError::Read {
        path: path.display().to_string(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_TEMPLATE + 1).read_to_end(&mut bytes))
        .map_err(err)?;
    if bytes.len() as u64 > MAX_TEMPLATE {
        return Err(err(std::io::Error::other(format!(
            "larger than a flow template may be ({} KiB)",
            MAX_TEMPLATE / 1024
        ))));
    }
    String::from_utf8(bytes).map_err(|_| err(std::io::Error::other("not UTF-8 text")))
}

pub fn load_file(path: &Path) -> Result<Flow, FlowError> {
    let text = read_template(path)?;
    template::load(&text, &path.display().to_string()).map_err(FlowError::Template)
}

/// Every template: built-ins, then each directory's `*.yaml`/`*.yml` (overriding by name).
pub fn list(dirs: &[PathBuf]) -> Result<Vec<Entry>, FlowError> {
    let mut out: Vec<Entry> = BUILTIN
        .iter()
        .map(|(n, text)| entry(n, text, &format!("builtin:{n}")))
        .collect();
    for dir in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|source| FlowError::Read {
                path: dir.display().to_string(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .collect();
        files.sort();
        for p in files {
            let text = read_template(&p)?;
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let e = entry(&stem, &text, &p.display().to_string());
            out.retain(|x| x.name != e.name);
            out.push(e);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn entry(file_name: &str, text: &str, origin: &str) -> Entry {
    match template::load(text, origin) {
        Ok(f) => Entry {
            name: f.name,
            origin: origin.into(),
            description: f.description,
            steps: f.steps.len(),
            problems: 0,
        },
        Err(p) => Entry {
            name: file_name.into(),
            origin: origin.into(),
            description: String::new(),
            steps: 0,
            problems: p.len(),
        },
    }
}
