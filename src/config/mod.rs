//! `maestro.toml`: found via `--config`, `MAESTRO_CONFIG`, `./maestro.toml`, then the XDG
//! config dir; without any file, built-in defaults. Unknown keys and wrong types are errors
//! that name the key, the file and the line.
//!
//! - `sections.rs`: the serde types of each section, with their defaults;
//! - `validate.rs`: the checks of values serde cannot make;
//! - here: finding, reading and parsing the file, errors at its line and column.

mod sections;
mod validate;

pub use sections::{
    AdapterConfig, AdapterKind, Branding, Budget, Cluster, CostConfig, EngineKind, Neo4jApi,
    PerfConfig, Phase, Platform, PolicyConfig, SignalsConfig, SignalsRepo,
};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::Diagnostic;
use crate::model::ids::RegionId;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Diagnostic for ConfigError {
    fn help(&self) -> Option<String> {
        match self {
            ConfigError::Read { .. } => Some(
                "pass an existing file with `--config PATH`, or unset MAESTRO_CONFIG to use the defaults"
                    .into(),
            ),
            ConfigError::Invalid { .. } => Some(
                "fix the file; the sections and keys are listed in docs/configuration.md"
                    .into(),
            ),
        }
    }
}

/// The whole configuration, validated.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub platform: Platform,
    #[serde(default)]
    pub branding: Branding,
    #[serde(default)]
    pub policy: PolicyConfig,
    #[serde(default)]
    pub signals: SignalsConfig,
    #[serde(default)]
    pub cost: CostConfig,
    #[serde(default)]
    pub perf: PerfConfig,
    /// Remote backends that `sync` delivers the outbox to.
    #[serde(default)]
    pub adapters: Vec<AdapterConfig>,
    /// The file this came from; `None` for built-in defaults.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// A `--budgets FILE`: `[budgets.<service>]` tables as in `[perf.budgets]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetsFile {
    pub budgets: BTreeMap<String, Budget>,
}

impl BudgetsFile {
    pub fn load(path: &Path) -> Result<BudgetsFile, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| {
            let (line, column) = line_col(&text, e.span().map_or(0, |s| s.start));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })
    }
}

impl Config {
    /// Finds and loads the configuration. `explicit` is `--config`/`MAESTRO_CONFIG`: it must
    /// exist. Otherwise `./maestro.toml`, then `<xdg config>/maestro/maestro.toml`, then defaults.
    pub fn discover(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        if let Some(path) = explicit {
            return Config::load(path);
        }
        let mut candidates = vec![PathBuf::from("maestro.toml")];
        if let Some(dirs) = directories::BaseDirs::new() {
            candidates.push(dirs.config_dir().join("maestro").join("maestro.toml"));
        }
        match candidates.into_iter().find(|p| p.is_file()) {
            Some(path) => Config::load(&path),
            None => Ok(Config::default()),
        }
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parses and validates `text`; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let invalid = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = line_col(text, span.map_or(0, |s| s.start));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let mut config: Config =
            toml::from_str(text).map_err(|e| invalid(e.span(), e.message().trim().to_string()))?;
        config.source = Some(path.to_path_buf());
        validate::validate(&config, invalid)?;
        Ok(config)
    }

    /// Whether `id` is in the region catalogue.
    pub fn has_region(&self, id: &RegionId) -> bool {
        self.platform.regions.contains_key(id.as_str())
    }

    /// The catalogue's ids, comma-separated, for messages.
    pub fn region_list(&self) -> String {
        self.platform
            .regions
            .keys()
            .map(|k| k.get_ref().as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("maestro.toml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        let config = parse("").unwrap();
        assert!(config.has_region(&RegionId::parse("eu-west-1").unwrap()));
        assert_eq!(config.branding.product_name, "CompanyOS");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = parse("[platform]\nname = \"x\"\nregoins = {}\n").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("maestro.toml:3:1: unknown field `regoins`"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_type_names_line() {
        let err = parse("[platform]\nname = 3\n").unwrap_err().to_string();
        assert!(err.starts_with("maestro.toml:2:8: "), "{err}");
    }
}
