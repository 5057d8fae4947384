// The SQLite tables of the state store, as numbered migrations applied in order (the number
// reached is kept in meta.schema_version). Events are append-only (enforced by triggers); plan
// versions are append-only except for their one-time approval stamp.
import type { DatabaseSync } from 'node:sqlite';

const V1 = `
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  ticket TEXT NOT NULL,
  workflow TEXT NOT NULL,
  base_commit TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  task_id TEXT,
  data TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS plan_versions (
  run_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  source TEXT NOT NULL,
  plan TEXT NOT NULL,
  created_at TEXT NOT NULL,
  approved_at TEXT,
  approved_by TEXT,
  PRIMARY KEY (run_id, version)
);
CREATE TABLE IF NOT EXISTS run_locks (
  run_id TEXT PRIMARY KEY,
  token TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  start_ticks TEXT,
  acquired_at TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'baton events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'baton events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS plan_versions_append_only BEFORE UPDATE ON plan_versions
  WHEN OLD.plan IS NOT NEW.plan OR OLD.source IS NOT NEW.source OR OLD.approved_at IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'baton plan versions are append-only; approve a version once'); END;
CREATE TRIGGER IF NOT EXISTS plan_versions_no_delete BEFORE DELETE ON plan_versions
  BEGIN SELECT RAISE(ABORT, 'baton plan versions are append-only'); END;
`;

/** Each entry takes the schema from the version before it to its own; never edit one that shipped. */
export const SQLITE_MIGRATIONS: readonly { version: number; sql: string }[] = [{ version: 1, sql: V1 }];

export const STORE_SCHEMA_VERSION = SQLITE_MIGRATIONS.at(-1)!.version;

/** How long a connection waits for another's lock before giving up with "database is locked". */
export const STORE_BUSY_TIMEOUT_MS = 10_000;

export function initStoreSchema(db: DatabaseSync): void {
  // The busy timeout first: switching to WAL needs a moment of exclusive access, and a reader
  // (baton status, the dashboard) opening the file at that moment must make us wait, not die.
  db.exec(`PRAGMA busy_timeout = ${STORE_BUSY_TIMEOUT_MS}`);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const current = () => Number((db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as { value: string } | undefined)?.value ?? 0);
  if (current() > STORE_SCHEMA_VERSION) {
    throw new Error(`this baton store was written by a newer baton (schema ${current()}, this baton knows ${STORE_SCHEMA_VERSION}); upgrade baton`);
  }
  if (current() === STORE_SCHEMA_VERSION) return;
  // One process migrates; another that opens the file meanwhile waits for the write lock, then finds it done.
  immediateTransaction(db, () => {
    for (const migration of SQLITE_MIGRATIONS) {
      if (migration.version <= current()) continue;
      db.exec(migration.sql);
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run('schema_version', String(migration.version));
    }
  });
}

/**
 * Runs fn inside BEGIN IMMEDIATE (takes the write lock up front, so read-then-write is safe across
 * processes). Inside a transaction already, fn joins it: all commit or none.
 */
export function immediateTransaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) return fn();
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
