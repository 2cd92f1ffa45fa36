//! The plan of a batch, table by table: each case is the rows' attempts so far, what the
//! backend answered, and where each row goes.

use std::time::Duration;

use super::*;

const NOW: &str = "2026-11-25T10:00:00Z";

fn rows(attempts: &[i64]) -> Vec<OutboxRow> {
    attempts
        .iter()
        .enumerate()
        .map(|(i, &attempts)| OutboxRow {
            id: i as i64 + 1,
            kind: "audit".into(),
            tenant_id: None,
            idem_key: format!("audit:{}", i + 1),
            payload: "{}".into(),
            created_at: NOW.into(),
            attempts,
        })
        .collect()
}

fn at(seconds: i64) -> Next {
    let now: Timestamp = NOW.parse().unwrap();
    Next::Retry(format_rfc3339(
        now.checked_add(SignedDuration::from_secs(seconds)).unwrap(),
    ))
}

/// `(next, attempts)` of each row.
fn run(
    attempts: &[i64],
    results: Vec<Result<(), Failure>>,
    max_attempts: u32,
) -> (Vec<(Next, i64)>, Plan) {
    let plan = plan(
        &rows(attempts),
        &results,
        NOW.parse().unwrap(),
        max_attempts,
    );
    let got = plan
        .transitions
        .iter()
        .map(|t| (t.next.clone(), t.attempts))
        .collect();
    (got, plan)
}

#[test]
fn delivered_rows_are_done() {
    let (got, plan) = run(&[0, 2], vec![Ok(()), Ok(())], 5);
    assert_eq!(got, [(Next::Done, 1), (Next::Done, 3)]);
    assert_eq!((plan.delivered, plan.retrying, plan.dead), (2, 0, 0));
    assert!(!plan.blocked());
    assert_eq!(plan.last_error, None);
}

#[test]
fn a_failed_row_waits_its_backoff_and_the_rest_wait_behind_it() {
    let (got, plan) = run(
        &[3, 0, 1],
        vec![
            Err(Failure::retry("connection refused")),
            Err(Failure::waiting()),
            Err(Failure::waiting()),
        ],
        5,
    );
    // 1 s doubling: the fourth attempt waits 8 s; rows behind it were not tried.
    assert_eq!(got, [(at(8), 4), (at(8), 0), (at(8), 1)]);
    assert_eq!((plan.delivered, plan.retrying, plan.dead), (0, 3, 0));
    assert!(plan.blocked());
    assert_eq!(plan.last_error.as_deref(), Some("connection refused"));
}

#[test]
fn backoff_doubles_up_to_five_minutes() {
    for (attempts, seconds) in [(0, 1), (1, 2), (3, 8), (8, 256), (9, 300), (20, 300)] {
        let (got, _) = run(&[attempts], vec![Err(Failure::retry("down"))], 50);
        assert_eq!(
            got,
            [(at(seconds), attempts + 1)],
            "after {attempts} attempts"
        );
    }
}

#[test]
fn retry_after_is_honoured_when_longer_than_the_backoff() {
    let with = |secs| Failure {
        retry_after: Some(Duration::from_secs(secs)),
        ..Failure::retry("429 Too Many Requests")
    };
    let (got, _) = run(&[0], vec![Err(with(120))], 5);
    assert_eq!(got, [(at(120), 1)]);
    let (got, _) = run(&[4], vec![Err(with(3))], 5);
    assert_eq!(got, [(at(16), 5)], "the backoff is the floor");
}

#[test]
fn a_refused_row_is_retried_until_max_attempts_then_dead() {
    let (got, plan) = run(&[0], vec![Err(Failure::permanent("400 Bad Request"))], 3);
    assert_eq!(got, [(at(1), 1)]);
    assert!(plan.blocked());
    let (got, plan) = run(&[2], vec![Err(Failure::permanent("400 Bad Request"))], 3);
    assert_eq!(got, [(Next::Dead, 3)]);
    assert_eq!((plan.retrying, plan.dead), (0, 1));
    assert!(!plan.blocked(), "a dead row does not stop the run");
    assert_eq!(plan.last_error.as_deref(), Some("400 Bad Request"));
}

#[test]
fn a_poison_row_goes_to_the_dead_letter_and_the_rest_flow() {
    let mut poison = rows(&[0, 0]);
    poison[0].payload = "not json".into();
    let parsed: Result<serde_json::Value, Failure> = super::super::parse(&poison[0]);
    let failure = parsed.unwrap_err();
    assert!(failure.permanent);
    assert!(
        failure
            .message
            .starts_with("outbox row 1 (audit) is not valid:")
    );
    let plan = plan(&poison, &[Err(failure), Ok(())], NOW.parse().unwrap(), 1);
    let got: Vec<_> = plan.transitions.iter().map(|t| &t.next).collect();
    assert_eq!(got, [&Next::Dead, &Next::Done]);
    assert_eq!((plan.delivered, plan.dead), (1, 1));
    assert_eq!(plan.transitions[0].error, plan.last_error);
}
