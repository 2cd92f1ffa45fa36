-- 0008: the latest metrics snapshot and graph rows of a tenant are looked up by kind.
-- Shipped: never edit; add 0009_*.sql instead.

CREATE INDEX outbox_kind_tenant ON outbox (kind, tenant_id, id);
