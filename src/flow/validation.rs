//! `flow:validate`: a template loaded and planned, nothing run. A template with problems is
//! an answer (its problems, exit 4), not an error.

use std::path::PathBuf;

use serde::Serialize;

use super::template::Problem;
use super::{FlowError, catalog, plan};

/// What `flow:validate` found. A valid flow has `flow`, `origin`, `params`, `steps` and
/// `waves`, and no problems; an invalid one only the `origin` of its first problem, the
/// `problems` and `valid: false`. The fields stand in the order `--output json` has always
/// printed them (alphabetical); those a case lacks are left out.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Validation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    /// `builtin:NAME` or the file path.
    pub origin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Vec<String>>,
    pub problems: Vec<Problem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<usize>,
    pub valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waves: Option<usize>,
}

/// Loads the template `flow` (a name looked up in `dirs` and the built-ins, or a path) and
/// plans it. A template that does not load is `valid: false` with its problems; a template
/// that cannot be found or read is an error.
pub fn validate(flow: &str, dirs: &[PathBuf]) -> Result<Validation, FlowError> {
    match catalog::find(flow, dirs) {
        Ok(f) => Ok(Validation {
            steps: Some(f.steps.len()),
            waves: Some(plan::plan(&f).waves.len()),
            params: Some(f.params.keys().cloned().collect()),
            flow: Some(f.name),
            origin: Some(f.origin),
            problems: Vec::new(),
            valid: true,
        }),
        Err(FlowError::Template(problems)) => Ok(Validation {
            flow: None,
            origin: problems.first().map(|p| p.origin.clone()),
            params: None,
            problems,
            steps: None,
            valid: false,
            waves: None,
        }),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_flow_prints_its_summary_and_no_problems() {
        let v = validate("new-tenant", &[]).unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"flow":"new-tenant","origin":"builtin:new-tenant","params":["admin","id","name","regions","tier"],"problems":[],"steps":2,"valid":true,"waves":2}"#
        );
    }

    #[test]
    fn an_invalid_flow_prints_only_its_origin_and_problems() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kind.yaml");
        std::fs::write(&path, "name: kind\nsteps:\n  - id: a\n    uses: teleport\n").unwrap();
        let v = validate(path.to_str().unwrap(), &[]).unwrap();
        let json = serde_json::to_string(&v).unwrap();
        let expected = format!(
            r#"{{"origin":"{}","problems":[{{"column":5,"line":4,"message":"unknown step kind `teleport` (known: "#,
            path.display()
        );
        assert!(json.starts_with(&expected), "{json}");
        assert!(json.ends_with(r#")"}],"valid":false}"#), "{json}");
    }

    #[test]
    fn a_missing_flow_is_an_error() {
        assert!(matches!(
            validate("nope", &[]),
            Err(FlowError::NotFound { .. })
        ));
    }
}
