//! Aurelius v1: what kind of change a commit is (its conventional-commit type), whether it is an
//! innovation (configurable keyword rules), and whether its author is a bot.

use regex::{Regex, RegexSet, RegexSetBuilder};

use crate::config::SignalsConfig;

/// The conventional-commit types counted as themselves; anything else is `other`.
pub const KINDS: &[&str] = &[
    "feat", "fix", "perf", "refactor", "docs", "test", "build", "ci", "chore", "style", "revert",
];

#[derive(Debug, Clone)]
pub struct Classifier {
    bots: RegexSet,
    innovation: RegexSet,
    conventional: Regex,
}

impl Classifier {
    /// Builds the classifier from `[signals]`; the patterns were validated with the config.
    pub fn new(config: &SignalsConfig) -> Result<Classifier, regex::Error> {
        let set = |patterns: &[toml::Spanned<String>]| {
            RegexSetBuilder::new(patterns.iter().map(|p| p.get_ref()))
                .case_insensitive(true)
                .build()
        };
        Ok(Classifier {
            bots: set(&config.bots)?,
            innovation: set(&config.innovation)?,
            conventional: Regex::new(r"^([A-Za-z]+)(?:\([^)]*\))?!?: ")?,
        })
    }

    pub fn is_bot(&self, name: &str, email: &str) -> bool {
        self.bots.is_match(&format!("{name} <{email}>"))
    }

    /// The conventional-commit type of `subject` (lower case), or `other`.
    pub fn kind(&self, subject: &str) -> &'static str {
        if subject.starts_with("Revert \"") {
            return "revert";
        }
        let Some(found) = self.conventional.captures(subject) else {
            return "other";
        };
        let word = found[1].to_ascii_lowercase();
        let word = if word == "tests" { "test".into() } else { word };
        KINDS
            .iter()
            .find(|k| **k == word)
            .copied()
            .unwrap_or("other")
    }

    pub fn is_innovation(&self, subject: &str, body: &str) -> bool {
        self.innovation.is_match(subject) || self.innovation.is_match(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classifier() -> Classifier {
        Classifier::new(&SignalsConfig::default()).unwrap()
    }

    #[test]
    fn conventional_types() {
        let c = classifier();
        assert_eq!(c.kind("feat: add tenants"), "feat");
        assert_eq!(c.kind("fix(flow)!: retry once"), "fix");
        assert_eq!(c.kind("Perf: faster walk"), "perf");
        assert_eq!(c.kind("tests: more"), "test");
        assert_eq!(c.kind("Revert \"feat: x\""), "revert");
        assert_eq!(c.kind("feature: not a type"), "other");
        assert_eq!(c.kind("Update README"), "other");
        assert_eq!(c.kind("feat:no space"), "other");
    }

    #[test]
    fn bots_and_innovation() {
        let c = classifier();
        assert!(c.is_bot(
            "dependabot[bot]",
            "49699333+dependabot[bot]@users.noreply.github.com"
        ));
        assert!(c.is_bot("Renovate Bot", "bot@renovateapp.com"));
        assert!(!c.is_bot("Ada Lovelace", "ada@example.com"));
        assert!(c.is_innovation("feat: a novel cache", ""));
        assert!(c.is_innovation("feat: cache", "Uses a new algorithm for eviction."));
        assert!(!c.is_innovation("fix: typo", "nothing new"));
    }
}
