use super::*;

/// A valid template with a param of each kind of check; the tests of each part use it.
pub(super) const OK: &str = "name: demo
params:
  env: { type: string, default: dev, pattern: 'dev|prod' }
  n: { type: int, required: true }
steps:
  - id: a
    uses: noop
  - id: b
    uses: shell
    needs: [a]
    with: { run: 'echo hi' }
    outputs: [version]
  - id: c
    uses: noop
    needs: [b]
    if: steps.b.outputs.version != '' && params.env == 'prod'
    retry: { max: 3, backoff: { initial: 10ms } }
    timeout: 5s
";

#[test]
fn durations() {
    assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
    assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
    assert_eq!(parse_duration("3").unwrap(), Duration::from_secs(3));
    assert_eq!(parse_duration("0.5").unwrap(), Duration::from_millis(500));
    assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
    assert_eq!(
        parse_duration("2 hours").unwrap(),
        Duration::from_secs(7200)
    );
    assert_eq!(parse_duration("PT5M").unwrap(), Duration::from_secs(300));
    assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
    assert!(parse_duration("soon").is_err());
    assert!(parse_duration("9999h").is_err());
    assert!(parse_duration("-5s").is_err());
    assert!(parse_duration("").is_err());
}

#[test]
fn backoff_grows_and_caps() {
    let r = RetryPolicy {
        max_attempts: 5,
        initial: Duration::from_secs(1),
        factor: 2.0,
        max_delay: Duration::from_secs(3),
        on: vec![],
    };
    assert_eq!(r.delay_before(2), Duration::from_secs(1));
    assert_eq!(r.delay_before(3), Duration::from_secs(2));
    assert_eq!(r.delay_before(4), Duration::from_secs(3));
}

mod arbitrary;
mod roundtrip;
