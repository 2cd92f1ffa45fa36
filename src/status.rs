//! `status`: the health of this installation — the state file (schema, SQLite integrity, audit
//! chain), the policy bundle (hash, its tests), the last signals run and each adapter.
//! `System Online` when all are healthy.
//!
//! Anyone may run it. An adapter's error text (a backend's answer, redacted) is shown only to
//! an actor who may run `sync` (a platform admin); others see the counts and that there is
//! an error, with a hint who can read it.

use serde::Serialize;

use crate::authz::{self, Action};
use crate::context::Context;
use crate::outbox::sync::Probe;
use crate::policy::{Bundle, testing};
use crate::store::{QueueState, Store};

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Status {
    pub online: bool,
    pub checks: Vec<Check>,
}

pub fn status(ctx: &Context) -> Status {
    let mut checks = Vec::new();
    let store = &ctx.store;
    checks.push(match store.schema_version() {
        Ok(v) => Check {
            name: "state",
            ok: v == Store::known_version(),
            detail: format!(
                "`{}`, schema {v} of {}",
                store.path().display(),
                Store::known_version()
            ),
        },
        Err(e) => Check {
            name: "state",
            ok: false,
            detail: e.to_string(),
        },
    });
    checks.push(match store.integrity_check() {
        Ok(problems) if problems.is_empty() => Check {
            name: "integrity",
            ok: true,
            detail: "SQLite integrity_check: ok".into(),
        },
        Ok(problems) => Check {
            name: "integrity",
            ok: false,
            detail: problems.join("; "),
        },
        Err(e) => Check {
            name: "integrity",
            ok: false,
            detail: e.to_string(),
        },
    });
    checks.push(match crate::audit::verify(&store.read()) {
        Ok(r) if r.ok => Check {
            name: "audit chain",
            ok: true,
            detail: format!(
                "{} events, head {}",
                r.events,
                r.head.unwrap_or_else(|| "-".into())
            ),
        },
        Ok(r) => Check {
            name: "audit chain",
            ok: false,
            detail: r.first_bad.map_or("broken".into(), |b| {
                format!("broken at event {}: {}", b.seq, b.problem)
            }),
        },
        Err(e) => Check {
            name: "audit chain",
            ok: false,
            detail: e.to_string(),
        },
    });
    checks.push(
        match Bundle::for_config(&ctx.config).and_then(testing::run) {
            Ok(r) => Check {
                name: "policies",
                ok: r.failed == 0,
                detail: format!(
                    "bundle {} ({}): {} passed, {} failed, {} skipped",
                    &r.bundle_sha256[..12],
                    r.bundle,
                    r.passed,
                    r.failed,
                    r.skipped
                ),
            },
            Err(e) => Check {
                name: "policies",
                ok: false,
                detail: e.to_string(),
            },
        },
    );
    // Informational: no signals run yet is not a fault.
    checks.push(match store.read().signals().summary() {
        Ok(s) => Check {
            name: "signals",
            ok: true,
            detail: format!(
                "{} branches mined, last {}; {} logs scanned, last {}; {} alerts",
                s.repos,
                s.last_mined.as_deref().unwrap_or("never"),
                s.logs,
                s.last_scanned.as_deref().unwrap_or("never"),
                s.alerts
            ),
        },
        Err(e) => Check {
            name: "signals",
            ok: false,
            detail: e.to_string(),
        },
    });
    let show_errors = authz::allows(ctx, Action::Sync, None);
    for (config, probe) in crate::ops::sync::probe(ctx) {
        let name = config.name.get_ref();
        let Probe { reachable, queue } = probe;
        checks.push(match queue {
            Ok(q) => Check {
                name: "adapter",
                ok: reachable.is_ok() && q.dead == 0,
                detail: format!(
                    "{name} ({}): {}; {} pending, {} dead; last success {}{}",
                    config.kind.name(),
                    match &reachable {
                        Ok(()) => "reachable".to_string(),
                        Err(e) if show_errors => format!("UNREACHABLE ({e})"),
                        Err(_) => "UNREACHABLE".to_string(),
                    },
                    q.pending,
                    q.dead,
                    q.last_success.as_deref().unwrap_or("never"),
                    errors(&q, reachable.is_err(), show_errors),
                ),
            },
            Err(e) => Check {
                name: "adapter",
                ok: false,
                detail: e.to_string(),
            },
        });
    }
    Status {
        online: checks.iter().all(|c| c.ok),
        checks,
    }
}

/// The end of an adapter's line: how many deliveries failed, then the last error, or where
/// its text can be read.
fn errors(q: &QueueState, unreachable: bool, show: bool) -> String {
    let mut out = match q.failed {
        0 => String::new(),
        1 => "; 1 failed delivery".to_string(),
        n => format!("; {n} failed deliveries"),
    };
    match &q.last_error {
        Some(e) if show => out.push_str(&format!("; last error {e}")),
        Some(_) => out.push_str(HIDDEN),
        None if unreachable && !show => out.push_str(HIDDEN),
        None => {}
    }
    out
}

/// What an actor who may not read adapter errors sees instead.
const HIDDEN: &str =
    "; error text shown to platform admins only (`maestro-cli status`, `maestro-cli sync:dead`)";
