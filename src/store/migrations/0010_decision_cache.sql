-- 0010: decisions remembered across processes (src/policy/cache.rs). A row is keyed by a
-- digest of everything its decision is a function of (engine and version, policy bundle,
-- data document, query, input), so it is never stale, only unused; the newest 4,096 are
-- kept. Not part of the audit chain: the decision log records every decision as made.
-- Shipped: never edit; add 0011_*.sql instead.

CREATE TABLE decision_cache (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE,   -- sha256, hex
    result  TEXT NOT NULL           -- the decision document, JSON
) STRICT;
