//! Secrets never reach the decision log: values under keys that look like credentials are
//! replaced, and the paths that were masked are recorded.

use serde_json::Value;

/// Key fragments that mark a secret (compared case-insensitively, `-` and `_` ignored).
const SECRET_KEYS: &[&str] = &[
    "token",
    "password",
    "passwd",
    "secret",
    "apikey",
    "credential",
    "privatekey",
    "authorization",
];

pub const MASK: &str = "[masked]";

/// A copy of `input` with secret values replaced, and the masked paths (`input.auth.token`).
pub fn mask_secrets(input: &Value) -> (Value, Vec<String>) {
    let mut masked = Vec::new();
    let v = walk(input, "input", &mut masked);
    (v, masked)
}

fn is_secret(key: &str) -> bool {
    let k: String = key
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    SECRET_KEYS.iter().any(|s| k.contains(s))
}

fn walk(v: &Value, path: &str, masked: &mut Vec<String>) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let p = format!("{path}.{k}");
                    if is_secret(k) && !x.is_null() {
                        masked.push(p);
                        (k.clone(), Value::String(MASK.into()))
                    } else {
                        (k.clone(), walk(x, &p, masked))
                    }
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| walk(x, &format!("{path}[{i}]"), masked))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secret_keys_at_any_depth() {
        let input = serde_json::json!({
            "tenant": "acme",
            "auth": {"Api-Key": "k", "token": "t", "user": "u"},
            "steps": [{"db_password": "p"}],
            "tokens_used": 3
        });
        let (v, paths) = mask_secrets(&input);
        assert_eq!(v["auth"]["token"], MASK);
        assert_eq!(v["auth"]["Api-Key"], MASK);
        assert_eq!(v["auth"]["user"], "u");
        assert_eq!(v["steps"][0]["db_password"], MASK);
        assert_eq!(v["tenant"], "acme");
        assert_eq!(
            paths,
            [
                "input.auth.Api-Key",
                "input.auth.token",
                "input.steps[0].db_password",
                "input.tokens_used"
            ]
        );
    }
}
