-- 0001: tenants, their isolation boundaries, principals and roles, the audit chain.
-- Shipped: never edit; add 0002_*.sql instead.

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    tier        TEXT NOT NULL CHECK (tier IN ('dev', 'prod')),
    regions     TEXT NOT NULL,              -- JSON array of region ids, or ["*"] (dev tier)
    status      TEXT NOT NULL CHECK (status IN ('active', 'deleted')),
    namespace   TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE tenant_boundaries (
    tenant_id   TEXT PRIMARY KEY REFERENCES tenants (id),
    namespace   TEXT NOT NULL,
    manifests   TEXT NOT NULL,              -- rendered Kubernetes YAML, `---` separated
    sha256      TEXT NOT NULL,
    rendered_at TEXT NOT NULL
) STRICT;

CREATE TABLE principals (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE role_bindings (
    principal_id TEXT NOT NULL REFERENCES principals (id),
    role         TEXT NOT NULL CHECK (role IN ('platform-admin', 'tenant-admin', 'viewer')),
    tenant_id    TEXT REFERENCES tenants (id),
    created_at   TEXT NOT NULL,
    CHECK ((role = 'platform-admin') = (tenant_id IS NULL))
) STRICT;

CREATE UNIQUE INDEX role_bindings_unique
    ON role_bindings (principal_id, role, ifnull(tenant_id, ''));
CREATE INDEX role_bindings_tenant ON role_bindings (tenant_id);

-- hash = sha256(prev_hash || canonical JSON of {seq, at, actor, tenant_id, action, target, details})
CREATE TABLE audit_events (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    tenant_id   TEXT,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    details     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
) STRICT;

CREATE INDEX audit_events_tenant ON audit_events (tenant_id, seq);

-- The last appended link, so that removing events from the end is detected too.
CREATE TABLE audit_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    seq         INTEGER NOT NULL,
    hash        TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
