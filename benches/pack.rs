//! Disclosure pack benchmark: `pack:export` + `pack:verify` of a tenant with 1,000,000 audit
//! events, against `tar czf` of the same files, in the same run (goal ≤ 1.5×).
//! `cargo bench --bench pack` (builds the state first: about a minute).
#![allow(clippy::print_stdout, clippy::unwrap_used)]

mod common;

use common::cli;

use std::process::Command;
use std::time::Instant;

use maestro_cli::audit::{self, NewEvent};
use maestro_cli::model::clock::Clock;
use maestro_cli::model::ids::{PrincipalId, TenantId};
use maestro_cli::store::{Store, StoreError};

const EVENTS: usize = 1_000_000;

fn main() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    cli(
        h,
        &[
            "tenant:create",
            "acme",
            "--regions",
            "eu-west-1",
            "--admin",
            "a@acme.example",
        ],
    );
    cli(h, &["pack:keygen", "--dir", "keys"]);
    let started = Instant::now();
    let mut store = Store::open(&h.join("state.db")).unwrap();
    let clock = Clock::Fixed("2026-11-25T10:00:00Z".parse().unwrap());
    let actor = PrincipalId::parse("ops@example.com").unwrap();
    let tenant = TenantId::parse("acme").unwrap();
    store
        .write(|db| -> Result<(), StoreError> {
            for i in 0..EVENTS {
                audit::append(
                    db,
                    &clock,
                    NewEvent {
                        actor: actor.clone(),
                        tenant_id: Some(tenant.clone()),
                        action: "bench.event",
                        target: format!("thing/{i}"),
                        details: serde_json::json!({"n": i, "note": "synthetic event for the pack benchmark"}),
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    println!(
        "setup: {EVENTS} audit events in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // A pack proves its events in a signed checkpoint of the log (#23).
    cli(h, &["audit:keygen", "--dir", "log-key"]);
    cli(h, &["audit:checkpoint", "--key", "log-key/maestro-log.key"]);
    let export = cli(
        h,
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "keys/maestro-pack.key",
            "--out",
            "acme.tar.gz",
        ],
    );
    let verify = cli(
        h,
        &[
            "pack:verify",
            "acme.tar.gz",
            "--pubkey",
            "keys/maestro-pack.pub",
        ],
    );
    cli(
        h,
        &[
            "pack:export",
            "--tenant",
            "acme",
            "--key",
            "keys/maestro-pack.key",
            "--dir",
            "acme-dir",
        ],
    );
    let start = Instant::now();
    let ok = Command::new("tar")
        .args(["czf", "plain.tar.gz", "-C", "acme-dir", "."])
        .current_dir(h)
        .status()
        .unwrap();
    let tar = start.elapsed();
    assert!(ok.success());
    let size = std::fs::metadata(h.join("acme.tar.gz")).unwrap().len();
    println!(
        "pack:export {:.2} s + pack:verify {:.2} s = {:.2} s; tar czf of the same files {:.2} s; ratio {:.2} (goal <= 1.5); pack {:.1} MB",
        export.as_secs_f64(),
        verify.as_secs_f64(),
        (export + verify).as_secs_f64(),
        tar.as_secs_f64(),
        (export + verify).as_secs_f64() / tar.as_secs_f64(),
        size as f64 / 1e6
    );
}
