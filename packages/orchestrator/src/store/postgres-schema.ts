// The PostgreSQL tables of the state store, in the schema `baton`, as numbered migrations
// applied in order under an advisory lock (so processes starting together migrate once). The
// same rules as on SQLite: events are append-only, plan versions change only by their one
// approval stamp. Version 2 adds task attempts, the fencing record of runs on worker nodes.
import type { PoolClient } from 'pg';

export const BATON_SCHEMA = 'baton';

const V1 = `
CREATE SCHEMA IF NOT EXISTS baton;
CREATE TABLE baton.runs (
  run_id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  ticket TEXT NOT NULL,
  workflow TEXT NOT NULL,
  base_commit TEXT NOT NULL,
  -- The seq of the run's last event: appends take it (and so the row's lock) to number theirs.
  last_seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE baton.events (
  run_id TEXT NOT NULL REFERENCES baton.runs (run_id),
  seq BIGINT NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  task_id TEXT,
  data TEXT NOT NULL,
  -- Names the write that stored the event, so a write retried after a lost connection is stored once.
  write_id TEXT,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX events_write_id ON baton.events (run_id, write_id) WHERE write_id IS NOT NULL;
CREATE INDEX events_run_type ON baton.events (run_id, type, seq);
CREATE TABLE baton.plan_versions (
  run_id TEXT NOT NULL REFERENCES baton.runs (run_id),
  version INTEGER NOT NULL,
  source TEXT NOT NULL,
  plan TEXT NOT NULL,
  created_at TEXT NOT NULL,
  approved_at TEXT,
  approved_by TEXT,
  PRIMARY KEY (run_id, version)
);
CREATE TABLE baton.run_locks (
  run_id TEXT PRIMARY KEY REFERENCES baton.runs (run_id),
  token TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  start_ticks TEXT,
  acquired_at TEXT NOT NULL
);
CREATE FUNCTION baton.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'baton events are append-only'; END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON baton.events
  FOR EACH ROW EXECUTE FUNCTION baton.refuse_event_change();
CREATE FUNCTION baton.refuse_plan_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.plan IS DISTINCT FROM NEW.plan OR OLD.source IS DISTINCT FROM NEW.source OR OLD.approved_at IS NOT NULL THEN
    RAISE EXCEPTION 'baton plan versions are append-only; approve a version once';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER plan_versions_append_only BEFORE UPDATE OR DELETE ON baton.plan_versions
  FOR EACH ROW EXECUTE FUNCTION baton.refuse_plan_change();
`;

const V2 = `
-- One row per task attempt dispatched to worker nodes. At most one live attempt per task:
-- a newer attempt supersedes older ones, and a node's writes are checked against this row
-- (and the queue's claim on the job) in the transaction that stores them.
CREATE TABLE baton.task_attempts (
  run_id TEXT NOT NULL REFERENCES baton.runs (run_id),
  task_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  job_id UUID NOT NULL UNIQUE,
  dispatched_at TEXT NOT NULL,
  node TEXT,
  claim INTEGER,
  claimed_at TEXT,
  finished_at TEXT,
  superseded BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (run_id, task_id, attempt)
);
CREATE UNIQUE INDEX task_attempts_one_live ON baton.task_attempts (run_id, task_id) WHERE finished_at IS NULL AND NOT superseded;
`;

/** Each entry takes the schema from the version before it to its own; never edit one that shipped. */
export const POSTGRES_MIGRATIONS: readonly { version: number; sql: string }[] = [
  { version: 1, sql: V1 },
  { version: 2, sql: V2 },
];

export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.at(-1)!.version;

/** A key of baton's own for pg_advisory_xact_lock while migrating. */
const MIGRATION_LOCK = 2_140_600_016;

export async function migratePostgres(client: PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE SCHEMA IF NOT EXISTS baton');
    await client.query('CREATE TABLE IF NOT EXISTS baton.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const row = await client.query<{ value: string }>("SELECT value FROM baton.meta WHERE key = 'schema_version'");
    const current = Number(row.rows[0]?.value ?? 0);
    if (current > POSTGRES_SCHEMA_VERSION) {
      throw new Error(`this baton store was written by a newer baton (schema ${current}, this baton knows ${POSTGRES_SCHEMA_VERSION}); upgrade baton`);
    }
    for (const migration of POSTGRES_MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query("INSERT INTO baton.meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", [String(migration.version)]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
