//! Eight processes creating tenants at once: nothing lost, nothing locked, chain intact.

use std::thread;

use crate::support::{ADMIN, Sandbox};

#[test]
fn eight_processes_create_fifty_tenants_each() {
    let s = Sandbox::initialised();
    let failures: Vec<String> = thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|p| {
                let s = &s;
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for i in 0..50 {
                        let id = format!("t{p}-{i}");
                        let out = s.run(
                            ADMIN,
                            &[
                                "--quiet",
                                "tenant:create",
                                &id,
                                "--regions",
                                "eu-west-1",
                                "--admin",
                                "a@b.example",
                            ],
                        );
                        if out.code != 0 {
                            failures.push(format!("{id}: {}", out.stderr));
                        }
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        failures.first()
    );
    let tenants: i64 = s
        .db()
        .query_row("SELECT count(*) FROM tenants", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tenants, 400);
    let events: i64 = s
        .db()
        .query_row(
            "SELECT count(*) FROM audit_events WHERE action = 'tenant.create'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(events, 400);
    let report = s.json(ADMIN, &["audit:verify"]);
    assert_eq!(report["ok"], true);
    assert_eq!(report["events"], s.all_audit_actions().len());
    let runs: i64 = s
        .db()
        .query_row(
            "SELECT count(*) FROM flow_runs WHERE flow = 'new-tenant' AND status = 'succeeded'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        runs, 400,
        "every tenant:create is a run of the new-tenant flow"
    );
}
