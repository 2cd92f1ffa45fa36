-- A file ingested once is known by its content too: the sha256 of its decompressed bytes, so
-- that the same billing data or request log ingested as `.csv` and as `.csv.gz` counts once.
-- A plain file's content hash is its byte hash; a `.gz` file recorded before this migration
-- keeps only its byte hash (its content is not at hand), and is still found by it.
ALTER TABLE cost_files ADD COLUMN content_sha256 TEXT;
UPDATE cost_files SET content_sha256 = sha256 WHERE path NOT LIKE '%.gz';
CREATE UNIQUE INDEX cost_files_content ON cost_files (content_sha256);

ALTER TABLE perf_files ADD COLUMN content_sha256 TEXT;
UPDATE perf_files SET content_sha256 = sha256 WHERE path NOT LIKE '%.gz';
CREATE UNIQUE INDEX perf_files_content ON perf_files (content_sha256);
