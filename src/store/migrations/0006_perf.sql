-- 0006: the performance model (PERF-1): request logs rolled up per day, exact latency
-- distributions (to the microsecond), baselines.
-- Shipped: never edit; add 0007_*.sql instead.

CREATE TABLE perf_files (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    path        TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
) STRICT;

-- Requests and 5xx errors per day, tenant, service, env.
CREATE TABLE perf_daily (
    day       TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    service   TEXT NOT NULL,
    env       TEXT NOT NULL,
    requests  INTEGER NOT NULL,
    errors    INTEGER NOT NULL,
    PRIMARY KEY (day, tenant_id, service, env)
) STRICT;

-- The exact latency distribution: how many requests took each latency (microseconds).
CREATE TABLE perf_latency (
    day        TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    service    TEXT NOT NULL,
    env        TEXT NOT NULL,
    latency_us INTEGER NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY (day, tenant_id, service, env, latency_us)
) STRICT, WITHOUT ROWID;

-- What `perf:baseline set` measured over a window, per tenant, service and env.
CREATE TABLE perf_baselines (
    tenant_id  TEXT NOT NULL,
    service    TEXT NOT NULL,
    env        TEXT NOT NULL,
    from_day   TEXT NOT NULL,
    to_day     TEXT NOT NULL,
    requests   INTEGER NOT NULL,
    errors     INTEGER NOT NULL,
    p50_us     INTEGER NOT NULL,
    p95_us     INTEGER NOT NULL,
    p99_us     INTEGER NOT NULL,
    set_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, service, env)
) STRICT;
