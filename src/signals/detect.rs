//! Detection rules (`templates/detections/*.yaml`, a small Sigma-like format documented in
//! that folder's README): loading, validation, and matching one parsed log line.

use std::collections::HashMap;

use regex::Regex;
use serde::Deserialize;

use super::SignalsError;

/// The rules compiled into the binary.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "templates/detections/root-login.yaml",
        include_str!("../../templates/detections/root-login.yaml"),
    ),
    (
        "templates/detections/root-login-failed.yaml",
        include_str!("../../templates/detections/root-login-failed.yaml"),
    ),
    (
        "templates/detections/ssh-auth-failed.yaml",
        include_str!("../../templates/detections/ssh-auth-failed.yaml"),
    ),
    (
        "templates/detections/ssh-brute-force.yaml",
        include_str!("../../templates/detections/ssh-brute-force.yaml"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Low, Level::Medium, Level::High, Level::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    title: String,
    level: Level,
    #[serde(default = "yes")]
    alert: bool,
    #[serde(default, rename = "match")]
    forms: Vec<FormFile>,
    #[serde(default)]
    threshold: Option<ThresholdFile>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormFile {
    program: Vec<String>,
    message: String,
    #[serde(default)]
    fallback: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdFile {
    rule: String,
    by: Field,
    count: u32,
    within_minutes: u32,
}

/// A field an event carries, for grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    SrcIp,
    User,
    Host,
}

#[derive(Debug)]
pub struct Form {
    pub message: Regex,
    pub fallback: bool,
}

#[derive(Debug)]
pub struct Threshold {
    /// Index of the rule whose events are counted.
    pub rule: usize,
    pub by: Field,
    pub count: u32,
    pub within: jiff::SignedDuration,
}

#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub level: Level,
    pub alert: bool,
    pub forms: Vec<Form>,
    pub threshold: Option<Threshold>,
}

/// A validated rule set, indexed by program name.
#[derive(Debug)]
pub struct Rules {
    pub rules: Vec<Rule>,
    /// program → (rule, form) pairs to try, in rule order.
    by_program: HashMap<String, Vec<(usize, usize)>>,
}

/// One form that matched a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule: usize,
    pub fallback: bool,
    pub user: Option<String>,
    pub src_ip: Option<String>,
    pub count: u32,
}

impl Rules {
    /// The rules compiled into the binary.
    pub fn built_in() -> Result<Rules, SignalsError> {
        Rules::parse(BUILT_IN)
    }

    /// Parses and validates `(file name, text)` pairs.
    pub fn parse(files: &[(&str, &str)]) -> Result<Rules, SignalsError> {
        let mut parsed = Vec::new();
        for (file, text) in files {
            let fail = |detail: String| SignalsError::Rules {
                file: (*file).to_string(),
                detail,
            };
            let rule: RuleFile = yaml_serde::from_str(text).map_err(|e| fail(e.to_string()))?;
            if rule.id.is_empty()
                || !rule
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(fail(format!(
                    "rule id `{}`: use lower-case letters, digits and `-`",
                    rule.id
                )));
            }
            if rule.forms.is_empty() == rule.threshold.is_none() {
                return Err(fail(format!(
                    "rule `{}`: give either `match` or `threshold`, not both or neither",
                    rule.id
                )));
            }
            parsed.push((*file, rule));
        }
        let ids: Vec<String> = parsed.iter().map(|(_, r)| r.id.clone()).collect();
        let mut rules = Vec::new();
        let mut by_program: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (index, (file, rule)) in parsed.into_iter().enumerate() {
            let fail = |detail: String| SignalsError::Rules {
                file: file.to_string(),
                detail: format!("rule `{}`: {detail}", rule.id),
            };
            if ids[..index].contains(&rule.id) {
                return Err(fail("another rule has this id".into()));
            }
            let mut forms = Vec::new();
            for (n, form) in rule.forms.iter().enumerate() {
                if !form.message.starts_with('^') || !form.message.ends_with('$') {
                    return Err(fail(format!(
                        "match {}: the message pattern must be anchored at both ends (`^...$`)",
                        n + 1
                    )));
                }
                let message = Regex::new(&form.message).map_err(|e| {
                    fail(format!(
                        "match {}: {}",
                        n + 1,
                        e.to_string().lines().last().unwrap_or_default()
                    ))
                })?;
                if form.program.is_empty() {
                    return Err(fail(format!("match {}: list at least one program", n + 1)));
                }
                for program in &form.program {
                    by_program
                        .entry(program.clone())
                        .or_default()
                        .push((index, n));
                }
                forms.push(Form {
                    message,
                    fallback: form.fallback,
                });
            }
            let threshold = match &rule.threshold {
                None => None,
                Some(t) => {
                    let counted = ids.iter().position(|id| *id == t.rule).ok_or_else(|| {
                        fail(format!("threshold counts unknown rule `{}`", t.rule))
                    })?;
                    if t.count == 0 || t.within_minutes == 0 {
                        return Err(fail(
                            "threshold count and within_minutes must be at least 1".into(),
                        ));
                    }
                    Some(Threshold {
                        rule: counted,
                        by: t.by,
                        count: t.count,
                        within: jiff::SignedDuration::from_mins(i64::from(t.within_minutes)),
                    })
                }
            };
            rules.push(Rule {
                id: rule.id,
                title: rule.title,
                level: rule.level,
                alert: rule.alert,
                forms,
                threshold,
            });
        }
        for list in by_program.values_mut() {
            list.sort_unstable();
        }
        Ok(Rules { rules, by_program })
    }

    /// Every rule's first matching form for a line of `program` saying `message`.
    pub fn hits(&self, program: &str, message: &str, out: &mut Vec<Hit>) {
        out.clear();
        let Some(candidates) = self.by_program.get(program) else {
            return;
        };
        let mut last_rule = usize::MAX;
        for &(rule, form) in candidates {
            if rule == last_rule {
                continue;
            }
            let form_def = &self.rules[rule].forms[form];
            // Most lines match no form: the DFA answers that much faster than the capturing
            // engine, which then runs only on the lines that match.
            if !form_def.message.is_match(message) {
                continue;
            }
            if let Some(c) = form_def.message.captures(message) {
                last_rule = rule;
                out.push(Hit {
                    rule,
                    fallback: form_def.fallback,
                    user: c.name("user").map(|m| m.as_str().to_string()),
                    src_ip: c
                        .name("src_ip")
                        .map(|m| m.as_str().to_string())
                        .filter(|s| !s.is_empty()),
                    count: c
                        .name("count")
                        .and_then(|m| m.as_str().parse().ok())
                        .unwrap_or(1),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_load() {
        let rules = Rules::built_in().unwrap();
        assert_eq!(rules.rules.len(), 4);
        let mut hits = Vec::new();
        rules.hits(
            "sshd",
            "message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]",
            &mut hits,
        );
        let ids: Vec<&str> = hits
            .iter()
            .map(|h| rules.rules[h.rule].id.as_str())
            .collect();
        assert_eq!(ids, ["root-login-failed", "ssh-auth-failed"]);
        assert!(
            hits.iter()
                .all(|h| h.count == 5 && h.src_ip.as_deref() == Some("5.36.59.76"))
        );
        rules.hits(
            "login(pam_unix)",
            "session opened for user root by LOGIN(uid=0)",
            &mut hits,
        );
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].user.as_deref(), Some("root"));
        rules.hits(
            "su(pam_unix)",
            "session opened for user news by (uid=0)",
            &mut hits,
        );
        assert!(hits.is_empty());
    }

    #[test]
    fn unanchored_and_dangling_rules_are_refused() {
        let text =
            "id: x\ntitle: X\nlevel: low\nmatch:\n  - program: [sshd]\n    message: 'Failed'\n";
        let err = Rules::parse(&[("x.yaml", text)]).unwrap_err().to_string();
        assert!(
            err.contains("x.yaml`: rule `x`: match 1: the message pattern must be anchored"),
            "{err}"
        );
        let text = "id: y\ntitle: Y\nlevel: high\nthreshold: {rule: nope, by: src_ip, count: 3, within_minutes: 1}\n";
        let err = Rules::parse(&[("y.yaml", text)]).unwrap_err().to_string();
        assert!(
            err.contains("threshold counts unknown rule `nope`"),
            "{err}"
        );
        let text = "id: z\ntitle: Z\nlevel: severe\nmatch: []\n";
        let err = Rules::parse(&[("z.yaml", text)]).unwrap_err().to_string();
        assert!(err.contains("z.yaml") && err.contains("severe"), "{err}");
    }
}
