-- 0009: the cost rollups become WITHOUT ROWID tables, stored in their primary key's b-tree.
-- Before, each row lived twice (the table, and the automatic index of its key): an ingest
-- wrote both, and a report read the index and then looked every row up in the table. The
-- columns, keys and contents are unchanged.
-- Shipped: never edit; add 0010_*.sql instead.

CREATE TABLE cost_daily_new (
    day            TEXT NOT NULL,
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
    PRIMARY KEY (day, tenant_id, service, env, region, provider)
) STRICT, WITHOUT ROWID;
INSERT INTO cost_daily_new SELECT day, tenant_id, service, env, region, provider, billed_int,
    billed_frac, effective_int, effective_frac, requests_int, requests_frac, rows
    FROM cost_daily;
DROP TABLE cost_daily;
ALTER TABLE cost_daily_new RENAME TO cost_daily;

CREATE TABLE cost_drivers_new (
    day            TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('service', 'resource')),
    name           TEXT NOT NULL,
    effective_int  INTEGER NOT NULL,
    effective_frac INTEGER NOT NULL,
    PRIMARY KEY (day, tenant_id, kind, name)
) STRICT, WITHOUT ROWID;
INSERT INTO cost_drivers_new SELECT day, tenant_id, kind, name, effective_int, effective_frac
    FROM cost_drivers;
DROP TABLE cost_drivers;
ALTER TABLE cost_drivers_new RENAME TO cost_drivers;

CREATE TABLE cost_monthly_new (
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
) STRICT, WITHOUT ROWID;
INSERT INTO cost_monthly_new SELECT month, tenant_id, service, env, region, provider,
    billed_int, billed_frac, effective_int, effective_frac, requests_int, requests_frac, rows
    FROM cost_monthly;
DROP TABLE cost_monthly;
ALTER TABLE cost_monthly_new RENAME TO cost_monthly;

CREATE TABLE cost_drivers_monthly_new (
    month          TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('service', 'resource')),
    name           TEXT NOT NULL,
    effective_int  INTEGER NOT NULL,
    effective_frac INTEGER NOT NULL,
    PRIMARY KEY (month, tenant_id, kind, name)
) STRICT, WITHOUT ROWID;
INSERT INTO cost_drivers_monthly_new SELECT month, tenant_id, kind, name, effective_int,
    effective_frac FROM cost_drivers_monthly;
DROP TABLE cost_drivers_monthly;
ALTER TABLE cost_drivers_monthly_new RENAME TO cost_drivers_monthly;
