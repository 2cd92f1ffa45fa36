//! Queries on the signal tables: mined repositories and commits, scanned log files, alerts.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Db, StoreError, tenants_json};
use crate::model::ids::TenantId;

pub struct SignalRows<'a> {
    pub(super) db: &'a Db<'a>,
}

/// A mined branch of a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoRow {
    pub id: i64,
    pub path: String,
    pub branch: String,
    pub tenant_id: Option<String>,
    pub tip: Option<String>,
}

/// A commit as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitRow {
    pub oid: String,
    pub day: String,
    pub committed_at: String,
    pub author_name: String,
    pub author_email: String,
    pub kind: String,
    pub innovation: bool,
    /// `(files, insertions, deletions)` when mined with `--stats`.
    pub stats: Option<(i64, i64, i64)>,
    pub subject: String,
}

/// The columns `signals:report` groups by.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub day: String,
    pub repo: String,
    pub author_email: String,
    pub kind: String,
    pub innovation: bool,
    pub stats: Option<(i64, i64, i64)>,
}

/// Which commits or alerts to read.
#[derive(Debug, Clone, Default)]
pub struct SignalFilter {
    /// `None`: every row (platform admin); otherwise only these tenants' rows.
    pub tenants: Option<Vec<TenantId>>,
    /// Inclusive lower bound on the day (commits) or time (alerts).
    pub since: Option<String>,
    /// Exclusive upper bound.
    pub until: Option<String>,
}

/// What `status` says of signals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalSummary {
    pub repos: i64,
    pub last_mined: Option<String>,
    pub logs: i64,
    pub last_scanned: Option<String>,
    pub alerts: i64,
}

/// A scanned log file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSource {
    pub id: i64,
    pub offset: u64,
    pub lines: u64,
}

/// An alert, as stored and as `signals:alerts --output json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AlertRow {
    pub rule: String,
    pub level: String,
    pub title: String,
    /// The log's own time, as logged (host-local), with the year it was given.
    pub at: String,
    pub host: String,
    pub program: String,
    pub pid: Option<i64>,
    pub user: Option<String>,
    pub src_ip: Option<String>,
    pub count: i64,
    pub tenant_id: Option<String>,
    pub file: String,
    pub line: i64,
    pub raw: String,
}

impl SignalRows<'_> {
    pub fn repo(&self, path: &str, branch: &str) -> Result<Option<RepoRow>, StoreError> {
        self.db
            .conn
            .query_row(
                "SELECT id, path, branch, tenant_id, tip FROM signal_repos
                  WHERE path = ?1 AND branch = ?2",
                params![path, branch],
                |r| {
                    Ok(RepoRow {
                        id: r.get(0)?,
                        path: r.get(1)?,
                        branch: r.get(2)?,
                        tenant_id: r.get(3)?,
                        tip: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.db.err(e))
    }

    /// The owner recorded for any branch of the repository at `path`.
    pub fn repo_owner(&self, path: &str) -> Result<Option<Option<String>>, StoreError> {
        self.db
            .conn
            .query_row(
                "SELECT tenant_id FROM signal_repos WHERE path = ?1 LIMIT 1",
                params![path],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.db.err(e))
    }

    pub fn insert_repo(
        &self,
        path: &str,
        branch: &str,
        tenant: Option<&TenantId>,
    ) -> Result<i64, StoreError> {
        self.db
            .conn
            .execute(
                "INSERT INTO signal_repos (path, branch, tenant_id) VALUES (?1, ?2, ?3)",
                params![path, branch, tenant.map(TenantId::as_str)],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(self.db.conn.last_insert_rowid())
    }

    /// The last mined tips of the repository's other branches.
    pub fn other_tips(&self, path: &str, except: i64) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare(
                "SELECT tip FROM signal_repos WHERE path = ?1 AND id != ?2 AND tip IS NOT NULL",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![path, except], |r| r.get(0))
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }

    pub fn set_tip(&self, repo_id: i64, tip: &str, at: &str) -> Result<(), StoreError> {
        self.db
            .conn
            .execute(
                "UPDATE signal_repos SET tip = ?2, mined_at = ?3 WHERE id = ?1",
                params![repo_id, tip, at],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    /// Stores a commit unless the scope already has it; returns whether it was new.
    pub fn insert_commit(
        &self,
        tenant: Option<&TenantId>,
        repo_id: i64,
        c: &CommitRow,
    ) -> Result<bool, StoreError> {
        let (files, ins, del) = match c.stats {
            Some((f, i, d)) => (Some(f), Some(i), Some(d)),
            None => (None, None, None),
        };
        let tenant = tenant.map(TenantId::as_str);
        let n = self
            .db
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO signal_commits (scope, oid, tenant_id, repo_id, day,
                     committed_at, author_name, author_email, kind, innovation, files, insertions,
                     deletions, subject)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    tenant.unwrap_or(""),
                    c.oid,
                    tenant,
                    repo_id,
                    c.day,
                    c.committed_at,
                    c.author_name,
                    c.author_email,
                    c.kind,
                    c.innovation,
                    files,
                    ins,
                    del,
                    c.subject
                ])
            })
            .map_err(|e| self.db.err(e))?;
        Ok(n == 1)
    }

    /// Removes commits first mined from `repo_id` that a rewritten history dropped; returns
    /// how many were removed.
    pub fn delete_commits(
        &self,
        tenant: Option<&TenantId>,
        repo_id: i64,
        oids: &[String],
    ) -> Result<usize, StoreError> {
        let scope = tenant.map_or("", TenantId::as_str);
        let mut removed = 0;
        for oid in oids {
            removed += self
                .db
                .conn
                .prepare_cached(
                    "DELETE FROM signal_commits WHERE scope = ?1 AND oid = ?2 AND repo_id = ?3",
                )
                .and_then(|mut st| st.execute(params![scope, oid, repo_id]))
                .map_err(|e| self.db.err(e))?;
        }
        Ok(removed)
    }

    /// Ids of the commits first mined from `repo_id`.
    pub fn commit_oids(&self, repo_id: i64) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare("SELECT oid FROM signal_commits WHERE repo_id = ?1")
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![repo_id], |r| r.get(0))
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }

    /// Per day, the commits first mined from `repo_id` and their distinct authors.
    pub fn daily_counts(&self, repo_id: i64) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare_cached(
                "SELECT day, count(*), count(DISTINCT author_email) FROM signal_commits
                  WHERE repo_id = ?1 GROUP BY day ORDER BY day",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(params![repo_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }

    /// The commits in `filter`, with the columns reports group by.
    pub fn report_rows(&self, filter: &SignalFilter) -> Result<Vec<ReportRow>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare(
                "SELECT c.day, r.path, c.author_email, c.kind, c.innovation, c.files,
                        c.insertions, c.deletions
                   FROM signal_commits c JOIN signal_repos r ON r.id = c.repo_id
                  WHERE (?1 IS NULL OR c.tenant_id IN (SELECT value FROM json_each(?1)))
                    AND (?2 IS NULL OR c.day >= ?2)
                    AND (?3 IS NULL OR c.day < ?3)
                  ORDER BY c.day",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(
                params![tenants_json(&filter.tenants), filter.since, filter.until],
                |r| {
                    let files: Option<i64> = r.get(5)?;
                    Ok(ReportRow {
                        day: r.get(0)?,
                        repo: r.get(1)?,
                        author_email: r.get(2)?,
                        kind: r.get(3)?,
                        innovation: r.get(4)?,
                        stats: match files {
                            Some(f) => Some((f, r.get(6)?, r.get(7)?)),
                            None => None,
                        },
                    })
                },
            )
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }

    /// For `status`: mined branches and when the last was mined; scanned files and when the
    /// last was scanned; alerts stored.
    pub fn summary(&self) -> Result<SignalSummary, StoreError> {
        self.db
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM signal_repos), (SELECT max(mined_at) FROM signal_repos),
                        (SELECT count(*) FROM signal_log_sources),
                        (SELECT max(scanned_at) FROM signal_log_sources),
                        (SELECT count(*) FROM signal_alerts)",
                [],
                |r| {
                    Ok(SignalSummary {
                        repos: r.get(0)?,
                        last_mined: r.get(1)?,
                        logs: r.get(2)?,
                        last_scanned: r.get(3)?,
                        alerts: r.get(4)?,
                    })
                },
            )
            .map_err(|e| self.db.err(e))
    }

    pub fn log_source(&self, head: &str) -> Result<Option<LogSource>, StoreError> {
        self.db
            .conn
            .query_row(
                "SELECT id, offset, lines FROM signal_log_sources WHERE head = ?1",
                params![head],
                |r| {
                    Ok(LogSource {
                        id: r.get(0)?,
                        offset: r.get::<_, i64>(1)?.max(0) as u64,
                        lines: r.get::<_, i64>(2)?.max(0) as u64,
                    })
                },
            )
            .optional()
            .map_err(|e| self.db.err(e))
    }

    /// Records how far the file known by `head` has been scanned; returns its id.
    pub fn save_log_source(
        &self,
        head: &str,
        path: &str,
        offset: u64,
        lines: u64,
        at: &str,
    ) -> Result<i64, StoreError> {
        self.db
            .conn
            .execute(
                "INSERT INTO signal_log_sources (head, path, offset, lines, scanned_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (head) DO UPDATE SET path = ?2, offset = ?3, lines = ?4,
                     scanned_at = ?5",
                params![head, path, offset as i64, lines as i64, at],
            )
            .map_err(|e| self.db.err(e))?;
        self.db
            .conn
            .query_row(
                "SELECT id FROM signal_log_sources WHERE head = ?1",
                params![head],
                |r| r.get(0),
            )
            .map_err(|e| self.db.err(e))
    }

    /// `(host, key)` pairs known to log a rule's primary form (see `signals::logs`).
    pub fn marked_hosts(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self
            .db
            .conn
            .prepare("SELECT host, rule FROM signal_log_hosts")
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }

    pub fn mark_host(&self, host: &str, rule: &str) -> Result<(), StoreError> {
        self.db
            .conn
            .execute(
                "INSERT OR IGNORE INTO signal_log_hosts (host, rule) VALUES (?1, ?2)",
                params![host, rule],
            )
            .map_err(|e| self.db.err(e))?;
        Ok(())
    }

    /// Stores an alert unless that line already raised it; returns whether it was new.
    pub fn insert_alert(&self, source_id: i64, a: &AlertRow) -> Result<bool, StoreError> {
        let n = self
            .db
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO signal_alerts (source_id, line, rule, level, title, at, host,
                     program, pid, user, src_ip, count, tenant_id, raw)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    source_id,
                    a.line,
                    a.rule,
                    a.level,
                    a.title,
                    a.at,
                    a.host,
                    a.program,
                    a.pid,
                    a.user,
                    a.src_ip,
                    a.count,
                    a.tenant_id,
                    a.raw
                ])
            })
            .map_err(|e| self.db.err(e))?;
        Ok(n == 1)
    }

    /// Alerts in `filter` at or above the levels given (all when empty), oldest first.
    pub fn alerts(
        &self,
        filter: &SignalFilter,
        levels: &[&str],
    ) -> Result<Vec<AlertRow>, StoreError> {
        let levels = serde_json::Value::from(levels.to_vec()).to_string();
        let mut stmt = self
            .db
            .conn
            .prepare(
                "SELECT a.rule, a.level, a.title, a.at, a.host, a.program, a.pid, a.user, a.src_ip,
                        a.count, a.tenant_id, s.path, a.line, a.raw
                   FROM signal_alerts a JOIN signal_log_sources s ON s.id = a.source_id
                  WHERE (?1 IS NULL OR a.tenant_id IN (SELECT value FROM json_each(?1)))
                    AND (?2 IS NULL OR a.at >= ?2)
                    AND (?3 IS NULL OR a.at < ?3)
                    AND (?4 = '[]' OR a.level IN (SELECT value FROM json_each(?4)))
                  ORDER BY a.at, a.id",
            )
            .map_err(|e| self.db.err(e))?;
        let rows = stmt
            .query_map(
                params![
                    tenants_json(&filter.tenants),
                    filter.since,
                    filter.until,
                    levels
                ],
                |r| {
                    Ok(AlertRow {
                        rule: r.get(0)?,
                        level: r.get(1)?,
                        title: r.get(2)?,
                        at: r.get(3)?,
                        host: r.get(4)?,
                        program: r.get(5)?,
                        pid: r.get(6)?,
                        user: r.get(7)?,
                        src_ip: r.get(8)?,
                        count: r.get(9)?,
                        tenant_id: r.get(10)?,
                        file: r.get(11)?,
                        line: r.get(12)?,
                        raw: r.get(13)?,
                    })
                },
            )
            .map_err(|e| self.db.err(e))?;
        rows.map(|r| r.map_err(|e| self.db.err(e))).collect()
    }
}
