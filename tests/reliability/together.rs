//! Many writers at once, and readers whose pipe is closed.

use std::process::Stdio;

use crate::common::Tier;
use crate::support::{ADMIN, Sandbox};

/// 8 creates of distinct tenants and 8 of the same one, all at once: every distinct one is
/// made, exactly one of the same id wins, the others say the tenant exists; no lock error.
pub fn concurrent_writers(tier: &Tier) -> String {
    let s = Sandbox::initialised();
    let rounds = if tier.name == "long" { 10 } else { 1 };
    let mut lock_errors = 0;
    for round in 0..rounds {
        let spawn = |id: String| {
            s.std_cmd(Some(ADMIN))
                .args([
                    "tenant:create",
                    &id,
                    "--regions",
                    "eu-west-1",
                    "--admin",
                    "a@x.example",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        };
        let distinct: Vec<_> = (0..8).map(|i| spawn(format!("d{round}-{i}"))).collect();
        let same: Vec<_> = (0..8).map(|_| spawn(format!("same{round}"))).collect();
        let finish = |c: std::process::Child| {
            let out = c.wait_with_output().expect("wait");
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        };
        for (code, stderr) in distinct.into_iter().map(finish) {
            lock_errors += usize::from(stderr.contains("locked") || stderr.contains("busy"));
            assert_eq!(code, Some(0), "{stderr}");
        }
        let same: Vec<_> = same.into_iter().map(finish).collect();
        lock_errors += same
            .iter()
            .filter(|(_, e)| e.contains("locked") || e.contains("busy"))
            .count();
        let winners = same.iter().filter(|(code, _)| *code == Some(0)).count();
        assert_eq!(winners, 1, "{same:?}");
        for (code, stderr) in same.iter().filter(|(code, _)| *code != Some(0)) {
            assert_eq!(*code, Some(1), "{stderr}");
            assert!(
                stderr.contains("already exists") || stderr.contains("meanwhile"),
                "{stderr}"
            );
        }
    }
    assert_eq!(lock_errors, 0);
    let report = s.json(ADMIN, &["audit:verify"]);
    assert_eq!(report["ok"], true);
    format!(
        "{} writers, {lock_errors} lock errors, one winner per contested id",
        rounds * 16
    )
}

/// Readers whose stdout is a pipe nobody reads (`| head -0`): exit 0, nothing on stderr.
pub fn closed_pipes(_: &Tier) -> String {
    let s = Sandbox::initialised();
    s.create("acme", "eu-west-1", "alice@acme.example");
    for i in 0..30 {
        s.ok(
            ADMIN,
            &["tenant:update", "acme", "--name", &format!("Acme {i}")],
        );
    }
    let readers: [&[&str]; 5] = [
        &["tenant:list"],
        &["audit:log"],
        &["audit:log", "--output", "json"],
        &["policy:log", "--output", "csv"],
        &["flow:runs"],
    ];
    for args in readers {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = s
            .std_cmd(Some(ADMIN))
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("run");
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).as_ref()
            ),
            (Some(0), ""),
            "{args:?}"
        );
    }
    format!(
        "{} readers on a closed pipe, all exit 0 and silent",
        readers.len()
    )
}
