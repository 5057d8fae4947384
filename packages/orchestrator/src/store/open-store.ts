// Opens the run store a command should use: `--store`, else BATON_STORE_URL, else `store` in
// baton.config.json, else the SQLite file in the repository's git directory. A postgres:// URL
// opens the shared PostgreSQL store (its driver is loaded only then).
import path from 'node:path';
import { gitOut } from '../git/run-git.ts';
import { RunStore } from './run-store.ts';
import { openSqliteBackend } from './sqlite-backend.ts';
import { StoreUsageError } from './store-errors.ts';
import { isPostgresUrl, redactStoreUrl } from './store-url.ts';

export { isPostgresUrl, redactStoreUrl } from './store-url.ts';

export const STORE_URL_ENV = 'BATON_STORE_URL';

/** `<git common dir>/baton/state.db`: inside .git, so never committed and shared by worktrees. */
export async function defaultStorePath(repoRoot: string): Promise<string> {
  const commonDir = await gitOut(['rev-parse', '--git-common-dir'], { cwd: repoRoot });
  return path.join(path.resolve(repoRoot, commonDir), 'baton', 'state.db');
}

/** The SQLite store in a file (the embedded default). */
export function openRunStore(options: { path: string; now?: () => Date }): RunStore {
  return new RunStore({ backend: openSqliteBackend(options), ...(options.now ? { now: options.now } : {}) });
}

/** A store by location: a postgres:// URL or a SQLite file path. */
export async function openStore(options: { location: string; now?: () => Date; applicationName?: string }): Promise<RunStore> {
  if (!isPostgresUrl(options.location)) return openRunStore({ path: options.location, ...(options.now ? { now: options.now } : {}) });
  const { openPostgresBackend } = await import('./postgres-backend.ts');
  const backend = await openPostgresBackend({ url: options.location, ...(options.now ? { now: options.now } : {}), ...(options.applicationName ? { applicationName: options.applicationName } : {}) });
  return new RunStore({ backend, ...(options.now ? { now: options.now } : {}) });
}

/** Which store a repository's commands use, by precedence: flag, environment, config, the default file. */
export async function storeLocation(options: { repoRoot?: string; flag?: string; configStore?: string; env?: Readonly<Record<string, string | undefined>> }): Promise<string> {
  const env = options.env ?? process.env;
  const chosen = options.flag ?? (env[STORE_URL_ENV] || undefined) ?? options.configStore;
  if (chosen !== undefined) {
    if (chosen.trim() === '') throw new StoreUsageError('the store location is empty; give a postgres:// URL or a SQLite file path');
    return isPostgresUrl(chosen) ? chosen : path.resolve(chosen);
  }
  if (!options.repoRoot) throw new StoreUsageError(`no store given: pass --store postgres://… or set ${STORE_URL_ENV}`);
  return defaultStorePath(options.repoRoot);
}

export async function openRepoStore(options: { repoRoot: string; path?: string; store?: string; configStore?: string; now?: () => Date }): Promise<RunStore> {
  const location = options.path ?? (await storeLocation({ repoRoot: options.repoRoot, ...(options.store !== undefined ? { flag: options.store } : {}), ...(options.configStore !== undefined ? { configStore: options.configStore } : {}) }));
  return openStore({ location, ...(options.now ? { now: options.now } : {}) });
}
