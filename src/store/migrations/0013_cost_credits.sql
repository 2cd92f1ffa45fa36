-- 0013: credits (FOCUS `ChargeCategory` = `Credit`) kept apart in the cost rollups: a report
-- shares out the gross charges and shows the credits on a line of their own. The credit
-- columns hold the part of billed and effective cost that came from credit rows (zero or
-- less); billed and effective keep every row. Rollups ingested before this migration have
-- no credits split out: their credits stay inside their charges.
-- Shipped: never edit; add 0014_*.sql instead.

ALTER TABLE cost_daily ADD COLUMN credit_billed_int INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cost_daily ADD COLUMN credit_billed_frac INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cost_daily ADD COLUMN credit_effective_int INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cost_daily ADD COLUMN credit_effective_frac INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cost_monthly ADD COLUMN credit_billed_int INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cost_monthly ADD COLUMN credit_billed_frac INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cost_monthly ADD COLUMN credit_effective_int INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cost_monthly ADD COLUMN credit_effective_frac INTEGER NOT NULL DEFAULT 0;
