//! Validated identifiers. A value of one of these types has passed its check, so code that
//! holds a `TenantId` may put it in a path, a label or a query without cleaning it again.

use std::fmt;

use serde::Serialize;

/// The `help:` line for a tenant id that is not a DNS label.
pub const TENANT_ID_HELP: &str = "a tenant id is a DNS label: lowercase letters, digits and `-`, 1 to 63 characters, e.g. `acme-corp`";

/// A value that failed validation: which kind of id, the value, and why.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid {kind} `{value}`: {reason}")]
pub struct InvalidId {
    pub kind: &'static str,
    pub value: String,
    pub reason: String,
}

impl InvalidId {
    fn new(kind: &'static str, value: &str, reason: impl Into<String>) -> Self {
        InvalidId {
            kind,
            value: value.to_string(),
            reason: reason.into(),
        }
    }
}

/// Checks `value` against the DNS label rule `[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?`.
/// Returns the reason it fails, if it does.
pub fn dns_label_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("it is empty; use 1 to 63 lowercase letters, digits or `-`".into());
    }
    if value.len() > 63 {
        return Some(format!(
            "it is {} characters long; a DNS label has at most 63",
            value.chars().count()
        ));
    }
    if let Some((pos, c)) = value
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    {
        let what = if c.is_ascii_uppercase() {
            "an uppercase letter"
        } else {
            "a character"
        };
        return Some(format!(
            "{what} `{}` at position {}; only lowercase letters, digits and `-` are allowed",
            c.escape_default(),
            pos + 1
        ));
    }
    if value.starts_with('-') || value.ends_with('-') {
        return Some("it must start and end with a lowercase letter or digit".into());
    }
    None
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, InvalidId> {
                Self::parse(s)
            }
        }
    };
}

string_id!(
    /// A tenant id: a DNS label, rejected (never cleaned) when it is not one.
    TenantId
);
string_id!(
    /// A region id from the catalogue, such as `eu-west-1`.
    RegionId
);
string_id!(
    /// An acting principal: an e-mail-like id, stored lowercase.
    PrincipalId
);

impl TenantId {
    pub fn parse(value: &str) -> Result<Self, InvalidId> {
        match dns_label_problem(value) {
            Some(reason) => Err(InvalidId::new("tenant id", value, reason)),
            None => Ok(TenantId(value.to_string())),
        }
    }
}

impl RegionId {
    pub fn parse(value: &str) -> Result<Self, InvalidId> {
        match dns_label_problem(value) {
            Some(reason) => Err(InvalidId::new("region id", value, reason)),
            None => Ok(RegionId(value.to_string())),
        }
    }
}

impl PrincipalId {
    /// Accepts `local@domain` with a conservative character set, so the id is safe in
    /// YAML, labels and log lines. Case is folded: `Alice@Acme.example` is `alice@acme.example`.
    pub fn parse(value: &str) -> Result<Self, InvalidId> {
        let bad = |reason: &str| Err(InvalidId::new("principal", value, reason));
        let Some((local, domain)) = value.split_once('@') else {
            return bad("expected an e-mail-like id such as `alice@acme.example`");
        };
        if local.is_empty() || local.len() > 64 {
            return bad("the part before `@` must be 1 to 64 characters");
        }
        if !local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
        {
            return bad("the part before `@` may hold only letters, digits and `._%+-`");
        }
        let domain_lower = domain.to_ascii_lowercase();
        if domain_lower.len() > 253
            || domain_lower
                .split('.')
                .any(|label| dns_label_problem(label).is_some())
        {
            return bad("the part after `@` must be a domain name such as `acme.example`");
        }
        Ok(PrincipalId(format!(
            "{}@{}",
            local.to_ascii_lowercase(),
            domain_lower
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_ids_follow_the_dns_label_rule() {
        for ok in ["a", "acme", "acme-2", "0", &"a".repeat(63)] {
            assert!(TenantId::parse(ok).is_ok(), "{ok} should be valid");
        }
        for bad in [
            "",
            "Acme",
            "a_b",
            "../x",
            "-a",
            "a-",
            "a.b",
            "a b",
            &"a".repeat(64),
        ] {
            assert!(TenantId::parse(bad).is_err(), "{bad} should be invalid");
        }
    }

    #[test]
    fn tenant_id_errors_say_why() {
        let err = TenantId::parse("Acme").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid tenant id `Acme`: an uppercase letter `A` at position 1; only lowercase letters, digits and `-` are allowed"
        );
        let err = TenantId::parse(&"a".repeat(64)).unwrap_err();
        assert!(err.to_string().contains("64 characters long"));
    }

    #[test]
    fn principals_are_email_like_and_case_folded() {
        assert_eq!(
            PrincipalId::parse("Alice@Acme.Example").unwrap().as_str(),
            "alice@acme.example"
        );
        for bad in [
            "alice",
            "@acme.example",
            "alice@",
            "a b@x.y",
            "a@x_y.z",
            "a\"@x.y",
        ] {
            assert!(PrincipalId::parse(bad).is_err(), "{bad} should be invalid");
        }
    }
}
