-- 0005: cost from billing data (FinOps FOCUS). Money is exact: an amount is stored as a whole
-- part and a fraction in units of 1e-12 (0 <= fraction < 1e12), two integers that SQL can sum
-- without overflow or rounding; Rust joins them. Never floating point.
-- Shipped: never edit; add 0006_*.sql instead.

-- An ingested billing file, known by its sha256: ingesting it again changes nothing.
CREATE TABLE cost_files (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    path        TEXT NOT NULL,
    rows        INTEGER NOT NULL,          -- data rows read
    allocated   INTEGER NOT NULL,          -- attributed to a tenant
    unallocated INTEGER NOT NULL,          -- in the unallocated bucket
    skipped     INTEGER NOT NULL,          -- malformed rows left out with --skip-bad
    billed      TEXT NOT NULL,             -- exact decimal sums of the rows kept
    effective   TEXT NOT NULL,
    currency    TEXT,
    ingested_at TEXT NOT NULL
) STRICT;

-- COST-1: daily rollups by date x tenant x service x env x region x provider, maintained at
-- ingest in the same transaction.
CREATE TABLE cost_daily (
    day            TEXT NOT NULL,          -- ChargePeriodStart, UTC date
    tenant_id      TEXT NOT NULL,          -- '' for the unallocated bucket
    service        TEXT NOT NULL,
    env            TEXT NOT NULL,
    region         TEXT NOT NULL,
    provider       TEXT NOT NULL,
    billed_int     INTEGER NOT NULL,
    billed_frac    INTEGER NOT NULL,
    effective_int  INTEGER NOT NULL,
    effective_frac INTEGER NOT NULL,
    requests_int   INTEGER NOT NULL,       -- ConsumedQuantity of rows counted in requests
    requests_frac  INTEGER NOT NULL,
    rows           INTEGER NOT NULL,
    PRIMARY KEY (day, tenant_id, service, env, region, provider)
) STRICT;

-- Cost drivers per day and tenant: FOCUS ServiceName ('service') and ResourceId ('resource').
CREATE TABLE cost_drivers (
    day            TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('service', 'resource')),
    name           TEXT NOT NULL,
    effective_int  INTEGER NOT NULL,
    effective_frac INTEGER NOT NULL,
    PRIMARY KEY (day, tenant_id, kind, name)
) STRICT;

-- The same sums per calendar month (`YYYY-MM`), so that a report over months reads twelve rows
-- per group a year instead of 365. Reports use months for the whole months of their range
-- and days for the ends.
CREATE TABLE cost_monthly (
    month          TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    service        TEXT NOT NULL,
    env            TEXT NOT NULL,
    region         TEXT NOT NULL,
    provider       TEXT NOT NULL,
    billed_int     INTEGER NOT NULL,
    billed_frac    INTEGER NOT NULL,
    effective_int  INTEGER NOT NULL,
    effective_frac INTEGER NOT NULL,
    requests_int   INTEGER NOT NULL,
    requests_frac  INTEGER NOT NULL,
    rows           INTEGER NOT NULL,
    PRIMARY KEY (month, tenant_id, service, env, region, provider)
) STRICT;

CREATE TABLE cost_drivers_monthly (
    month          TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('service', 'resource')),
    name           TEXT NOT NULL,
    effective_int  INTEGER NOT NULL,
    effective_frac INTEGER NOT NULL,
    PRIMARY KEY (month, tenant_id, kind, name)
) STRICT;
