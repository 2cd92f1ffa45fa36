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
    // Like git itself, trust the object store's hashes when reading (a damaged object still
    // fails to inflate or parse): re-hashing every object would cost a tenth of the walk.
    git2::opts::strict_hash_verification(false);
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
    /// The history was rewritten (force push) since the last mined tip.
    pub rewritten: bool,
    /// Commits this branch contributed before a rewrite that its new history no longer has.
    pub dropped: Vec<String>,
}

/// A commit the walk visited: its raw object, and its diff stats when asked for.
#[derive(Debug)]
pub struct Found {
    pub oid: Oid,
    pub raw: Vec<u8>,
    pub stats: Option<(i64, i64, i64)>,
}

/// Walks the commits reachable from the tip that are not reachable from `last` (the branch's
/// last mined tip) nor from `others` (other mined branches of the same repository, whose
/// commits are already stored). A `last` that is not an ancestor of the tip means the
/// history was rewritten: the walk restarts from the merge base, and the commits only the
/// old history had are returned in `dropped`. Each commit goes to `sink` as it is found
/// (`judge` tells what it is), which returns `false` to stop the walk.
pub fn walk(
    opened: &Opened,
    last: Option<&str>,
    others: &[String],
    stats: bool,
    sink: &mut dyn FnMut(Found) -> bool,
) -> Result<Walk, SignalsError> {
    let repo = &opened.repo;
    let fail = |e: git2::Error| SignalsError::Repo {
        path: opened.path.clone(),
        detail: e.message().to_string(),
    };
    let mut out = Walk::default();
    let mut walk = repo.revwalk().map_err(fail)?;
    let present = |text: &str| {
        Oid::from_str(text)
            .ok()
            .filter(|oid| repo.find_commit(*oid).is_ok())
    };
    let other_tips: Vec<Oid> = others.iter().filter_map(|t| present(t)).collect();
    let hidden = last.and_then(present);
    // With something hidden, time order makes libgit2 limit the walk: it stops once only
    // hidden commits are left instead of walking the hidden history to its root. Without,
    // no order is cheapest.
    let sorting = if hidden.is_some() || !other_tips.is_empty() {
        Sort::TIME
    } else {
        Sort::NONE
    };
    walk.set_sorting(sorting).map_err(fail)?;
    walk.push(opened.tip).map_err(fail)?;
    for oid in &other_tips {
        walk.hide(*oid).map_err(fail)?;
    }
    match (last, hidden) {
        (Some(_), Some(old)) => {
            // Hiding the old tip leaves exactly what is new: after a fast-forward, the
            // commits since it; after a rewrite, the commits since the merge base.
            walk.hide(old).map_err(fail)?;
            // What the old tip reaches and the new one does not: nothing after a
            // fast-forward; the dropped commits after a rewrite (unless another mined
            // branch still has them).
            let mut gone = repo.revwalk().map_err(fail)?;
            gone.set_sorting(Sort::TIME).map_err(fail)?;
            gone.push(old).map_err(fail)?;
            gone.hide(opened.tip).map_err(fail)?;
            for oid in &other_tips {
                gone.hide(*oid).map_err(fail)?;
            }
            for oid in gone {
                out.rewritten = true;
                out.dropped.push(oid.map_err(fail)?.to_string());
            }
        }
        // The old tip's objects are gone (garbage-collected after a force push): the
        // caller tells dropped commits by what the new walk no longer reaches.
        (Some(_), None) => out.rewritten = true,
        (None, _) => {}
    }
    // The revwalk has just read each commit (it needs the parents): reading the raw object
    // again hits libgit2's object cache. Parsing and classifying happen on the caller's
    // side, so that the two cores share the work.
    let odb = repo.odb().map_err(fail)?;
    for oid in walk {
        let oid = oid.map_err(fail)?;
        out.walked += 1;
        let object = odb.read(oid).map_err(fail)?;
        let raw = object.data().to_vec();
        let stats = if stats && RawCommit::parse(&raw).is_some_and(|c| c.parents <= 1) {
            let commit = repo.find_commit(oid).map_err(fail)?;
            Some(diff_stats(repo, &commit).map_err(fail)?)
        } else {
            None
        };
        if !sink(Found { oid, raw, stats }) {
            // The consumer is gone (its write failed): it reports why.
            break;
        }
    }
    Ok(out)
}

/// How `judge` classes a commit.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Merge,
    Bot,
    /// Committed before `--since`.
    Old,
    Keep(Box<CommitRow>),
}

/// What mining makes of a commit the walk found.
pub struct Judge<'a> {
    pub classifier: &'a Classifier,
    /// Only commits committed on or after this instant (seconds since the epoch).
    pub since: Option<i64>,
}

impl Judge<'_> {
    /// `since` as the first second of that UTC day.
    pub fn since_day(day: Option<jiff::civil::Date>) -> Option<i64> {
        day.map(|d| {
            d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp().as_second())
                .unwrap_or(i64::MIN)
        })
    }

    pub fn judge(&self, found: Found) -> Result<Verdict, String> {
        let oid = found.oid;
        let raw =
            RawCommit::parse(&found.raw).ok_or_else(|| format!("commit {oid} cannot be parsed"))?;
        if raw.parents > 1 {
            return Ok(Verdict::Merge);
        }
        let name = String::from_utf8_lossy(raw.author_name);
        let email = String::from_utf8_lossy(raw.author_email);
        if self.classifier.is_bot(&name, &email) {
            return Ok(Verdict::Bot);
        }
        if self.since.is_some_and(|s| raw.committed < s) {
            return Ok(Verdict::Old);
        }
        let at = jiff::Timestamp::from_second(raw.committed)
            .map_err(|e| format!("commit {oid} has an impossible time: {e}"))?;
        let message = String::from_utf8_lossy(raw.message);
        let (subject, body) = message.split_once('\n').unwrap_or((&message, ""));
        let subject = subject.trim_end();
        Ok(Verdict::Keep(Box::new(CommitRow {
            oid: oid.to_string(),
            day: at
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date()
                .to_string(),
            committed_at: format!("{at}"),
            author_name: name.into_owned(),
            author_email: email.to_ascii_lowercase(),
            kind: self.classifier.kind(subject).to_string(),
            innovation: self.classifier.is_innovation(subject, body),
            stats: found.stats,
            subject: subject.chars().take(200).collect(),
        })))
    }
}

/// Whether the repository still has the commit `oid` (hex).
pub fn has_commit(opened: &Opened, oid: &str) -> bool {
    Oid::from_str(oid).is_ok_and(|o| opened.repo.find_commit(o).is_ok())
}

/// The parts of a raw commit object that mining needs.
#[derive(Debug, PartialEq, Eq)]
struct RawCommit<'a> {
    parents: usize,
    author_name: &'a [u8],
    author_email: &'a [u8],
    /// Committer time, seconds since the epoch.
    committed: i64,
    message: &'a [u8],
}

impl<'a> RawCommit<'a> {
    /// Parses `tree`, `parent`, `author`, `committer` header lines (continuation lines of
    /// `gpgsig` and the like start with a space) up to the blank line before the message.
    fn parse(data: &'a [u8]) -> Option<RawCommit<'a>> {
        let mut parents = 0;
        let mut author = None;
        let mut committed = None;
        let mut rest = data;
        loop {
            let end = rest.iter().position(|&b| b == b'\n')?;
            let line = &rest[..end];
            rest = &rest[end + 1..];
            if line.is_empty() {
                break;
            }
            if line.starts_with(b"parent ") {
                parents += 1;
            } else if let Some(who) = line.strip_prefix(b"author ") {
                author = Some(signature(who)?);
            } else if let Some(who) = line.strip_prefix(b"committer ") {
                committed = Some(signature(who)?.2);
            }
        }
        let (author_name, author_email, _) = author?;
        Some(RawCommit {
            parents,
            author_name,
            author_email,
            committed: committed?,
            message: rest,
        })
    }
}

/// `Name <email> 1700000000 +0100` → name, email, seconds.
fn signature(who: &[u8]) -> Option<(&[u8], &[u8], i64)> {
    let open = who.iter().position(|&b| b == b'<')?;
    let close = open + who[open..].iter().position(|&b| b == b'>')?;
    let name = who[..open].strip_suffix(b" ").unwrap_or(&who[..open]);
    let email = &who[open + 1..close];
    let after = std::str::from_utf8(&who[close + 1..]).ok()?;
    let seconds = after.split_whitespace().next()?.parse().ok()?;
    Some((name, email, seconds))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_commits_parse_with_signatures_and_merges() {
        let data = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent aa\nparent bb\nauthor Ada L <ada@x.example> 1700000000 +0100\ncommitter C <c@x> 1700000100 -0500\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n\nfeat: x\n\nbody\n";
        let c = RawCommit::parse(data).unwrap();
        assert_eq!(c.parents, 2);
        assert_eq!(c.author_name, b"Ada L");
        assert_eq!(c.author_email, b"ada@x.example");
        assert_eq!(c.committed, 1_700_000_100);
        assert_eq!(c.message, b"feat: x\n\nbody\n");
        assert_eq!(RawCommit::parse(b"tree x\nauthor broken\n\nmsg"), None);
    }
}
