// PostgreSQL schema migrations, in order; pedigree_schema holds the number applied. Replicas starting
// together take one advisory lock, so exactly one applies each step. Version 1 (keys, named chains,
// the log), version 2 (shared rate windows and daily counters, with the functions that check and
// count them atomically), version 3 (the log's commit-order cursor) and version 4 (the distillation
// room's files, batches, stored completions and fine-tuning jobs, which a SQLite gateway keeps in its
// data directory) match the SQLite store's version numbering.
export const postgresMigrations: readonly string[] = [
  `
CREATE TABLE keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT,
  policy JSONB NOT NULL
);
CREATE TABLE exchanges (
  id BIGSERIAL PRIMARY KEY,
  chain TEXT NOT NULL,
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL,
  format INTEGER NOT NULL,
  ts BIGINT NOT NULL,
  key_id TEXT,
  model TEXT NOT NULL,
  request TEXT NOT NULL,
  response TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  latency_ms DOUBLE PRECISION NOT NULL,
  status INTEGER NOT NULL,
  finish_reason TEXT,
  watermark_key_id TEXT,
  decision TEXT NOT NULL,
  distillation_licensed INTEGER NOT NULL,
  event_type TEXT,
  payload TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (chain, seq)
);
CREATE INDEX exchanges_key_ts ON exchanges (key_id, ts);
CREATE INDEX exchanges_ts ON exchanges (ts);
CREATE TABLE chains (
  chain TEXT PRIMARY KEY,
  head_seq BIGINT NOT NULL,
  head_hash TEXT NOT NULL,
  anchor_seq BIGINT NOT NULL,
  anchor_hash TEXT NOT NULL
);
`,
  `
CREATE TABLE rate_buckets (
  key_id TEXT NOT NULL,
  second BIGINT NOT NULL,
  requests BIGINT NOT NULL DEFAULT 0,
  tokens BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (key_id, second)
);
CREATE TABLE daily_tokens (
  key_id TEXT NOT NULL,
  day BIGINT NOT NULL,
  tokens BIGINT NOT NULL,
  PRIMARY KEY (key_id, day)
);
-- Seconds until enough of the window's oldest buckets expire to get under p_limit (0: under it).
CREATE FUNCTION pedigree_wait_for(p_key TEXT, p_second BIGINT, p_limit BIGINT, p_tokens BOOLEAN) RETURNS BIGINT AS $$
DECLARE
  total BIGINT;
  b RECORD;
BEGIN
  SELECT COALESCE(SUM(CASE WHEN p_tokens THEN tokens ELSE requests END), 0) INTO total
    FROM rate_buckets WHERE key_id = p_key AND second > p_second - 60 AND second <= p_second;
  IF total < p_limit THEN RETURN 0; END IF;
  FOR b IN SELECT second, CASE WHEN p_tokens THEN tokens ELSE requests END AS n FROM rate_buckets
      WHERE key_id = p_key AND second > p_second - 60 AND second <= p_second ORDER BY second LOOP
    total := total - b.n;
    IF total < p_limit THEN RETURN b.second + 60 - p_second; END IF;
  END LOOP;
  RETURN 60;
END $$ LANGUAGE plpgsql;
-- The day's row, seeded from the log the first time the day is seen.
CREATE FUNCTION pedigree_day(p_key TEXT, p_day BIGINT) RETURNS BIGINT AS $$
DECLARE used BIGINT;
BEGIN
  SELECT tokens INTO used FROM daily_tokens WHERE key_id = p_key AND day = p_day;
  IF FOUND THEN RETURN used; END IF;
  INSERT INTO daily_tokens (key_id, day, tokens)
    SELECT p_key, p_day, COALESCE(SUM(total_tokens), 0) FROM exchanges WHERE key_id = p_key AND kind = 'exchange' AND ts >= p_day * 86400000
    ON CONFLICT DO NOTHING;
  SELECT tokens INTO used FROM daily_tokens WHERE key_id = p_key AND day = p_day;
  RETURN used;
END $$ LANGUAGE plpgsql;
-- Checks a key's limits and counts the request, under the key's advisory lock (one statement, so the
-- lock is held to its commit): replicas admitting the same key take turns.
CREATE FUNCTION pedigree_admit(p_key TEXT, p_second BIGINT, p_rpm BIGINT, p_tpm BIGINT, p_daily BIGINT, p_day BIGINT) RETURNS TEXT AS $$
DECLARE w BIGINT;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('pedigree_limits:' || p_key));
  DELETE FROM rate_buckets WHERE key_id = p_key AND second <= p_second - 60;
  IF p_rpm IS NOT NULL THEN
    w := pedigree_wait_for(p_key, p_second, p_rpm, FALSE);
    IF w > 0 THEN RETURN 'rpm:' || w; END IF;
  END IF;
  IF p_tpm IS NOT NULL THEN
    w := pedigree_wait_for(p_key, p_second, p_tpm, TRUE);
    IF w > 0 THEN RETURN 'tpm:' || w; END IF;
  END IF;
  IF p_daily IS NOT NULL AND pedigree_day(p_key, p_day) >= p_daily THEN RETURN 'daily:0'; END IF;
  INSERT INTO rate_buckets (key_id, second, requests) VALUES (p_key, p_second, 1)
    ON CONFLICT (key_id, second) DO UPDATE SET requests = rate_buckets.requests + 1;
  RETURN '';
END $$ LANGUAGE plpgsql;
CREATE FUNCTION pedigree_record(p_key TEXT, p_second BIGINT, p_tokens BIGINT, p_daily BOOLEAN, p_day BIGINT) RETURNS VOID AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('pedigree_limits:' || p_key));
  INSERT INTO rate_buckets (key_id, second, tokens) VALUES (p_key, p_second, p_tokens)
    ON CONFLICT (key_id, second) DO UPDATE SET tokens = rate_buckets.tokens + p_tokens;
  IF p_daily THEN
    PERFORM pedigree_day(p_key, p_day);
    UPDATE daily_tokens SET tokens = tokens + p_tokens WHERE key_id = p_key AND day = p_day;
  END IF;
END $$ LANGUAGE plpgsql;
`,
  `
-- Version 3: the writing transaction's id, so a reader can page in commit order (see the log
-- reader's cursor): ids come from a sequence before commit, and replicas commit out of id order.
ALTER TABLE exchanges ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX exchanges_txid_id ON exchanges (txid, id);
`,
  `
-- Version 4: the distillation state every replica shares. Documents are JSON text, kept as written.
CREATE TABLE distillation_files (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  lines INTEGER NOT NULL,
  object TEXT NOT NULL,
  content BYTEA NOT NULL
);
CREATE INDEX distillation_files_key ON distillation_files (key_id, created_at);
CREATE TABLE distillation_batches (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  -- When it was made, in ms (the queue's order; the document's created_at counts whole seconds).
  created_ms BIGINT NOT NULL,
  status TEXT NOT NULL,
  doc TEXT NOT NULL,
  -- The replica running the batch, until when (the database's clock, in ms).
  lease_owner TEXT,
  lease_until BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX distillation_batches_key ON distillation_batches (key_id, created_ms);
CREATE INDEX distillation_batches_queue ON distillation_batches (created_ms, id) WHERE status IN ('validating', 'in_progress', 'finalizing', 'cancelling');
CREATE TABLE distillation_batch_results (
  batch_id TEXT NOT NULL,
  custom_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  seq BIGSERIAL NOT NULL,
  line TEXT NOT NULL,
  PRIMARY KEY (batch_id, custom_id)
);
CREATE INDEX distillation_batch_results_order ON distillation_batch_results (batch_id, kind, seq);
CREATE TABLE distillation_stored_completions (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  key_id TEXT NOT NULL,
  entry JSONB NOT NULL
);
CREATE INDEX distillation_stored_completions_key ON distillation_stored_completions (key_id, seq);
CREATE TABLE distillation_jobs (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  -- When it was made, in ms (the queue's order; the document's created_at counts whole seconds).
  created_ms BIGINT NOT NULL,
  status TEXT NOT NULL,
  doc TEXT NOT NULL,
  -- The replica training the job, until when (the database's clock, in ms); a cancel asked anywhere.
  lease_owner TEXT,
  lease_until BIGINT NOT NULL DEFAULT 0,
  cancel_requested BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX distillation_jobs_queue ON distillation_jobs (created_ms, id) WHERE status IN ('queued', 'running');
CREATE TABLE distillation_job_events (
  seq BIGSERIAL PRIMARY KEY,
  job_id TEXT NOT NULL,
  event TEXT NOT NULL
);
CREATE INDEX distillation_job_events_job ON distillation_job_events (job_id, seq);
CREATE TABLE distillation_job_checkpoints (
  seq BIGSERIAL PRIMARY KEY,
  job_id TEXT NOT NULL,
  checkpoint TEXT NOT NULL
);
CREATE INDEX distillation_job_checkpoints_job ON distillation_job_checkpoints (job_id, seq);
-- A job's weights: the trainer's last checkpoint (to resume anywhere) and the finished GGUF.
CREATE TABLE distillation_job_blobs (
  job_id TEXT NOT NULL,
  name TEXT NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (job_id, name)
);
`,
];
