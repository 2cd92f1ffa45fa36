//! Audit log benchmark (#23): appending 1,000,000 events, each hash-chained and added to the
//! log's Merkle tree, in transactions of 10,000 (goal: ≤ 1.2 × the hash chain alone, measured
//! by the same loop built at the commit before the tree, see BENCHMARKS.md); then an inclusion
//! proof of the first event and a consistency proof from half the log, each from the tiles
//! (goal ≤ 5 ms). Then a pack of 100,000 events of one tenant, in runs of 10 between runs of
//! another tenant's (the multi-proof's worst realistic shape): what the proof adds to the
//! pack (goal ≤ 10 %) and `pack:verify` of it (goal ≤ 2 s).
//! `cargo bench --bench audit`; `MAESTRO_BENCH_EVENTS` for another count.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::Instant;

use maestro_cli::audit::{self, NewEvent, tree};
use maestro_cli::model::clock::Clock;
use maestro_cli::model::ids::{PrincipalId, TenantId};
use maestro_cli::model::merkle;
use maestro_cli::store::{Store, StoreError};

fn cli(home: &Path, args: &[&str]) -> f64 {
    common::cli(home, args).as_secs_f64()
}

/// A pack of 100,000 events of acme, in runs of 10 between runs of globex's.
fn pack_of_100k() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    for (t, r) in [("acme", "eu-west-1"), ("globex", "us-east-1")] {
        let admin = format!("a@{t}.example");
        cli(h, &["tenant:create", t, "--regions", r, "--admin", &admin]);
    }
    let mut store = Store::open(&h.join("state.db")).unwrap();
    let clock = Clock::Fixed("2026-11-25T10:00:00Z".parse().unwrap());
    let actor = PrincipalId::parse("ops@example.com").unwrap();
    let (acme, globex) = (
        TenantId::parse("acme").unwrap(),
        TenantId::parse("globex").unwrap(),
    );
    store
        .write(|db| -> Result<(), StoreError> {
            for i in 0..20_000 {
                let tenant = if (i / 10) % 2 == 0 { &acme } else { &globex };
                for j in 0..10 {
                    audit::append(
                        db,
                        &clock,
                        NewEvent {
                            actor: actor.clone(),
                            tenant_id: Some(tenant.clone()),
                            action: "bench.event",
                            target: format!("thing/{i}/{j}"),
                            details: serde_json::json!({"n": i, "j": j, "note": "synthetic event"}),
                        },
                    )?;
                }
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    cli(h, &["pack:keygen", "--dir", "keys"]);
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
    let mut best = f64::MAX;
    for _ in 0..3 {
        best = best.min(cli(
            h,
            &[
                "pack:verify",
                "acme.tar.gz",
                "--pubkey",
                "keys/maestro-pack.pub",
                "--log-pubkey",
                "log-key/maestro-log.pub",
            ],
        ));
    }
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
    let size = std::fs::metadata(h.join("acme.tar.gz")).unwrap().len() as f64;
    let proof = std::fs::metadata(h.join("acme-dir/audit/checkpoint-proof.bin"))
        .unwrap()
        .len() as f64;
    let events = std::fs::metadata(h.join("acme-dir/audit/events.jsonl"))
        .unwrap()
        .len() as f64;
    println!(
        "pack of 100,000 events in runs of 10: {:.2} MB; the multi-proof {:.2} MB = {:.1} % of the pack ({:.1} % of the events' {:.1} MB unpacked); export {:.2} s, pack:verify {:.2} s (best of 3)",
        size / 1e6,
        proof / 1e6,
        100.0 * proof / size,
        100.0 * proof / events,
        events / 1e6,
        export,
        best
    );
}

fn main() {
    if std::env::var_os("MAESTRO_BENCH_PACK_ONLY").is_some() {
        return pack_of_100k();
    }
    let events: usize = std::env::var("MAESTRO_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let home = tempfile::tempdir().unwrap();
    let mut store = Store::open(&home.path().join("state.db")).unwrap();
    let clock = Clock::Fixed("2026-11-25T10:00:00Z".parse().unwrap());
    let actor = PrincipalId::parse("ops@example.com").unwrap();
    let tenant = TenantId::parse("acme").unwrap();
    let started = Instant::now();
    for batch in 0..events.div_ceil(10_000) {
        store
            .write(|db| -> Result<(), StoreError> {
                for i in batch * 10_000..((batch + 1) * 10_000).min(events) {
                    audit::append(
                        db,
                        &clock,
                        NewEvent {
                            actor: actor.clone(),
                            tenant_id: Some(tenant.clone()),
                            action: "bench.event",
                            target: format!("thing/{i}"),
                            details: serde_json::json!({"n": i, "note": "synthetic event"}),
                        },
                    )?;
                }
                Ok(())
            })
            .unwrap();
    }
    let append = started.elapsed();
    println!(
        "append: {events} events in {:.2} s ({:.0} events/s)",
        append.as_secs_f64(),
        events as f64 / append.as_secs_f64()
    );
    let db = store.read();
    let n = events as u64;
    let root = tree::frontier(&db, events as i64).unwrap().root();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let proof = merkle::inclusion_proof(&mut tree::source(&db), 0, n).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        let leaf = tree::perfect(&db, 0, 0).unwrap();
        assert!(merkle::verify_inclusion(0, n, &leaf, &proof, &root));
    }
    println!(
        "inclusion proof of event 1 of {events}: {:.2} ms (best of 5)",
        best * 1e3
    );
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let old = merkle::range_hash(&mut tree::source(&db), 0, n / 2 + 1).unwrap();
        let proof = merkle::consistency_proof(&mut tree::source(&db), n / 2 + 1, n).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        assert!(merkle::verify_consistency(
            n / 2 + 1,
            n,
            &old,
            &root,
            &proof
        ));
    }
    println!(
        "consistency proof from {} to {events} events (with the old root): {:.2} ms (best of 5)",
        n / 2 + 1,
        best * 1e3
    );
    drop(store);
    pack_of_100k();
}
