// Opens the run store of the repository a command names (--repo, default the current
// directory) and resolves run ids, so every command finds runs the same way.
import path from 'node:path';
import { UsageError } from '@baton/mcp-tools';
import { GitError, gitOut } from '../git/run-git.ts';
import { Option, type Command } from 'commander';
import { loadConfig } from '../config/load-config.ts';
import { defaultStorePath, isPostgresUrl, openStore, storeLocation, STORE_URL_ENV } from '../store/open-store.ts';
import type { RunStore } from '../store/run-store.ts';

export interface RepoStore {
  repo: string;
  store: RunStore;
  /** Where the store is, in full (a PostgreSQL URL may hold a password: never print it; store.location is the printable form). */
  location: string;
}

/** The top level of the git repository containing `dir`, or a usage error saying so. */
export async function repoTopLevel(dir: string): Promise<string> {
  try {
    return await gitOut(['rev-parse', '--show-toplevel'], { cwd: path.resolve(dir) });
  } catch (error) {
    if (error instanceof GitError || (error as { code?: string }).code === 'ENOENT') {
      throw new UsageError(`${path.resolve(dir)} is not inside a git repository; pass --repo <dir> of one`);
    }
    throw error;
  }
}

/** Where a command finds the repository and the store: --repo (default: the current directory) and --store. */
export interface StoreWhere {
  repo?: string | undefined;
  store?: string | undefined;
}

/** Adds --store to a command that reads or writes runs. */
export function addStoreOption(command: Command): Command {
  return command.addOption(new Option('--store <url>', `the run store: postgres://… (shared by machines) or a SQLite file (default: ${STORE_URL_ENV}, else "store" in baton.config.json, else <git dir>/baton/state.db)`));
}

/**
 * Opens the store a command names: --store, else BATON_STORE_URL, else `store` in the
 * repository's baton.config.json, else its SQLite file. A PostgreSQL store is readable from any
 * directory, inside a clone of the repository or not; the default file needs the repository.
 */
export async function openStoreFor(where: string | undefined | StoreWhere): Promise<RepoStore> {
  const { repo: repoOption, store: storeOption } = typeof where === 'object' ? where : { repo: where, store: undefined };
  const given = storeOption ?? (process.env[STORE_URL_ENV] || undefined);
  if (given !== undefined && isPostgresUrl(given)) {
    const repo = await repoTopLevel(repoOption ?? process.cwd()).catch(() => path.resolve(repoOption ?? process.cwd()));
    return { repo, store: await openStore({ location: given }), location: given };
  }
  const repo = await repoTopLevel(repoOption ?? process.cwd());
  const configStore = given === undefined ? (await loadConfig(repo)).config.store : undefined;
  const location = await storeLocation({ repoRoot: repo, ...(given !== undefined ? { flag: given } : {}), ...(configStore !== undefined ? { configStore } : {}) });
  return { repo, store: await openStore({ location }), location };
}

export { defaultStorePath };

/** The named run, or the newest when none is named. */
export async function resolveRunId(store: RunStore, runId: string | undefined): Promise<string> {
  if (runId !== undefined) {
    if (!(await store.hasRun(runId))) throw new UsageError(`no run ${runId} in this store (${store.location}); see baton status for the runs`);
    return runId;
  }
  const newest = (await store.listRuns()).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!newest) throw new UsageError('this repository has no baton runs yet; start one with baton run "<ticket>"');
  return newest.runId;
}

export async function withStore<T>(where: string | undefined | StoreWhere, fn: (opened: RepoStore) => Promise<T> | T): Promise<T> {
  const opened = await openStoreFor(where);
  try {
    return await fn(opened);
  } finally {
    await opened.store.close();
  }
}
