//! Tokens: read from the environment variable an adapter's `token_env` names, at delivery
//! time only, and kept in a type that never prints them. (Text a server sends back is
//! redacted by `outbox::redact`.)

use std::fmt;

use crate::config::AdapterConfig;
use crate::outbox::redact::MARKER;

/// A secret value. `Debug` and `Display` print `[redacted]`; only [`Secret::expose`] gives the
/// value, to put it in a request header.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MARKER)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MARKER)
    }
}

/// The adapter's token: `Ok(None)` without `token_env`; an error naming the variable (never
/// its value) when it is unset or empty.
pub fn token(config: &AdapterConfig) -> Result<Option<Secret>, String> {
    let Some(var) = &config.token_env else {
        return Ok(None);
    };
    let var = var.get_ref();
    match std::env::var(var) {
        Ok(value) if !value.is_empty() => Ok(Some(Secret(value))),
        _ => Err(format!(
            "the environment variable `{var}` (token_env of adapter `{}`) is not set",
            config.name.get_ref()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_formats_its_value() {
        let s = Secret::new("hunter2".into());
        assert_eq!(
            format!("{s} {s:?} {:?}", Some(&s)),
            "[redacted] [redacted] Some([redacted])"
        );
        assert_eq!(s.expose(), "hunter2");
    }
}
