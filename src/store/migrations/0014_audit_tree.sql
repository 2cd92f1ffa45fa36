-- 0014: the audit log as a Merkle tree (RFC 9162): the tree's frontier beside the chain head,
-- each event's leaf hash as written (to name the first event rewritten later), the roots of
-- its perfect subtrees every fourth level (tiles: a proof reads at most 16 of them a level),
-- and the signed checkpoints of the tree. Events written before have no stored leaf; the
-- frontier and tiles are built from the events on the first append after this migration.
-- Shipped: never edit; add 0015_*.sql instead.

ALTER TABLE audit_head ADD COLUMN frontier BLOB;
ALTER TABLE audit_events ADD COLUMN leaf BLOB;
-- A tenant's event names the tenant's event before it (0 for its first): its JSON line, the
-- tree's leaf, carries it, so a pack cannot leave out one of the tenant's events.
ALTER TABLE audit_events ADD COLUMN tenant_prev INTEGER;


CREATE TABLE audit_tiles (
    level  INTEGER NOT NULL,
    idx    INTEGER NOT NULL,
    hash   BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

-- A signed note (C2SP checkpoint) of the tree of the first `size` events.
CREATE TABLE audit_checkpoints (
    size   INTEGER PRIMARY KEY,
    root   TEXT NOT NULL,
    note   TEXT NOT NULL,
    at     TEXT NOT NULL
) STRICT;
