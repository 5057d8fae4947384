// The run store a crash test runs baton on, and reads back: the default SQLite file in the
// repository's git directory, or a PostgreSQL database given to every command with --store.
// The SQLite one is read read-only and straight from the file, so that polling it while baton
// runs never creates the file or takes a lock baton would meet; the PostgreSQL one is read through
// the store's own API, on a connection of the test's own.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openStore, type RunStore, type StoredEvent } from '@baton/orchestrator';

export interface StoreUnderTest {
  readonly kind: 'sqlite' | 'postgres';
  /** What every baton invocation gets to use this store ([] for the default file). */
  readonly args: readonly string[];
  /** The run's events as stored so far; [] while the run (or the store) does not exist yet. */
  events(runId: string): Promise<StoredEvent[]>;
  /** The runs whose run lock is held; ['unreadable'] when the store cannot be read. */
  lockedRuns(): Promise<string[]>;
  close(): Promise<void>;
}

export function storeFile(repo: string): string {
  return path.join(repo, '.git', 'baton', 'state.db');
}

export function readStore<T>(repo: string, read: (db: DatabaseSync) => T, fallback: T): T {
  if (!existsSync(storeFile(repo))) return fallback;
  try {
    const db = new DatabaseSync(storeFile(repo), { readOnly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  } catch {
    return fallback;
  }
}

/** The default store: `.git/baton/state.db` in the repository. */
export function sqliteStore(repo: string): StoreUnderTest {
  return {
    kind: 'sqlite',
    args: [],
    events: async (runId) =>
      readStore(repo, (db) => (db.prepare('SELECT seq, at, data FROM events WHERE run_id = ? ORDER BY seq').all(runId) as { seq: number; at: string; data: string }[]).map((row) => ({ ...(JSON.parse(row.data) as StoredEvent), runId, seq: row.seq, at: row.at })), []),
    lockedRuns: async () => readStore(repo, (db) => (db.prepare('SELECT run_id FROM run_locks').all() as { run_id: string }[]).map((row) => row.run_id), ['unreadable']),
    close: async () => undefined,
  };
}

/** A PostgreSQL store at `url` (a database of the test's own), passed to baton with --store. */
export async function postgresStore(url: string): Promise<StoreUnderTest> {
  const store: RunStore = await openStore({ location: url, applicationName: 'baton-crash-test' });
  return {
    kind: 'postgres',
    args: ['--store', url],
    events: async (runId) => ((await store.hasRun(runId)) ? store.events(runId) : []),
    lockedRuns: async () => (await store.listRuns()).filter((run) => run.lockedBy !== undefined).map((run) => run.runId),
    close: () => store.close(),
  };
}
