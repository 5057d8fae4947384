// A real PostgreSQL for tests: Debian's server binaries (the `postgresql` package, installed by
// the bootstrap as it installs bubblewrap) on a temp data directory and a free loopback port,
// started and stopped by the test. initdb and postgres refuse to run as root, so as root they
// run as the `postgres` user. Restartable on the same port, for tests of a database that goes
// away mid-run. Nothing here runs unless a test starts it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly adminUrl: string;
  readonly port: number;
  readonly binDir: string;
  /** A fresh, empty database; returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Fast shutdown (clients are disconnected), then the same server starts again on the same port. */
  restart(): Promise<void>;
  /** Stops the server; resolves once it is down. `start()` brings it back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** pg_dump of a database, as SQL text (for tests that look for what must not be stored). */
  dump(url: string): string;
  close(): Promise<void>;
}

/** Where Debian's (or a BATON_PG_BIN) server binaries are, or undefined. */
export function findPostgresBinaries(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const candidates: string[] = [];
  if (env['BATON_PG_BIN']) candidates.push(env['BATON_PG_BIN']);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(debian, version, 'bin'));
  }
  for (const dir of (env['PATH'] ?? '').split(':')) if (dir) candidates.push(dir);
  return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres')));
}

/**
 * Why PostgreSQL tests cannot run here, or undefined when they can. On CI (CI=true) a missing
 * server is a failure, never a skip: scripts/system-deps.mjs installs it.
 */
export function postgresUnavailable(): string | undefined {
  return findPostgresBinaries() ? undefined : 'PostgreSQL server binaries not found (install Debian\'s postgresql package, or set BATON_PG_BIN to the directory holding initdb and postgres)';
}

function postgresAccount(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, and there is no postgres user to run the server as (Debian\'s postgresql package creates it)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startPostgresServer(options: { deadlineMs?: number } = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinaries();
  if (!binDir) throw new Error(postgresUnavailable());
  const deadlineMs = options.deadlineMs ?? 60_000;
  const account = postgresAccount();
  const root = mkdtempSync(path.join(tmpdir(), 'baton-pg-'));
  const dataDir = path.join(root, 'data');
  const socketDir = path.join(root, 'socket');
  const ids = account ? { uid: account.uid, gid: account.gid } : {};
  if (account) {
    chownSync(root, account.uid, account.gid);
    chmodSync(root, 0o700);
  }
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', HOME: root };
  const init = spawnSync(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C'], { ...ids, env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed (${init.status ?? init.signal}): ${init.stderr || init.error?.message}`);
  spawnSync('mkdir', ['-p', socketDir], { ...ids });
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    const proc = spawn(
      path.join(binDir, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
      { ...ids, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within ${deadlineMs} ms:\n${log}`)), deadlineMs);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('database system is ready to accept connections')) {
          clearTimeout(timer);
          proc.stderr?.off('data', onData);
          resolve();
        }
      };
      proc.stderr?.on('data', onData);
      proc.stdout?.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL exited (${code}) while starting:\n${log}`));
      });
    });
    // Keep draining its output so a chatty server never blocks on a full pipe.
    proc.stderr?.on('data', () => undefined);
    proc.stdout?.on('data', () => undefined);
  };

  const stop = async (): Promise<void> => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT'); // fast shutdown: clients are disconnected, the data stays consistent
    await exited;
    child = undefined;
  };

  await start();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    adminUrl,
    port,
    binDir,
    async createDatabase(name) {
      const db = name ?? `baton_test_${++databases}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${db.replaceAll('"', '')}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${db}`;
    },
    async restart() {
      await stop();
      await start();
    },
    stop,
    start,
    dump(url) {
      const result = spawnSync(path.join(binDir, 'pg_dump'), ['--no-owner', '--data-only', '--inserts', url], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      if (result.status !== 0) throw new Error(`pg_dump failed: ${result.stderr}`);
      return result.stdout;
    },
    async close() {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
