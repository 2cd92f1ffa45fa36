//! The trial directory: the marker that lets `trial:down` remove it, its `maestro.toml`, and
//! the context opened on its configuration and state.

use std::path::Path;

use super::MARKER;
use crate::config::Config;
use crate::context::Context;
use crate::model::clock::Clock;
use crate::model::ids::PrincipalId;

const CONFIG: &str = r##"# Written by `maestro-cli trial:up`: a trial platform with two clusters in two regions.
[platform]
name = "CompanyOS trial"

[platform.regions]
eu-west-1 = "Europe (Ireland)"
eu-central-1 = "Europe (Frankfurt)"
us-east-1 = "US East (N. Virginia)"

[platform.clusters]
trial-eu = { region = "eu-west-1" }
trial-us = { region = "us-east-1" }

[branding]
product_name = "CompanyOS Trial"
short_name = "Trial"
primary_color = "#1f6feb"
accent_color = "#8250df"
support_contact = "platform-team@example.com"

# The sample auth log's host belongs to trial-prod: its alerts are that tenant's.
[signals.hosts]
trial-web-1 = "trial-prod"

# Billing rows carry their tenant in the `tenant` tag (the default); budgets warn, not gate.
[perf]
phase = "warn"

[perf.budgets.web]
p95_ms = 200
error_rate_pct = 1.0
"##;

pub(super) fn context(dir: &Path, clock: Clock, actor: &str) -> anyhow::Result<Context> {
    let config = Config::load(&dir.join("maestro.toml"))?;
    let actor = Some(PrincipalId::parse(actor)?);
    Context::open(&dir.join("state.db"), config, clock, actor)
}

pub(super) fn prepare(dir: &Path, name: &str) -> anyhow::Result<()> {
    if dir.exists() && !dir.join(MARKER).exists() && std::fs::read_dir(dir)?.next().is_some() {
        anyhow::bail!(
            "`{}` exists and was not made by trial:up; choose another --dir",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir)?;
    if !dir.join(MARKER).exists() {
        std::fs::write(dir.join(MARKER), format!("{name}\n"))?;
    }
    if !dir.join("maestro.toml").exists() {
        std::fs::write(dir.join("maestro.toml"), CONFIG)?;
    }
    Ok(())
}
