//! Audit log benchmark (#23): appending 1,000,000 events, each hash-chained and added to the
//! log's Merkle tree, in transactions of 10,000 (goal: ≤ 1.2 × the hash chain alone, measured
//! by the same loop built at the commit before the tree, see BENCHMARKS.md); then an inclusion
//! proof of the first event and a consistency proof from half the log, each from the tiles
//! (goal ≤ 5 ms). `cargo bench --bench audit`; `MAESTRO_BENCH_EVENTS` for another count.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::Instant;

use maestro_cli::audit::{self, NewEvent, tree};
use maestro_cli::model::clock::Clock;
use maestro_cli::model::ids::{PrincipalId, TenantId};
use maestro_cli::model::merkle;
use maestro_cli::store::{Store, StoreError};

fn main() {
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
}
