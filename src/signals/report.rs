//! What the signals commands read: `signals:report` (stored commits grouped by day, ISO
//! week, repository, author or type) and `signals:alerts`, each over the tenants the actor
//! may see.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::SignalsError;
use super::detect::Level;
use crate::authz::{self, Action};
use crate::context::Context;
use crate::store::{AlertRow, ReportRow, SignalFilter};
use crate::tenant::TenantError;

/// A signals read: the tenant (default: every tenant the actor may see) and the days.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions<'a> {
    pub tenant: Option<&'a str>,
    /// `--since` (inclusive), `--until` (exclusive): dates such as `2026-11-01`.
    pub since: Option<&'a str>,
    pub until: Option<&'a str>,
}

/// The filter of `o` for `action`: the actor's scope first (a denial is recorded), then the
/// days.
fn filter(
    ctx: &mut Context,
    action: Action,
    o: &ReadOptions<'_>,
) -> Result<SignalFilter, SignalsError> {
    let day = |what: &'static str, value: Option<&str>| {
        value
            .map(|v| super::parse_day(what, v).map(|d| d.to_string()))
            .transpose()
    };
    Ok(SignalFilter {
        tenants: authz::read_scope(ctx, action, o.tenant)?,
        since: day("--since", o.since)?,
        until: day("--until", o.until)?,
    })
}

/// `signals:report`: the commits the actor may see, grouped `by`. (A store error is reported
/// as a tenant read reports it, with its `help:` line.)
pub fn report(
    ctx: &mut Context,
    o: &ReadOptions<'_>,
    by: GroupBy,
) -> Result<Vec<Group>, SignalsError> {
    let filter = filter(ctx, Action::SignalsRead, o)?;
    let rows = ctx
        .store
        .read()
        .signals()
        .report_rows(&filter)
        .map_err(TenantError::from)?;
    Ok(group(&rows, by))
}

/// `signals:alerts`: the alerts the actor may see, of `level` or above.
pub fn alerts(
    ctx: &mut Context,
    o: &ReadOptions<'_>,
    level: Option<Level>,
) -> Result<Vec<AlertRow>, SignalsError> {
    let filter = filter(ctx, Action::SignalsAlerts, o)?;
    let levels: Vec<&str> = match level {
        None => Vec::new(),
        Some(min) => Level::ALL
            .iter()
            .filter(|l| **l >= min)
            .map(|l| l.as_str())
            .collect(),
    };
    Ok(ctx
        .store
        .read()
        .signals()
        .alerts(&filter, &levels)
        .map_err(TenantError::from)?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// Commit date in UTC.
    Day,
    /// ISO 8601 week of the UTC commit date (`2026-W48`).
    Week,
    Repo,
    Author,
    /// Conventional-commit type.
    Type,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Group {
    pub key: String,
    pub commits: u64,
    /// Distinct author e-mail addresses.
    pub authors: u64,
    pub innovations: u64,
    /// Sums over the commits mined with `--stats` (`null` when none was).
    pub files: Option<i64>,
    pub insertions: Option<i64>,
    pub deletions: Option<i64>,
}

fn week_of(day: &str) -> String {
    match day.parse::<jiff::civil::Date>() {
        Ok(d) => {
            let w = d.iso_week_date();
            format!("{}-W{:02}", w.year(), w.week())
        }
        Err(_) => day.to_string(),
    }
}

/// Groups `rows` by `by`, in key order.
pub fn group(rows: &[ReportRow], by: GroupBy) -> Vec<Group> {
    #[derive(Default)]
    struct Acc<'a> {
        commits: u64,
        authors: BTreeSet<&'a str>,
        innovations: u64,
        stats: Option<(i64, i64, i64)>,
    }
    let mut groups: BTreeMap<String, Acc<'_>> = BTreeMap::new();
    for row in rows {
        let key = match by {
            GroupBy::Day => row.day.clone(),
            GroupBy::Week => week_of(&row.day),
            GroupBy::Repo => row.repo.clone(),
            GroupBy::Author => row.author_email.clone(),
            GroupBy::Type => row.kind.clone(),
        };
        let acc = groups.entry(key).or_default();
        acc.commits += 1;
        acc.authors.insert(&row.author_email);
        acc.innovations += u64::from(row.innovation);
        if let Some((f, i, d)) = row.stats {
            let (sf, si, sd) = acc.stats.unwrap_or_default();
            acc.stats = Some((sf + f, si + i, sd + d));
        }
    }
    groups
        .into_iter()
        .map(|(key, acc)| Group {
            key,
            commits: acc.commits,
            authors: acc.authors.len() as u64,
            innovations: acc.innovations,
            files: acc.stats.map(|s| s.0),
            insertions: acc.stats.map(|s| s.1),
            deletions: acc.stats.map(|s| s.2),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(day: &str, author: &str, kind: &str) -> ReportRow {
        ReportRow {
            day: day.into(),
            repo: "/r".into(),
            author_email: author.into(),
            kind: kind.into(),
            innovation: kind == "feat",
            stats: None,
        }
    }

    #[test]
    fn groups_count_commits_and_distinct_authors() {
        let rows = vec![
            row("2026-11-23", "a@x", "feat"),
            row("2026-11-23", "a@x", "fix"),
            row("2026-11-24", "b@x", "fix"),
            row("2026-11-30", "b@x", "docs"),
        ];
        let by_day = group(&rows, GroupBy::Day);
        assert_eq!(by_day.len(), 3);
        assert_eq!(
            (by_day[0].commits, by_day[0].authors, by_day[0].innovations),
            (2, 1, 1)
        );
        let by_week = group(&rows, GroupBy::Week);
        let keys: Vec<&str> = by_week.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["2026-W48", "2026-W49"]);
        assert_eq!((by_week[0].commits, by_week[0].authors), (3, 2));
        assert_eq!(group(&rows, GroupBy::Type).len(), 3);
        assert_eq!(by_day[0].files, None);
    }
}
