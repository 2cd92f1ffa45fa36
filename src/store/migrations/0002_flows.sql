-- 0002: flow runs, their steps and attempts (the engine's checkpoints), deployments.
-- Shipped: never edit; add 0003_*.sql instead.

CREATE TABLE flow_runs (
    id              TEXT PRIMARY KEY,
    flow            TEXT NOT NULL,
    origin          TEXT NOT NULL,              -- builtin:NAME or the template's path
    template        TEXT NOT NULL,              -- the template text as run (resume uses it)
    template_sha256 TEXT NOT NULL,
    params          TEXT NOT NULL,              -- JSON object
    tenant_id       TEXT,
    actor           TEXT NOT NULL,
    jobs            INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
    error           TEXT,
    denied          INTEGER NOT NULL DEFAULT 0,
    parent_run      TEXT REFERENCES flow_runs (id),
    parent_step     TEXT,
    created_at      TEXT NOT NULL,
    finished_at     TEXT,
    lease_pid       INTEGER,                    -- the process executing it
    lease_heartbeat TEXT
) STRICT;

CREATE INDEX flow_runs_tenant ON flow_runs (tenant_id, created_at);
CREATE UNIQUE INDEX flow_runs_child ON flow_runs (parent_run, parent_step) WHERE parent_run IS NOT NULL;

CREATE TABLE flow_steps (
    run_id      TEXT NOT NULL REFERENCES flow_runs (id),
    step_id     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'running', 'waiting', 'succeeded', 'failed', 'skipped')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    outputs     TEXT NOT NULL DEFAULT '{}',
    error       TEXT,
    denied      INTEGER NOT NULL DEFAULT 0,
    started_at  TEXT,
    finished_at TEXT,
    PRIMARY KEY (run_id, step_id)
) STRICT;

CREATE TABLE flow_attempts (
    run_id      TEXT NOT NULL,
    step_id     TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'timed_out', 'interrupted')),
    pid         INTEGER,                        -- the process group of a shell step
    exit_code   INTEGER,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    stdout      TEXT NOT NULL DEFAULT '',       -- the tail, bounded
    stderr      TEXT NOT NULL DEFAULT '',
    error       TEXT,
    PRIMARY KEY (run_id, step_id, attempt),
    FOREIGN KEY (run_id, step_id) REFERENCES flow_steps (run_id, step_id)
) STRICT;

CREATE TABLE deployments (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    service     TEXT NOT NULL,
    env         TEXT NOT NULL,
    cluster     TEXT NOT NULL,
    region      TEXT NOT NULL,
    version     TEXT NOT NULL,
    run_id      TEXT,
    step_id     TEXT,
    actor       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (run_id, step_id)
) STRICT;

CREATE INDEX deployments_tenant ON deployments (tenant_id, created_at);
