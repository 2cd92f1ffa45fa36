//! `signals:report`: stored commits grouped by day, ISO week, repository, author or type.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::store::ReportRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
