//! The `maestro.toml` parser (`config::Config::parse`).
//!
//! Invariants, for any text:
//! - an error is at a line of the file (or just past its end) and a column within that line
//!   (or just past it), and shows as `path:line:column: message`;
//! - positions follow the text: with a comment line put before it, the same outcome, an
//!   error one line further down at the same column with the same message;
//! - a file that parses is valid TOML, and the same TOML written out again (by `toml`, in its
//!   canonical form: tables sorted, strings re-quoted) parses to the same configuration.

use std::path::Path;
use std::sync::OnceLock;

use super::{Features, shape};
use crate::config::{Config, ConfigError};

pub fn config(bytes: &[u8]) -> Features {
    let mut seen = Features::default();
    let text = String::from_utf8_lossy(bytes);
    let parsed = Config::parse(&text, Path::new("fuzz.toml"));
    match &parsed {
        Err(e) => {
            seen.add(&["error", &shape(&error_parts(e).2)]);
            check_position(&text, e);
        }
        Ok(config) => {
            seen.add(&["ok"]);
            for (section, present) in [
                ("platform", text.contains("platform")),
                ("adapters", !config.adapters.is_empty()),
                ("repos", !config.signals.repos.is_empty()),
                ("budgets", !config.perf.budgets.is_empty()),
                ("tenants", !config.cost.tenants.is_empty()),
            ] {
                if present {
                    seen.add(&["section", section]);
                }
            }
        }
    }
    // A comment line first: everything one line down. (A byte order mark belongs at the start.)
    if !text.starts_with('\u{feff}') {
        let shifted = Config::parse(&format!("# fuzz\n{text}"), Path::new("fuzz.toml"));
        match (&parsed, &shifted) {
            (Ok(a), Ok(b)) => assert_eq!(canonical(a), canonical(b), "a comment line changed it"),
            (Err(a), Err(b)) => {
                let (line, column, message) = error_parts(a);
                assert_eq!(
                    error_parts(b),
                    (line + 1, column, message),
                    "a comment line first moved the error elsewhere than a line down"
                );
            }
            _ => panic!("a comment line first changed the outcome: {parsed:?} / {shifted:?}"),
        }
    }
    if let Ok(config) = &parsed {
        match toml::from_str::<toml::Table>(&text) {
            // TOML's integers are i64; serde reads a u64 field (`timeout_ms`) beyond that,
            // which no TOML value can hold to be written out again.
            Err(e) if e.message().contains("too large") => {}
            Err(e) => panic!("a configuration that is not TOML parsed\n{e}"),
            Ok(table) => {
                let written = toml::to_string(&table).expect("a TOML table writes");
                match Config::parse(&written, Path::new("fuzz.toml")) {
                    Ok(again) => assert_eq!(
                        canonical(config),
                        canonical(&again),
                        "written out again, it parses differently:\n{written}"
                    ),
                    Err(e) => panic!("written out again, it does not parse\n{e}\n{written}"),
                }
            }
        }
    }
    seen
}

/// Line, column and message of an error from `Config::parse` (always `Invalid`).
fn error_parts(e: &ConfigError) -> (usize, usize, String) {
    match e {
        ConfigError::Invalid {
            line,
            column,
            message,
            ..
        } => (*line, *column, message.clone()),
        ConfigError::Read { .. } => panic!("parsing text read a file: {e}"),
    }
}

fn check_position(text: &str, e: &ConfigError) {
    let (line, column, message) = error_parts(e);
    assert!(!message.is_empty(), "an error without a message: {e}");
    assert!(
        e.to_string()
            .starts_with(&format!("fuzz.toml:{line}:{column}: ")),
        "{e}"
    );
    // Lines as `line_col` counts them: `\n` ends one (an error may point at a `\r`).
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        line >= 1 && line <= lines.len(),
        "line {line} of {}: {e}",
        lines.len()
    );
    let width = lines[line - 1].chars().count();
    assert!(
        column >= 1 && column <= width + 1,
        "column {column} of a line of {width} characters: {e}"
    );
}

/// The configuration as text, without where each value stood in its file (`Spanned`'s
/// span: `Debug` shows it as `span: 3..7, `).
fn canonical(config: &Config) -> String {
    static SPAN: OnceLock<regex::Regex> = OnceLock::new();
    let span = SPAN.get_or_init(|| regex::Regex::new(r"span: \d+\.\.\d+, ").expect("a regex"));
    span.replace_all(&format!("{config:?}"), "").into_owned()
}
