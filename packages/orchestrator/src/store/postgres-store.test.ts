// The run store's contract on PostgreSQL (a real server, started for these tests), and what
// only a shared database must do: survive the server restarting under live writers.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable, startPostgresServer, type PostgresServer } from '../testing/postgres-server.ts';
import { openStore } from './open-store.ts';
import { describeStoreContract } from './store-contract.ts';

const unavailable = postgresUnavailable();
// On CI a missing server is a failure: the bootstrap installs it.
if (unavailable && process.env['CI']) throw new Error(`PostgreSQL tests cannot run on CI: ${unavailable}`);

let server: PostgresServer;
let databases = 0;
beforeAll(async () => {
  if (!unavailable) server = await startPostgresServer();
});
afterAll(async () => {
  await server?.close();
});

async function sql(location: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: location, options: '-c search_path=baton' });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describeStoreContract(
  'PostgreSQL',
  {
    freshLocation: () => server.createDatabase(`contract_${++databases}`),
    open: (location, options) => openStore({ location, ...(options?.now ? { now: options.now } : {}) }),
    sql,
    async breakEventInserts(location) {
      await sql(location, "CREATE FUNCTION baton.refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$");
      await sql(location, 'CREATE TRIGGER refuse_events BEFORE INSERT ON baton.events FOR EACH ROW EXECUTE FUNCTION baton.refuse_insert()');
      return async () => {
        await sql(location, 'DROP TRIGGER refuse_events ON baton.events');
        await sql(location, 'DROP FUNCTION baton.refuse_insert()');
      };
    },
    dispose: async () => undefined,
  },
  unavailable ? { skip: unavailable } : {},
);

describe.skipIf(unavailable !== undefined)('PostgreSQL store under a restarting server', () => {
  it('keeps every event of live writers, once each and in order, across a restart', async () => {
    const location = await server.createDatabase('restart');
    const store = await openStore({ location });
    const watcher = await openStore({ location });
    try {
      const writer = await store.createRun({ runId: 'r', ticket: 't', workflow: 'feature', baseCommit: 'b', maxWorkers: 1 });
      const heard: number[] = [];
      const stop = watcher.subscribe('r', (e) => heard.push(e.seq));
      for (let i = 1; i <= 20; i++) writer.enqueue({ type: 'task_event', taskId: 'a', attempt: 1, kind: 'tool_call', name: `before${i}` });
      await writer.flush();
      await server.restart();
      for (let i = 1; i <= 20; i++) writer.enqueue({ type: 'task_event', taskId: 'a', attempt: 1, kind: 'tool_call', name: `after${i}` });
      await writer.flush();
      const events = await store.events('r');
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
      expect(events.filter((e) => e.type === 'task_event').map((e) => (e.type === 'task_event' ? e.name : ''))).toEqual([
        ...Array.from({ length: 20 }, (_, i) => `before${i + 1}`),
        ...Array.from({ length: 20 }, (_, i) => `after${i + 1}`),
      ]);
      // The writer still holds the run: another process cannot take it.
      await expect(watcher.openWriter('r')).rejects.toThrow(/already being driven/);
      // The watcher, whose listening connection the restart cut, hears the rest (once each, in order).
      await expect.poll(() => heard.at(-1), { timeout: 30_000 }).toBe(41);
      expect(heard).toEqual([...new Set(heard)].sort((a, b) => a - b));
      stop();
      await writer.release();
    } finally {
      await watcher.close();
      await store.close();
    }
  });
});
