//! Which tenants a policy input is about: what the asker must be allowed to read before the
//! policy answers (its decision and deny messages can tell that tenant's data, or whether it
//! exists).

use serde_json::Value;

/// The tenants `input` names, sorted and once each: the value of every key `tenant` or
/// `*_tenant`, at any depth (`tenant`, `actor_tenant`, `resource.tenant`, ...).
pub fn named_tenants(input: &Value) -> Vec<String> {
    fn walk(v: &Value, into: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (key, value) in map {
                    match value {
                        Value::String(t) if key == "tenant" || key.ends_with("_tenant") => {
                            into.push(t.clone())
                        }
                        other => walk(other, into),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, into)),
            _ => {}
        }
    }
    let mut named = Vec::new();
    walk(input, &mut named);
    named.sort();
    named.dedup();
    named
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::named_tenants;

    #[test]
    fn every_tenant_key_at_any_depth() {
        let cases = [
            (json!({"action": "deploy", "tenant": "acme"}), vec!["acme"]),
            (
                json!({"actor_tenant": "acme", "resource_tenant": "globex"}),
                vec!["acme", "globex"],
            ),
            (
                json!({"resource": {"kind": "residency", "tenant": "globex"}}),
                vec!["globex"],
            ),
            (
                json!({"items": [{"tenant": "b"}, {"tenant": "a"}, {"tenant": "b"}]}),
                vec!["a", "b"],
            ),
            (
                json!({"tenants": ["x"], "tenant": 3, "cluster": "eu-prod-1"}),
                vec![],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(named_tenants(&input), want, "{input}");
        }
    }
}
