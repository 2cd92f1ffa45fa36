//! The domain's enums as clap values: their names on the command line and the help of each.
//! The domain types stay free of clap (a second front end parses its own way); this is the one
//! place that says how the CLI spells them.

use clap::ValueEnum;
use clap::builder::PossibleValue;

/// `impl ValueEnum` for a domain enum: each variant with its command-line name and, where
/// given, its help line.
macro_rules! value_enum {
    ($ty:path { $($variant:ident => $name:literal $(, $help:literal)?;)+ }) => {
        impl ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                use $ty as T;
                &[$(T::$variant),+]
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                use $ty as T;
                Some(match self {
                    $(T::$variant => PossibleValue::new($name)$(.help($help))?,)+
                })
            }
        }
    };
}

value_enum!(crate::model::tenant::Tier {
    Dev => "dev", "Permissive: may use every region (`--regions '*'`)";
    Prod => "prod", "Strict: an explicit region allowlist";
});

value_enum!(crate::model::tenant::Role {
    PlatformAdmin => "platform-admin", "Everything, on every tenant";
    TenantAdmin => "tenant-admin", "Manage one tenant (needs --tenant)";
    Viewer => "viewer", "Read one tenant (needs --tenant)";
});

value_enum!(crate::dashboards::Dashboard {
    Pulse => "pulse", "Summitsight Pulse: CPU, memory, request rate, p95 latency, error rate";
    Pnl => "pnl", "Platform P&L: cost per tenant, top-5 cost drivers, cost per request";
});

value_enum!(crate::signals::detect::Level {
    Low => "low";
    Medium => "medium";
    High => "high";
    Critical => "critical";
});

value_enum!(crate::signals::report::GroupBy {
    Day => "day", "Commit date in UTC";
    Week => "week", "ISO 8601 week of the UTC commit date (`2026-W48`)";
    Repo => "repo";
    Author => "author";
    Type => "type", "Conventional-commit type";
});

value_enum!(crate::config::EngineKind {
    Regorus => "regorus", "regorus: the Rego source of `policies/` (or `[policy] dir`)";
    OpaWasm => "opa-wasm", "OPA-built wasm (`opa build -t wasm`); needs a build with `--features opa-wasm`";
});

value_enum!(crate::config::Phase {
    Warn => "warn";
    Gate => "gate";
});

value_enum!(crate::cost::Format {
    Focus => "focus", "FinOps FOCUS 1.0 CSV";
    Csv => "csv", "A CSV with the FOCUS columns (the same reader as `focus`)";
    Jsonl => "jsonl", "One JSON object per line, keyed by FOCUS column names";
});

value_enum!(crate::cost::Dimension {
    Tenant => "tenant";
    Service => "service";
    Env => "env";
    Region => "region";
    Provider => "provider";
    Day => "day";
    Week => "week";
    Month => "month";
});
