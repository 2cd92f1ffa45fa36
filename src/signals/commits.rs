//! Walking a repository's history with libgit2 (git2): which commits are new since the last
//! mined tip, and what each one is. Pure with respect to the store: reads git, returns rows.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use git2::{DiffOptions, ErrorCode, Oid, Repository, RepositoryOpenFlags, Sort};

use super::SignalsError;
use super::classify::Classifier;
use crate::store::CommitRow;

/// Blobs larger than this are counted as binary in `--stats` (no line counts): a cap on the
/// work one tree can cost.
const MAX_DIFF_BLOB: i64 = 1 << 20;

/// An opened repository and the branch to mine.
pub struct Opened {
    pub repo: Repository,
    /// Canonical path of the working tree.
    pub path: String,
    /// Full ref name (`refs/heads/main`), or `HEAD` when detached.
    pub branch: String,
    pub tip: Oid,
}

/// Opens `path` (exactly: no search upwards) and resolves `branch` (default: HEAD).
/// Refuses what cannot be mined correctly: not a repository, bare, shallow, empty.
pub fn open(path: &Path, branch: Option<&str>) -> Result<Opened, SignalsError> {
    let shown = path.display().to_string();
    let fail = |detail: String| SignalsError::Repo {
        path: shown.clone(),
        detail,
    };
    if !path.exists() {
        return Err(fail("does not exist".into()));
    }
    let repo = Repository::open_ext(path, RepositoryOpenFlags::NO_SEARCH, &[] as &[&Path])
        .map_err(|e| match e.code() {
            ErrorCode::NotFound => fail("not a git repository".into()),
            _ => fail(e.message().to_string()),
        })?;
    if repo.is_bare() {
        return Err(fail(
            "is a bare repository: signals:mine reads a working clone (`git clone PATH DIR`)"
                .into(),
        ));
    }
    if repo.is_shallow() {
        return Err(fail(
            "is a shallow clone: its history is cut, so counts would be wrong (`git fetch --unshallow`)"
                .into(),
        ));
    }
    if repo.is_empty().map_err(|e| fail(e.message().to_string()))? {
        return Err(fail("has no commits yet".into()));
    }
    let workdir: PathBuf = repo
        .workdir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| path.to_path_buf());
    let canonical = std::fs::canonicalize(&workdir)
        .map_err(|e| fail(e.to_string()))?
        .display()
        .to_string();
    let reference = match branch {
        None => repo.head(),
        Some(b) => repo.resolve_reference_from_short_name(b),
    }
    .map_err(|e| match (branch, e.code()) {
        (None, ErrorCode::UnbornBranch | ErrorCode::NotFound) => fail("has no commits yet".into()),
        (Some(b), ErrorCode::NotFound) => fail(format!("has no branch or ref `{b}`")),
        _ => fail(e.message().to_string()),
    })?;
    let name = if repo.head_detached().unwrap_or(false) && branch.is_none() {
        "HEAD".to_string()
    } else {
        String::from_utf8_lossy(reference.name_bytes()).into_owned()
    };
    let tip = reference
        .peel_to_commit()
        .map_err(|e| fail(e.message().to_string()))?
        .id();
    drop(reference);
    Ok(Opened {
        repo,
        path: canonical,
        branch: name,
        tip,
    })
}

/// What one walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Commits visited (new to this branch since its last mined tip).
    pub walked: u64,
    pub merges: u64,
    pub bots: u64,
    /// Older than `--since`.
    pub before_since: u64,
    /// The history was rewritten (force push) since the last mined tip.
    pub rewritten: bool,
    /// Commits this branch contributed before a rewrite that its new history no longer has.
    pub dropped: Vec<String>,
    pub commits: Vec<CommitRow>,
}

pub struct WalkOptions<'a> {
    pub classifier: &'a Classifier,
    /// Only commits committed on or after this day (UTC).
    pub since: Option<jiff::civil::Date>,
    pub stats: bool,
}

/// Walks the commits reachable from the tip that are not reachable from `last` (the branch's
/// last mined tip) nor from `others` (other mined branches of the same repository, whose
/// commits are already stored). A `last` that is not an ancestor of the tip means the
/// history was rewritten: the walk restarts from the merge base, and the commits only the
/// old history had are returned in `dropped`.
pub fn walk(
    opened: &Opened,
    last: Option<&str>,
    others: &[String],
    options: &WalkOptions<'_>,
) -> Result<Walk, SignalsError> {
    let repo = &opened.repo;
    let fail = |e: git2::Error| SignalsError::Repo {
        path: opened.path.clone(),
        detail: e.message().to_string(),
    };
    let mut out = Walk::default();
    let mut walk = repo.revwalk().map_err(fail)?;
    walk.set_sorting(Sort::NONE).map_err(fail)?;
    walk.push(opened.tip).map_err(fail)?;
    let present = |text: &str| {
        Oid::from_str(text)
            .ok()
            .filter(|oid| repo.find_commit(*oid).is_ok())
    };
    let other_tips: Vec<Oid> = others.iter().filter_map(|t| present(t)).collect();
    for oid in &other_tips {
        walk.hide(*oid).map_err(fail)?;
    }
    if let Some(last) = last {
        match present(last) {
            Some(old)
                if old == opened.tip
                    || repo.graph_descendant_of(opened.tip, old).map_err(fail)? =>
            {
                walk.hide(old).map_err(fail)?;
            }
            Some(old) => {
                out.rewritten = true;
                let base = repo.merge_base(opened.tip, old).ok();
                if let Some(base) = base {
                    walk.hide(base).map_err(fail)?;
                }
                let mut gone = repo.revwalk().map_err(fail)?;
                gone.push(old).map_err(fail)?;
                gone.hide(opened.tip).map_err(fail)?;
                for oid in gone {
                    let oid = oid.map_err(fail)?;
                    let elsewhere = other_tips
                        .iter()
                        .any(|t| *t == oid || repo.graph_descendant_of(*t, oid).unwrap_or(false));
                    if !elsewhere {
                        out.dropped.push(oid.to_string());
                    }
                }
            }
            // The old tip's objects are gone (garbage-collected after a force push): the
            // caller tells dropped commits by what the new walk no longer reaches.
            None => out.rewritten = true,
        }
    }
    let since = options.since.map(|d| {
        d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .unwrap_or(i64::MIN)
    });
    for oid in walk {
        let oid = oid.map_err(fail)?;
        out.walked += 1;
        let commit = repo.find_commit(oid).map_err(fail)?;
        if commit.parent_count() > 1 {
            out.merges += 1;
            continue;
        }
        let author = commit.author();
        let name = String::from_utf8_lossy(author.name_bytes()).into_owned();
        let email = String::from_utf8_lossy(author.email_bytes()).into_owned();
        if options.classifier.is_bot(&name, &email) {
            out.bots += 1;
            continue;
        }
        let seconds = commit.time().seconds();
        if since.is_some_and(|s| seconds < s) {
            out.before_since += 1;
            continue;
        }
        let at = jiff::Timestamp::from_second(seconds).map_err(|e| SignalsError::Repo {
            path: opened.path.clone(),
            detail: format!("commit {oid} has an impossible time: {e}"),
        })?;
        let message = String::from_utf8_lossy(commit.message_bytes());
        let (subject, body) = message.split_once('\n').unwrap_or((&message, ""));
        let subject = subject.trim_end();
        let stats = if options.stats {
            Some(diff_stats(repo, &commit).map_err(fail)?)
        } else {
            None
        };
        out.commits.push(CommitRow {
            oid: oid.to_string(),
            day: at
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date()
                .to_string(),
            committed_at: format!("{at}"),
            author_name: name,
            author_email: email.to_ascii_lowercase(),
            kind: options.classifier.kind(subject).to_string(),
            innovation: options.classifier.is_innovation(subject, body),
            stats,
            subject: subject.chars().take(200).collect(),
        });
    }
    Ok(out)
}

/// Every commit reachable from the tip: to tell which stored commits a rewrite dropped when
/// the old tip's objects are gone.
pub fn reachable(opened: &Opened) -> Result<HashSet<String>, SignalsError> {
    let fail = |e: git2::Error| SignalsError::Repo {
        path: opened.path.clone(),
        detail: e.message().to_string(),
    };
    let mut walk = opened.repo.revwalk().map_err(fail)?;
    walk.push(opened.tip).map_err(fail)?;
    walk.map(|o| o.map(|o| o.to_string()).map_err(fail))
        .collect()
}

/// Files changed and lines added/removed against the first parent (or the empty tree).
fn diff_stats(
    repo: &Repository,
    commit: &git2::Commit<'_>,
) -> Result<(i64, i64, i64), git2::Error> {
    let tree = commit.tree()?;
    let parent = match commit.parent(0) {
        Ok(p) => Some(p.tree()?),
        Err(_) => None,
    };
    let mut options = DiffOptions::new();
    options.max_size(MAX_DIFF_BLOB);
    let diff = repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut options))?;
    let stats = diff.stats()?;
    Ok((
        stats.files_changed() as i64,
        stats.insertions() as i64,
        stats.deletions() as i64,
    ))
}
