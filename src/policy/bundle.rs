//! The Rego bundle: the policy modules and `data.json` shipped in `policies/` (compiled into
//! the binary) or read from `[policy] dir`, with the sha256 that names them in every logged
//! decision; and, with the `opa-wasm` feature, an OPA-built wasm bundle.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::PolicyError;
use crate::config::Config;
use crate::model::audit::hex;

/// Policy modules and data, as loaded, with the hash that identifies them.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// `(file name, text)`, sorted by name; shared, so that a clone (the built-in bundle is
    /// cloned for every question a process asks) copies no policy text.
    pub files: Arc<[(String, String)]>,
    /// `data.json` of the bundle (stewards, exceptions, mission).
    pub data: Value,
    /// Its text, as read.
    pub data_text: Option<String>,
    /// sha256 over the sorted files: `name NUL text NUL` each, data.json included.
    pub sha256: String,
    /// `builtin` or the directory.
    pub origin: String,
}

const BUILTIN: &[(&str, &str)] = &[
    ("abac.rego", include_str!("../../policies/abac.rego")),
    (
        "abac_test.rego",
        include_str!("../../policies/abac_test.rego"),
    ),
    (
        "mission_lock.rego",
        include_str!("../../policies/mission_lock.rego"),
    ),
    (
        "mission_lock_test.rego",
        include_str!("../../policies/mission_lock_test.rego"),
    ),
    (
        "residency.rego",
        include_str!("../../policies/residency.rego"),
    ),
    (
        "residency_test.rego",
        include_str!("../../policies/residency_test.rego"),
    ),
    (
        "tenant_isolation.rego",
        include_str!("../../policies/tenant_isolation.rego"),
    ),
    (
        "tenant_isolation_test.rego",
        include_str!("../../policies/tenant_isolation_test.rego"),
    ),
];

const BUILTIN_DATA: &str = include_str!("../../policies/data.json");

impl Bundle {
    /// The policies shipped in `policies/`, compiled into the binary. Hashed once per process
    /// (authorization and the command's own policy question both load it).
    pub fn builtin() -> Result<Bundle, PolicyError> {
        static HASHED: OnceLock<Bundle> = OnceLock::new();
        if let Some(bundle) = HASHED.get() {
            return Ok(bundle.clone());
        }
        let files = BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let bundle = Bundle::new(files, Some(BUILTIN_DATA.to_string()), "builtin".into())?;
        Ok(HASHED.get_or_init(|| bundle).clone())
    }

    /// `[policy] dir` when set, else the built-in bundle.
    pub fn for_config(config: &Config) -> Result<Bundle, PolicyError> {
        match &config.policy.dir {
            Some(dir) => Bundle::load_dir(dir),
            None => Bundle::builtin(),
        }
    }

    /// Every `*.rego` of `dir` (not recursive) and its `data.json` if any.
    pub fn load_dir(dir: &Path) -> Result<Bundle, PolicyError> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|source| PolicyError::Read {
                path: p.to_path_buf(),
                source,
            })
        };
        let entries = std::fs::read_dir(dir).map_err(|source| PolicyError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut files = Vec::new();
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "rego") {
                files.push((e.file_name().to_string_lossy().into_owned(), read(&p)?));
            }
        }
        if files.is_empty() {
            return Err(PolicyError::Empty(dir.to_path_buf()));
        }
        let data_path = dir.join("data.json");
        let data = if data_path.is_file() {
            Some(read(&data_path)?)
        } else {
            None
        };
        Bundle::new(files, data, dir.display().to_string())
    }

    fn new(
        mut files: Vec<(String, String)>,
        data: Option<String>,
        origin: String,
    ) -> Result<Bundle, PolicyError> {
        files.sort();
        let mut h = Sha256::new();
        for (name, text) in &files {
            h.update(name.as_bytes());
            h.update([0]);
            h.update(text.as_bytes());
            h.update([0]);
        }
        if let Some(d) = &data {
            h.update(b"data.json\0");
            h.update(d.as_bytes());
            h.update([0]);
        }
        let data_text = data;
        let data = match &data_text {
            Some(d) => serde_json::from_str(d)
                .map_err(|e| PolicyError::Data(format!("data.json of `{origin}`: {e}")))?,
            None => json!({}),
        };
        Ok(Bundle {
            files: files.into(),
            data,
            data_text,
            sha256: hex(&h.finalize()),
            origin,
        })
    }

    /// Writes the bundle's files (tests and `data.json` included) into `dir`, which is
    /// created if need be; refuses before writing anything when one of them exists there.
    /// The copy has the same sha256.
    pub fn write_to(&self, dir: &Path) -> Result<Vec<PathBuf>, PolicyError> {
        let mut files: Vec<(&str, &str)> = self
            .files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        if let Some(d) = &self.data_text {
            files.push(("data.json", d));
        }
        let write_error = |path: &Path, source| PolicyError::Write {
            path: path.to_path_buf(),
            source,
        };
        if let Some((name, _)) = files.iter().find(|(n, _)| dir.join(n).exists()) {
            return Err(PolicyError::Input(format!(
                "`{}` exists: write the bundle into a new or empty directory",
                dir.join(name).display()
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        let mut written = Vec::new();
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| write_error(&path, e))?;
            written.push(path);
        }
        Ok(written)
    }

    /// The non-test modules, for packs and drift reports.
    pub fn policies(&self) -> impl Iterator<Item = &(String, String)> {
        self.files
            .iter()
            .filter(|(n, _)| !n.ends_with("_test.rego"))
    }
}

/// An OPA-built bundle: a bare `policy.wasm`, or a `bundle.tar.gz` holding `/policy.wasm`
/// and optionally `/data.json` (read with tar and flate2, never extracted).
#[cfg(feature = "opa-wasm")]
#[derive(Debug, Clone)]
pub struct WasmBundle {
    pub wasm: Vec<u8>,
    pub data: Value,
    /// sha256 of the file as given: the bundle hash of its decisions.
    pub sha256: String,
}

#[cfg(feature = "opa-wasm")]
impl WasmBundle {
    pub fn read(path: &Path) -> Result<WasmBundle, PolicyError> {
        use std::io::Read;
        let bytes = std::fs::read(path).map_err(|source| PolicyError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let sha256 = hex(&Sha256::digest(&bytes));
        let shown = path.display();
        if bytes.starts_with(b"\0asm") {
            return Ok(WasmBundle {
                wasm: bytes,
                data: json!({}),
                sha256,
            });
        }
        if !bytes.starts_with(&[0x1f, 0x8b]) {
            return Err(PolicyError::Input(format!(
                "`{shown}` is neither a policy.wasm nor an OPA bundle (.tar.gz): build one with `opa build -t wasm -e maestro/residency/decision policies/`"
            )));
        }
        let bad = |e: std::io::Error| {
            PolicyError::Input(format!("`{shown}` is not a readable bundle: {e}"))
        };
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let (mut wasm, mut data) = (None, None);
        for entry in archive.entries().map_err(bad)? {
            let mut entry = entry.map_err(bad)?;
            let name = entry.path().map_err(bad)?.to_string_lossy().into_owned();
            let name = name
                .trim_start_matches("./")
                .trim_start_matches('/')
                .to_string();
            let slot = match name.as_str() {
                "policy.wasm" => &mut wasm,
                "data.json" => &mut data,
                _ => continue,
            };
            let mut content = Vec::new();
            entry.read_to_end(&mut content).map_err(bad)?;
            *slot = Some(content);
        }
        let wasm = wasm.ok_or_else(|| {
            PolicyError::Input(format!(
                "`{shown}` has no /policy.wasm: is it a wasm bundle (`opa build -t wasm`)?"
            ))
        })?;
        let data = match data {
            Some(d) => serde_json::from_slice(&d)
                .map_err(|e| PolicyError::Data(format!("/data.json of `{shown}`: {e}")))?,
            None => json!({}),
        };
        Ok(WasmBundle { wasm, data, sha256 })
    }
}
