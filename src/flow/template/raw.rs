//! The template as written: the YAML shape (unknown keys refused), and a [`Locator`] that
//! finds the line and column of a part of it, for problems that point at the source.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{ParamSpec, Problem};

/// The template as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTemplate {
    pub(super) name: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) params: BTreeMap<String, ParamSpec>,
    pub(super) steps: Vec<RawStep>,
}

/// A step as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    pub(super) id: String,
    pub(super) uses: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) needs: Vec<String>,
    #[serde(default)]
    pub(super) with: BTreeMap<String, yaml_serde::Value>,
    #[serde(rename = "if", default)]
    pub(super) condition: Option<String>,
    #[serde(default)]
    pub(super) retry: Option<RawRetry>,
    #[serde(default)]
    pub(super) timeout: Option<String>,
    #[serde(default)]
    pub(super) continue_on_failure: bool,
    #[serde(default)]
    pub(super) outputs: Vec<String>,
}

/// `retry:` as written; its durations are parsed by validation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRetry {
    pub(super) max: u32,
    #[serde(default)]
    pub(super) backoff: RawBackoff,
    #[serde(default)]
    pub(super) on: Vec<i32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBackoff {
    #[serde(default = "default_initial")]
    pub(super) initial: String,
    #[serde(default = "default_factor")]
    pub(super) factor: f64,
    #[serde(default = "default_max")]
    pub(super) max: String,
}

impl Default for RawBackoff {
    fn default() -> Self {
        RawBackoff {
            initial: default_initial(),
            factor: default_factor(),
            max: default_max(),
        }
    }
}

fn default_initial() -> String {
    "1s".into()
}
fn default_factor() -> f64 {
    2.0
}
fn default_max() -> String {
    "100s".into()
}

/// The lines of a template, to point a problem at its source.
/// The lines of `text` as YAML counts them (YAML 1.1, as libyaml reads it): a line ends at
/// LF, CRLF, a lone CR, NEL (U+0085), LS (U+2028) or PS (U+2029). `str::lines` knows only LF
/// and CRLF, and a YAML error's line would then point at another line than its caret's.
pub(crate) fn yaml_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        lines.push(&rest[..at]);
        let width = if rest[at..].starts_with("\r\n") {
            2
        } else {
            rest[at..].chars().next().map_or(1, char::len_utf8)
        };
        rest = &rest[at + width..];
    }
    // As `str::lines`: a last line without its break counts, an empty one does not.
    if !rest.is_empty() {
        lines.push(rest);
    }
    lines
}

pub(super) struct Locator<'a> {
    pub(super) origin: &'a str,
    pub(super) lines: Vec<&'a str>,
}

impl<'a> Locator<'a> {
    pub(super) fn new(origin: &'a str, text: &'a str) -> Self {
        Locator {
            origin,
            lines: yaml_lines(text),
        }
    }

    /// Parses the template as written; invalid YAML is one problem at its line and column.
    pub(super) fn parse(&self, text: &str) -> Result<RawTemplate, Vec<Problem>> {
        yaml_serde::from_str(text).map_err(|e| {
            let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            vec![self.at(line, col, format!("invalid YAML: {msg}"))]
        })
    }

    /// A problem at `line` and `column` (1-based), with the source line for its caret.
    pub(super) fn at(&self, line: usize, column: usize, message: String) -> Problem {
        Problem {
            origin: self.origin.to_string(),
            line,
            column,
            message,
            source_line: self.lines.get(line.wrapping_sub(1)).map(|l| l.to_string()),
        }
    }

    /// The line of `id: <id>` of a step (1-based), or 1.
    pub(super) fn step_line(&self, id: &str) -> usize {
        self.lines
            .iter()
            .position(|l| {
                let t = l.trim_start().trim_start_matches('-').trim_start();
                t.strip_prefix("id:").is_some_and(|v| {
                    let v = v.split(" #").next().unwrap_or("").trim();
                    v.trim_matches(|c| c == '"' || c == '\'') == id
                })
            })
            .map_or(1, |i| i + 1)
    }

    /// The line and column of `key:` inside the step starting at `step_line`.
    fn key_in_step(&self, step_line: usize, key: &str) -> (usize, usize) {
        let indent = |l: &str| l.len() - l.trim_start_matches([' ', '-']).len();
        let start = step_line.saturating_sub(1);
        let base = self.lines.get(start).map_or(0, |l| indent(l));
        for (i, l) in self.lines.iter().enumerate().skip(start) {
            if i > start && l.trim_start().starts_with('-') && indent(l) <= base {
                break;
            }
            let t = l.trim_start_matches([' ', '-']);
            if t.starts_with(&format!("{key}:")) {
                return (i + 1, l.len() - t.len() + 1);
            }
        }
        (step_line, 1)
    }

    /// A problem at `key:` of step `id`.
    pub(super) fn in_step(&self, id: &str, key: &str, message: String) -> Problem {
        let (line, col) = self.key_in_step(self.step_line(id), key);
        self.at(line, col, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_where_yaml_ends_them() {
        assert_eq!(
            yaml_lines("a\nb\r\nc\rd\u{85}e\u{2028}f\u{2029}g"),
            ["a", "b", "c", "d", "e", "f", "g"]
        );
        assert_eq!(yaml_lines("a\n\nb\n"), ["a", "", "b"]);
        assert!(yaml_lines("").is_empty());
        // A lone CR ends a line: the error on the second line shows that line.
        let problem = Locator::new("t.yaml", "name: t\rsteps: ]\r")
            .parse("name: t\rsteps: ]\r")
            .unwrap_err()
            .remove(0);
        let shown = yaml_lines("name: t\rsteps: ]\r");
        assert_eq!(
            problem.source_line.as_deref(),
            shown.get(problem.line - 1).copied()
        );
        assert_eq!(
            (problem.line, problem.source_line.as_deref()),
            (2, Some("steps: ]"))
        );
    }
}
