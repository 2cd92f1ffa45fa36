//! `policy:test`: runs every `test_*` rule of a bundle; `todo_test_*` rules are skipped.

use serde::Serialize;

use super::{Bundle, Governance, PolicyError};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TestResult {
    pub module: String,
    pub line: usize,
    pub name: String,
    /// `pass`, `fail`, `skip`
    pub outcome: &'static str,
    /// Why it failed: the rule was false or undefined, or evaluation failed.
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TestReport {
    pub bundle: String,
    pub bundle_sha256: String,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub results: Vec<TestResult>,
}

pub fn run(bundle: Bundle) -> Result<TestReport, PolicyError> {
    let (origin, sha) = (bundle.origin.clone(), bundle.sha256.clone());
    let mut gov = Governance::with_tests(bundle)?;
    let mut results = Vec::new();
    for t in gov.tests()? {
        let (outcome, detail) = if t.skipped {
            ("skip", None)
        } else {
            match gov.eval(&t.query, &serde_json::Value::Null) {
                Ok(Some(serde_json::Value::Bool(true))) => ("pass", None),
                Ok(Some(other)) => ("fail", Some(format!("evaluated to {other}"))),
                Ok(None) => (
                    "fail",
                    Some("undefined (a condition in the test does not hold)".into()),
                ),
                Err(e) => ("fail", Some(e.to_string())),
            }
        };
        results.push(TestResult {
            module: t.module,
            line: t.line,
            name: t.name,
            outcome,
            detail,
        });
    }
    let count = |o: &str| results.iter().filter(|r| r.outcome == o).count();
    Ok(TestReport {
        bundle: origin,
        bundle_sha256: sha,
        passed: count("pass"),
        failed: count("fail"),
        skipped: count("skip"),
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_policies_pass_their_tests() {
        let report = run(Bundle::builtin().unwrap()).unwrap();
        let failed: Vec<_> = report
            .results
            .iter()
            .filter(|r| r.outcome == "fail")
            .collect();
        assert!(failed.is_empty(), "{failed:#?}");
        assert!(report.passed >= 25, "{}", report.passed);
        assert_eq!(report.skipped, 1);
    }
}
