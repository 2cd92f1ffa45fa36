//! The human side of a pack: `index.html`, `README.md`, the residency report and the
//! runbooks, rendered with `[branding]` (product name, logo, colour) — white-label without a
//! code fork. Every value is escaped.

use serde_json::Value;

use crate::config::Branding;
use crate::store::DecisionRow;
use crate::tenant::Tenant;

pub struct Summary<'a> {
    pub tenant: &'a Tenant,
    pub generated_at: &'a str,
    pub period: (Option<&'a str>, Option<&'a str>),
    pub deployments: &'a [Value],
    pub decisions: usize,
    pub denied: usize,
    pub events: usize,
    pub chain_ok: bool,
    pub bundle_sha256: &'a str,
    pub logo: Option<&'a str>,
}

use crate::markup::escape as html;

fn period(p: (Option<&str>, Option<&str>)) -> String {
    match p {
        (None, None) => "all time".into(),
        (f, t) => format!("{} to {}", f.unwrap_or("the beginning"), t.unwrap_or("now")),
    }
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
        .unwrap_or_default()
}

pub fn index_html(b: &Branding, s: &Summary<'_>) -> String {
    let name = html(&b.product_name);
    let color = html(b.primary_color.get_ref());
    let accent = html(b.accent_color.get_ref());
    let support = b
        .support_contact
        .as_deref()
        .map(|c| format!(" · support: <span id=\"support\">{}</span>", html(c)))
        .unwrap_or_default();
    let logo = s
        .logo
        .map(|l| format!("<img class=\"logo\" src=\"{}\" alt=\"{name}\">", html(l)))
        .unwrap_or_default();
    let rows: String = s
        .deployments
        .iter()
        .map(|d| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                html(&text(d, "service")),
                html(&text(d, "env")),
                html(&text(d, "cluster")),
                html(&text(d, "region")),
                html(&text(d, "version")),
                if d.get("allowed_now").and_then(Value::as_bool) == Some(true) {
                    "in allowed region"
                } else {
                    "<strong>outside allowed regions</strong>"
                }
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{name} — disclosure pack for {tenant}</title>\n<style>\nbody {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1b1f24; }}\nh1 {{ color: {color}; }}\nheader {{ border-bottom: 4px solid {color}; padding-bottom: 1rem; display: flex; gap: 1rem; align-items: center; }}\n.logo {{ max-height: 64px; }}\ntable {{ border-collapse: collapse; }}\ntd, th {{ border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; }}\na {{ color: {accent}; }}\nfooter {{ border-top: 2px solid {accent}; margin-top: 2rem; padding-top: .5rem; }}\n</style>\n</head>\n<body>\n<header>{logo}<h1 id=\"product\">{name}</h1></header>\n<h2>Disclosure pack: {tenant_name} (<code>{tenant}</code>)</h2>\n<ul>\n<li>Generated at <time>{generated}</time>, period: {period}</li>\n<li>Tier: {tier}; allowed regions: <strong id=\"regions\">{regions}</strong></li>\n<li>Audit events in this pack: {events}; chain verified at export: <strong id=\"chain\">{chain}</strong></li>\n<li>Policy decisions: {decisions} ({denied} denied); policy bundle sha256 <code>{bundle}</code></li>\n</ul>\n<h3>Deployments</h3>\n<table id=\"deployments\">\n<tr><th>Service</th><th>Env</th><th>Cluster</th><th>Region</th><th>Version</th><th>Residency</th></tr>\n{rows}</table>\n<h3>Contents</h3>\n<p><a href=\"residency/report.md\">Residency report</a> · <a href=\"residency/declaration.json\">declaration</a> · <a href=\"residency/deployments.json\">deployments</a> · <a href=\"policy/decisions.jsonl\">decision log</a> · <a href=\"audit/events.jsonl\">audit events</a> · <a href=\"runbooks/\">runbooks</a></p>\n<p>Check this pack: <code>minisign -Vm manifest.json -p maestro-pack.pub</code>, then compare every file with the sha256 in <code>manifest.json</code> — or <code>maestro-cli pack:verify PACK --pubkey KEY</code>.</p>\n<footer>{name}{support}</footer>\n</body>\n</html>\n",
        tenant = html(s.tenant.id.as_str()),
        tenant_name = html(&s.tenant.name),
        generated = html(s.generated_at),
        period = html(&period(s.period)),
        tier = s.tenant.tier,
        regions = html(&s.tenant.regions.to_string()),
        events = s.events,
        chain = if s.chain_ok { "intact" } else { "BROKEN" },
        decisions = s.decisions,
        denied = s.denied,
        bundle = html(s.bundle_sha256),
    )
}

pub fn readme(b: &Branding, s: &Summary<'_>) -> String {
    format!(
        "# {name} — disclosure pack for {tenant_name} (`{tenant}`)\n\nGenerated at {generated}; period: {period}.{support}\n\n- Tier: {tier}; allowed regions: {regions}\n- Deployments: {deployments}\n- Policy decisions: {decisions} ({denied} denied); policy bundle sha256 `{bundle}`\n- Audit events: {events}; chain verified at export: {chain}\n\nEvery file is listed with its size and sha256 in `manifest.json`, which is signed in\nminisign format (`manifest.json.minisig`). Check it with\n`minisign -Vm manifest.json -p maestro-pack.pub` (better: with the public key {name} gave you)\nor `maestro-cli pack:verify PACK --pubkey KEY`.\n\n| file | what it holds |\n|---|---|\n| `residency/declaration.json` | allowed regions and tier, and who declared or changed them, when |\n| `residency/deployments.json` | every deployment with its region and the decision that admitted it |\n| `residency/report.md` | compliance summary |\n| `policy/decisions.jsonl` | this tenant's policy decisions (secrets masked) |\n| `policy/bundle/` | the policies that decided, with their hash in `policy/bundle.json` |\n| `policy/exceptions.json` | isolation exceptions naming this tenant |\n| `audit/events.jsonl`, `audit/chain.json` | this tenant's audit events and their chain anchors |\n| `provenance.json` | how this pack was produced |\n| `runbooks/` | Day-2 operations |\n",
        name = b.product_name,
        support = b
            .support_contact
            .as_deref()
            .map(|c| format!(" Support: {c}."))
            .unwrap_or_default(),
        tenant = s.tenant.id,
        tenant_name = s.tenant.name,
        generated = s.generated_at,
        period = period(s.period),
        tier = s.tenant.tier,
        regions = s.tenant.regions,
        deployments = s.deployments.len(),
        decisions = s.decisions,
        denied = s.denied,
        bundle = s.bundle_sha256,
        events = s.events,
        chain = if s.chain_ok { "intact" } else { "BROKEN" },
    )
}

pub fn residency_report(
    b: &Branding,
    t: &Tenant,
    deployments: &[Value],
    denied: &[&DecisionRow],
) -> String {
    let inside = deployments
        .iter()
        .filter(|d| d.get("allowed_now").and_then(Value::as_bool) == Some(true))
        .count();
    let mut out = format!(
        "# {} residency report: {} (`{}`)\n\nAllowed regions: {} (tier {}).\n\n- Deployments in allowed regions: {inside}\n- Deployments outside allowed regions: {}\n- Denied deploy attempts: {}\n\n",
        b.product_name,
        t.name,
        t.id,
        t.regions,
        t.tier,
        deployments.len() - inside,
        denied.len()
    );
    if !denied.is_empty() {
        out.push_str("## Denied attempts\n\n");
        for d in denied {
            let reasons = d.deny_text();
            out.push_str(&format!(
                "- {} by {} (decision `{}`): {}\n",
                d.at, d.actor, d.id, reasons
            ));
        }
    }
    out
}

/// A runbook with the product's name in its header.
pub fn runbook(b: &Branding, text: &str) -> String {
    format!(
        "> {} runbook — from the {} disclosure pack\n\n{}",
        b.product_name, b.product_name, text
    )
}
