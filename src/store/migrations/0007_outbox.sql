-- 0007: the outbox. Every change a remote backend should see is written here in the same
-- transaction as the change; `sync` delivers it later, per adapter, so that nothing is lost
-- while a backend is down and no command waits for one.
-- Shipped: never edit; add 0008_*.sql instead.

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,              -- 'audit', 'alert'
    tenant_id  TEXT,
    idem_key   TEXT NOT NULL UNIQUE,       -- what a receiver dedups on: 'audit:<seq>', ...
    payload    TEXT NOT NULL,              -- JSON
    created_at TEXT NOT NULL
) STRICT;

-- Per adapter, what happened to an outbox row: no row yet means pending.
CREATE TABLE outbox_deliveries (
    outbox_id  INTEGER NOT NULL REFERENCES outbox (id),
    adapter    TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('retry', 'done', 'dead')),
    attempts   INTEGER NOT NULL,
    next_at    TEXT,                       -- for 'retry': not before
    last_error TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (outbox_id, adapter)
) STRICT;

CREATE INDEX outbox_deliveries_adapter ON outbox_deliveries (adapter, status);
