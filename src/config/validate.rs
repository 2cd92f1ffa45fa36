//! The values of a parsed `maestro.toml` that serde cannot check: region, cluster, tenant
//! and adapter names are DNS labels, clusters are in the region catalogue, signal patterns
//! parse, adapter URLs, token variables and event kinds fit their kind, colours are
//! `#rrggbb`. The first problem is the error, at the span of the value at fault.

use std::ops::Range;

use super::sections::{DEFAULT_BOTS, DEFAULT_INNOVATION};
use super::{AdapterConfig, AdapterKind, Branding, Config, ConfigError, SignalsConfig};
use crate::model::ids::dns_label_problem;

/// Makes the error for a value at a span of the file.
type Invalid<'a> = dyn Fn(Option<Range<usize>>, String) -> ConfigError + 'a;

/// Checks `config`, section by section; `invalid` makes the error for a value at a span of
/// the file.
pub(super) fn validate(
    config: &Config,
    invalid: impl Fn(Option<Range<usize>>, String) -> ConfigError,
) -> Result<(), ConfigError> {
    platform(config, &invalid)?;
    signal_patterns(&config.signals, &invalid)?;
    tenant_ids(config, &invalid)?;
    adapters(&config.adapters, &invalid)?;
    branding(&config.branding, &invalid)
}

/// Region and cluster names are DNS labels; each cluster is in a catalogued region.
fn platform(config: &Config, invalid: &Invalid) -> Result<(), ConfigError> {
    for id in config.platform.regions.keys() {
        if let Some(reason) = dns_label_problem(id.get_ref()) {
            return Err(invalid(
                Some(id.span()),
                format!("invalid region id `{}`: {reason}", id.get_ref()),
            ));
        }
    }
    for (name, cluster) in &config.platform.clusters {
        if let Some(reason) = dns_label_problem(name.get_ref()) {
            return Err(invalid(
                Some(name.span()),
                format!("invalid cluster name `{}`: {reason}", name.get_ref()),
            ));
        }
        if !config
            .platform
            .regions
            .contains_key(cluster.region.get_ref().as_str())
        {
            return Err(invalid(
                Some(cluster.region.span()),
                format!(
                    "cluster `{}` is in region `{}`, which is not in [platform.regions] ({})",
                    name.get_ref(),
                    cluster.region.get_ref(),
                    config.region_list()
                ),
            ));
        }
    }
    Ok(())
}

/// The signal patterns of the file parse as regular expressions.
fn signal_patterns(s: &SignalsConfig, invalid: &Invalid) -> Result<(), ConfigError> {
    // Parsed, not compiled: the classifier compiles them when signals are mined, so other
    // commands do not pay for it. The built-in patterns are not parsed again: they are known
    // to parse (see the tests).
    let own = s.bots.iter().chain(&s.innovation);
    for pattern in own.filter(|p| !is_default_pattern(p.get_ref())) {
        if let Err(e) = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(pattern.get_ref())
        {
            let first = e.to_string().lines().last().unwrap_or_default().to_string();
            return Err(invalid(
                Some(pattern.span()),
                format!("invalid pattern `{}`: {first}", pattern.get_ref()),
            ));
        }
    }
    Ok(())
}

/// The tenant ids of `[signals]` (repos, hosts) and `[cost]` are DNS labels.
fn tenant_ids(config: &Config, invalid: &Invalid) -> Result<(), ConfigError> {
    let s = &config.signals;
    let tenants = s
        .repos
        .iter()
        .filter_map(|r| r.tenant.as_ref())
        .chain(s.hosts.values())
        .chain(config.cost.tenants.values());
    for tenant in tenants {
        if let Some(reason) = dns_label_problem(tenant.get_ref()) {
            return Err(invalid(
                Some(tenant.span()),
                format!("invalid tenant id `{}`: {reason}", tenant.get_ref()),
            ));
        }
    }
    Ok(())
}

/// Each adapter: a unique DNS-label name, a URL of its kind's form, `token_env` a variable
/// name, event kinds it takes, and a token for a webhook.
fn adapters(adapters: &[AdapterConfig], invalid: &Invalid) -> Result<(), ConfigError> {
    let mut names = std::collections::BTreeSet::new();
    for adapter in adapters {
        let name = &adapter.name;
        if let Some(reason) = dns_label_problem(name.get_ref()) {
            return Err(invalid(
                Some(name.span()),
                format!("invalid adapter name `{}`: {reason}", name.get_ref()),
            ));
        }
        if !names.insert(name.get_ref().clone()) {
            return Err(invalid(
                Some(name.span()),
                format!("a second adapter named `{}`", name.get_ref()),
            ));
        }
        let url = adapter.url.get_ref();
        if !adapter.kind.url_ok(url) {
            return Err(invalid(
                Some(adapter.url.span()),
                format!(
                    "invalid url `{url}` for a {} adapter: expected `{}`",
                    adapter.kind.name(),
                    adapter.kind.url_form()
                ),
            ));
        }
        if let Some(var) = &adapter.token_env {
            let name = var.get_ref();
            let is_var_name = !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !is_var_name {
                // Never echo it: a token pasted here by mistake must not reach a terminal.
                return Err(invalid(
                        Some(var.span()),
                        "token_env must be the *name* of an environment variable (letters, digits, `_`), not the token itself".to_string(),
                    ));
            }
        }
        let takes = adapter.kind.outbox_kinds();
        if let Some(other) = adapter
            .events
            .iter()
            .flatten()
            .find(|e| !takes.contains(&e.as_str()))
        {
            return Err(invalid(
                Some(adapter.name.span()),
                format!(
                    "adapter `{}` lists event kind `{other}`, which a {} adapter does not take (it takes: {})",
                    adapter.name.get_ref(),
                    adapter.kind.name(),
                    takes.join(", ")
                ),
            ));
        }
        if adapter.kind == AdapterKind::Webhook && adapter.token_env.is_none() {
            return Err(invalid(
                Some(adapter.name.span()),
                format!(
                    "webhook adapter `{}` needs token_env: the variable holding its HMAC key",
                    adapter.name.get_ref()
                ),
            ));
        }
    }
    Ok(())
}

/// The colours are `#rrggbb`.
fn branding(branding: &Branding, invalid: &Invalid) -> Result<(), ConfigError> {
    for (key, color) in [
        ("primary_color", &branding.primary_color),
        ("accent_color", &branding.accent_color),
    ] {
        if !is_hex_color(color.get_ref()) {
            return Err(invalid(
                Some(color.span()),
                format!("invalid {key} `{}`: expected `#rrggbb`", color.get_ref()),
            ));
        }
    }
    Ok(())
}

impl AdapterKind {
    fn url_ok(self, url: &str) -> bool {
        let authority = |rest: &str| {
            let host_port = rest.split('/').next().unwrap_or_default();
            !host_port.is_empty()
                && !host_port.contains('@')
                && host_port
                    .rsplit_once(':')
                    .is_none_or(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok())
        };
        match self {
            AdapterKind::Syslog => url
                .strip_prefix("tcp://")
                .and_then(|rest| rest.rsplit_once(':'))
                .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok()),
            _ => url
                .strip_prefix("http://")
                .or_else(|| url.strip_prefix("https://"))
                .is_some_and(authority),
        }
    }
}

/// Whether `pattern` is one of the built-in signal patterns (known to parse, see the tests).
fn is_default_pattern(pattern: &str) -> bool {
    DEFAULT_BOTS.contains(&pattern) || DEFAULT_INNOVATION.contains(&pattern)
}

fn is_hex_color(value: &str) -> bool {
    value.len() == 7 && value.starts_with('#') && value[1..].chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_built_in_signal_patterns_parse() {
        for pattern in DEFAULT_BOTS.iter().chain(&DEFAULT_INNOVATION) {
            regex_syntax::ParserBuilder::new()
                .case_insensitive(true)
                .build()
                .parse(pattern)
                .unwrap();
        }
    }

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("maestro.toml"))
    }

    #[test]
    fn cluster_in_unknown_region_is_refused() {
        let text = "[platform.regions]\neu-west-1 = \"Ireland\"\n[platform.clusters]\nc1 = { region = \"mars-1\" }\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.starts_with("maestro.toml:4:17: cluster `c1` is in region `mars-1`"),
            "{err}"
        );
    }

    #[test]
    fn signals_section_is_validated() {
        let text = "[signals]\nbots = [\"(unclosed\"]\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.starts_with("maestro.toml:2:9: invalid pattern `(unclosed`"),
            "{err}"
        );
        let text = "[[signals.repos]]\npath = \"/srv/app\"\ntenant = \"Not_A_Label\"\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(
            err.starts_with("maestro.toml:3:10: invalid tenant id `Not_A_Label`"),
            "{err}"
        );
        let ok = parse("[[signals.repos]]\npath = \"/srv/app\"\ntenant = \"acme\"\n").unwrap();
        assert_eq!(ok.signals.repos.len(), 1);
        assert!(!ok.signals.bots.is_empty());
    }

    #[test]
    fn bad_accent_colour_is_refused() {
        let err = parse("[branding]\naccent_color = \"#12345\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("maestro.toml:2:16: invalid accent_color `#12345`"),
            "{err}"
        );
        let ok =
            parse("[branding]\nproduct_name = \"Acme Cloud\"\nshort_name = \"Acme\"\n").unwrap();
        assert_eq!(ok.branding.short(), "Acme");
        assert_eq!(parse("").unwrap().branding.short(), "CompanyOS");
    }

    #[test]
    fn bad_colour_is_refused() {
        let err = parse("[branding]\nprimary_color = \"blue\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("maestro.toml:2:17: invalid primary_color `blue`"),
            "{err}"
        );
    }
}
