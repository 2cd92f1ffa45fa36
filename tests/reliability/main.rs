//! The reliability battery: the release binary's promises under faults, each case printing
//! one line with its figure. Quick tier (CI, `cargo test --test reliability`): a few rounds of
//! each case. Long tier: `MAESTRO_RELIABILITY=long cargo test --release --test reliability`
//! (200 kill rounds a case).
//!
//! - `kill`: SIGKILL at random points of `flow:run`, `cost:ingest`, `signals:mine`,
//!   `pack:export`: no partial result is ever visible, the rerun or resume completes with the
//!   result of a clean run, no step that succeeded runs again, two attempts of one step never
//!   overlap, the audit chain verifies;
//! - `limits`: a full disk (a tiny tmpfs in a user and mount namespace), `ulimit -f`, a
//!   read-only state, during each writing command;
//! - `archives`: crafted archives for `pack:verify` under `ulimit -v 256 MiB`;
//! - `together`: concurrent writers, closed pipes;
//! - `canary`: `sync` killed at random loses no outbox row; another tenant's marker and an
//!   adapter's secret searched in every output, file, pack and pushed payload.
//!
//! Where the kill lands is random (a fixed seed, so a failure replays); what is checked never
//! depends on timing.
// A test runner: it prints its figures, and a broken promise panics.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

#[path = "../it/support.rs"]
#[allow(dead_code)]
mod support;

#[path = "../it/http_mock.rs"]
#[allow(dead_code)]
mod http_mock;

mod archives;
mod canary;
mod common;
mod kill;
mod limits;
mod together;

use std::time::Instant;

use common::Tier;

type Case = fn(&Tier) -> String;

fn main() {
    let tier = Tier::from_env();
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let cases: &[(&str, Case)] = &[
        ("kill flow:run", kill::flow_run),
        ("kill cost:ingest", kill::cost_ingest),
        ("kill signals:mine", kill::signals_mine),
        ("kill pack:export", kill::pack_export),
        ("kill sync", canary::sync_killed),
        ("crafted archives", archives::crafted),
        ("disk full", limits::disk_full),
        ("ulimit -f", limits::file_size_limit),
        ("read-only state", limits::read_only),
        ("concurrent writers", together::concurrent_writers),
        ("closed pipes", together::closed_pipes),
        ("cross-tenant canary", canary::cross_tenant),
        ("secret canary", canary::secret),
    ];
    println!("reliability battery, {} tier", tier.name);
    for (name, case) in cases {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let started = Instant::now();
        let figure = case(&tier);
        println!(
            "{name:<20} {figure} ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
    }
}
