// Moving a run's commits between machines through a git remote (the user's own: `origin`, or
// any URL), never a shared file system. Everything baton puts there lives under its own ref
// namespace, refs/baton/<run>/…: the commits attempts start from, each attempt's commit, and
// the run branch's tip. A remote that does not answer is retried a few times, then reported.
import { git, GitError } from '../git/run-git.ts';
import { UsageError } from '@baton/mcp-tools';

/** The commit an attempt starts from (one ref per commit: a ref that moved could hand a node the wrong base). */
export function remoteBaseRef(runId: string, commit: string): string {
  return `refs/baton/${runId}/base/${commit}`;
}

/** One attempt's commit, as one node's claim on it pushed it: a late finisher cannot overwrite another's. */
export function remoteAttemptRef(runId: string, taskId: string, attempt: number, claim: number): string {
  return `refs/baton/${runId}/attempts/${taskId}/${attempt}-${claim}`;
}

/** The run branch as the orchestrator last recorded it, for an orchestrator resumed on another machine. */
export function remoteTipRef(runId: string): string {
  return `refs/baton/${runId}/tip`;
}

export function remoteRunPrefix(runId: string): string {
  return `refs/baton/${runId}/`;
}

export interface RemoteRetry {
  /** Tries before giving up (default 5). */
  tries: number;
  /** First pause between tries; doubles each time. */
  firstDelayMs: number;
}

export const DEFAULT_REMOTE_RETRY: RemoteRetry = { tries: 5, firstDelayMs: 500 };

/** BATON_REMOTE_TRIES and BATON_REMOTE_RETRY_MS, for operators and tests; else the defaults. */
export function remoteRetryFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): RemoteRetry {
  const tries = Number(env['BATON_REMOTE_TRIES'] ?? DEFAULT_REMOTE_RETRY.tries);
  const firstDelayMs = Number(env['BATON_REMOTE_RETRY_MS'] ?? DEFAULT_REMOTE_RETRY.firstDelayMs);
  return {
    tries: Number.isInteger(tries) && tries >= 1 ? tries : DEFAULT_REMOTE_RETRY.tries,
    firstDelayMs: Number.isFinite(firstDelayMs) && firstDelayMs >= 0 ? firstDelayMs : DEFAULT_REMOTE_RETRY.firstDelayMs,
  };
}

/** The remote could not be reached in any of the tries. */
export class RemoteUnreachableError extends Error {
  override name = 'RemoteUnreachableError';
}

/** Credentials in a remote URL would be recorded in the store (and shown to every machine): refused. */
export function assertRemoteHasNoCredentials(remote: string): void {
  let url: URL | undefined;
  try {
    url = new URL(remote);
  } catch {
    return; // a remote name or an scp-like address (git@host:path) carries no password
  }
  if (url.password !== '' || (url.username !== '' && /^https?:$/.test(url.protocol))) {
    throw new UsageError(`the git remote ${url.protocol}//${url.host}${url.pathname} holds credentials in its URL; baton records the remote in the run store, shared by every machine. Give the URL without them and let git find them (a credential helper, SSH keys)`);
  }
}

/** What git may need to reach a remote that baton's scrubbed environment would otherwise drop. */
function remoteEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['SSH_AUTH_SOCK', 'GIT_SSH_COMMAND', 'GIT_SSH']) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return env;
}

/** A failure of the transport (connection refused, timed out, host not found), as opposed to a refused ref update. */
function unreachable(error: GitError): boolean {
  return /unable to connect|connection refused|could not connect|couldn't connect|failed to connect|timed out|could not resolve host|unable to access|early EOF|the remote end hung up|could not read from remote repository|connection reset|broken pipe|network is unreachable|no route to host/i.test(error.stderr);
}

export async function remoteGit(args: readonly string[], options: { cwd: string; remote: string; what: string; retry?: RemoteRetry; onRetry?: (attempt: number, error: GitError) => void }): Promise<string> {
  const retry = options.retry ?? remoteRetryFromEnv();
  let delay = retry.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return (await git(args, { cwd: options.cwd, env: remoteEnv() })).stdout;
    } catch (error) {
      if (!(error instanceof GitError) || !unreachable(error)) throw error;
      if (attempt >= retry.tries) {
        const why = error.stderr.trim().split('\n').filter(Boolean).slice(-2).join(' | ');
        throw new RemoteUnreachableError(`could not reach the git remote ${options.remote} to ${options.what} after ${attempt} tries (${why}). Check that it is up and that this machine can reach it, then resume the run`);
      }
      options.onRetry?.(attempt, error);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}

/**
 * Pushes commits to refs on the remote (never forced: each of baton's refs names one commit).
 * A push refused because the ref appeared meanwhile (attempts of several tasks pushing the base
 * they share, at once: the remote lets one create it and refuses the others) is done when the
 * remote's ref names the very commit; a ref holding another commit is still an error.
 */
export async function pushRefs(input: { cwd: string; remote: string; refs: Record<string, string>; what: string; retry?: RemoteRetry; onRetry?: (attempt: number, error: GitError) => void }): Promise<string> {
  const specs = Object.entries(input.refs).map(([ref, commit]) => `${commit}:${ref}`);
  const options = { cwd: input.cwd, remote: input.remote, what: input.what, ...(input.retry ? { retry: input.retry } : {}), ...(input.onRetry ? { onRetry: input.onRetry } : {}) };
  try {
    return await remoteGit(['push', '--quiet', '--no-verify', input.remote, ...specs], options);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const listed = await remoteGit(['ls-remote', '--refs', input.remote, ...Object.keys(input.refs)], { ...options, what: `check the refs after a refused push (${input.what})` });
    const onRemote = new Map(listed.split('\n').filter(Boolean).map((line) => [line.split('\t')[1], line.split('\t')[0]] as const));
    if (Object.entries(input.refs).every(([ref, commit]) => onRemote.get(ref) === commit)) return '';
    throw error;
  }
}

/** Moves a ref that names the newest of something (the run's tip): forced, since the run branch may step back. */
export function pushMovingRef(input: { cwd: string; remote: string; ref: string; commit: string; what: string; retry?: RemoteRetry }): Promise<string> {
  return remoteGit(['push', '--quiet', '--no-verify', '--force', input.remote, `${input.commit}:${input.ref}`], { cwd: input.cwd, remote: input.remote, what: input.what, ...(input.retry ? { retry: input.retry } : {}) });
}

/** Fetches remote refs into the same names locally. */
export function fetchRefs(input: { cwd: string; remote: string; refs: readonly string[]; what: string; retry?: RemoteRetry; onRetry?: (attempt: number, error: GitError) => void }): Promise<string> {
  const specs = input.refs.map((ref) => `+${ref}:${ref}`);
  return remoteGit(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', input.remote, ...specs], { cwd: input.cwd, remote: input.remote, what: input.what, ...(input.retry ? { retry: input.retry } : {}), ...(input.onRetry ? { onRetry: input.onRetry } : {}) });
}

/** Deletes the run's refs under a prefix on the remote (after the run), keeping those `keep` names. */
export async function deleteRemoteRefs(input: { cwd: string; remote: string; runId: string; keep?: readonly string[] }): Promise<string[]> {
  const listed = await remoteGit(['ls-remote', '--refs', input.remote, `${remoteRunPrefix(input.runId)}*`], { cwd: input.cwd, remote: input.remote, what: 'list the run’s refs' });
  const refs = listed
    .split('\n')
    .map((line) => line.split('\t')[1])
    .filter((ref): ref is string => ref !== undefined && ref.startsWith(remoteRunPrefix(input.runId)) && !(input.keep ?? []).includes(ref));
  if (refs.length > 0) await remoteGit(['push', '--quiet', '--no-verify', input.remote, ...refs.map((ref) => `:${ref}`)], { cwd: input.cwd, remote: input.remote, what: 'delete the run’s refs' });
  return refs;
}
