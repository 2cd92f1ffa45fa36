-- 0003: the policy decision log. Every row is also an audit event (audit_seq), so decisions
-- join the hash chain. Shipped: never edit; add 0004_*.sql instead.

CREATE TABLE decisions (
    id             TEXT PRIMARY KEY,
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    tenant_id      TEXT,
    query          TEXT NOT NULL,
    input          TEXT NOT NULL,              -- JSON, secrets masked
    masked         TEXT NOT NULL,              -- JSON array of the masked paths
    allow          INTEGER NOT NULL,
    result         TEXT NOT NULL,              -- the decision document, JSON
    bundle_sha256  TEXT NOT NULL,
    engine         TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    audit_seq      INTEGER NOT NULL
) STRICT;

CREATE INDEX decisions_tenant ON decisions (tenant_id, at);
