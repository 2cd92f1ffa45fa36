-- 0004: commit signals (Aurelius) and security alerts from logs (Securiteyes).
-- Shipped: never edit; add 0005_*.sql instead.

-- A branch of a repository that signals:mine walks, and the tip it last mined.
CREATE TABLE signal_repos (
    id         INTEGER PRIMARY KEY,
    path       TEXT NOT NULL,              -- canonical path of the working tree
    branch     TEXT NOT NULL,              -- full ref name, e.g. refs/heads/main
    tenant_id  TEXT,                       -- owner, or NULL for platform-wide repositories
    tip        TEXT,                       -- last mined commit id
    mined_at   TEXT,
    UNIQUE (path, branch)
) STRICT;

-- One row per commit per scope: a commit reachable from several branches or repositories of
-- the same tenant is counted once.
CREATE TABLE signal_commits (
    scope        TEXT NOT NULL,            -- tenant id, or '' for platform-wide repositories
    oid          TEXT NOT NULL,
    tenant_id    TEXT,
    repo_id      INTEGER NOT NULL REFERENCES signal_repos (id),   -- first mined from
    day          TEXT NOT NULL,            -- commit date in UTC, YYYY-MM-DD
    committed_at TEXT NOT NULL,            -- committer time, RFC 3339 UTC
    author_name  TEXT NOT NULL,
    author_email TEXT NOT NULL,
    kind         TEXT NOT NULL,            -- conventional-commit type, or 'other'
    innovation   INTEGER NOT NULL,
    files        INTEGER,                  -- NULL unless mined with --stats
    insertions   INTEGER,
    deletions    INTEGER,
    subject      TEXT NOT NULL,
    PRIMARY KEY (scope, oid)
) STRICT;

CREATE INDEX signal_commits_day ON signal_commits (tenant_id, day);

-- A log file, known by its first line (so a rotated file keeps its identity), and how far it
-- has been scanned.
CREATE TABLE signal_log_sources (
    id         INTEGER PRIMARY KEY,
    head       TEXT NOT NULL UNIQUE,       -- sha256 of the first line
    path       TEXT NOT NULL,              -- where it was last read
    offset     INTEGER NOT NULL,           -- bytes of (decompressed) text scanned
    lines      INTEGER NOT NULL,           -- lines scanned
    scanned_at TEXT NOT NULL
) STRICT;

-- Hosts whose sshd logs a rule's primary form itself, so the PAM fallback form is a duplicate.
CREATE TABLE signal_log_hosts (
    host TEXT NOT NULL,
    rule TEXT NOT NULL,
    PRIMARY KEY (host, rule)
) STRICT;

CREATE TABLE signal_alerts (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES signal_log_sources (id),
    line      INTEGER NOT NULL,            -- 1-based line in the source
    rule      TEXT NOT NULL,
    level     TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high', 'critical')),
    title     TEXT NOT NULL,
    at        TEXT NOT NULL,               -- the log's own time, as logged (host-local)
    host      TEXT NOT NULL,
    program   TEXT NOT NULL,
    pid       INTEGER,
    user      TEXT,
    src_ip    TEXT,
    count     INTEGER NOT NULL,            -- attempts this alert stands for
    tenant_id TEXT,
    raw       TEXT NOT NULL,
    UNIQUE (source_id, line, rule)
) STRICT;

CREATE INDEX signal_alerts_at ON signal_alerts (tenant_id, at);
