// The run store's contract on its embedded database: a SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openRunStore } from './open-store.ts';
import { describeStoreContract } from './store-contract.ts';

function sql(location: string, statement: string): Promise<void> {
  const db = new DatabaseSync(location, { timeout: 10_000 });
  try {
    db.exec(statement);
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  } finally {
    db.close();
  }
}

describeStoreContract('SQLite', {
  freshLocation: async () => path.join(mkdtempSync(path.join(tmpdir(), 'baton-store-')), 'baton', 'state.db'),
  open: async (location, options) => openRunStore({ path: location, ...(options?.now ? { now: options.now } : {}) }),
  sql,
  async breakEventInserts(location) {
    await sql(location, "CREATE TRIGGER refuse_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    return () => sql(location, 'DROP TRIGGER refuse_events');
  },
  dispose: async (location) => rmSync(path.dirname(path.dirname(location)), { recursive: true, force: true }),
});
