// Pushes `baton/<run>` to the user's remote with git (an argument array, never a shell). Over
// HTTPS to the GitHub host the token goes to git as an HTTP header through GIT_CONFIG_*
// environment variables scoped to that host, so it is never in argv, in the remote's URL, in
// git's config files or in our output. SSH and local remotes use their own credentials.
import { UsageError } from '@baton/mcp-tools';
import { git, gitOut } from '../git/run-git.ts';
import { runBranchRef } from '../workspace/baton-paths.ts';
import { parseRemoteUrl } from './github-remote.ts';

export interface PushRunBranchInput {
  repo: string;
  runId: string;
  remote: string;
  /** Sent only to `tokenOrigin` (scheme://host[:port]), the GitHub the API calls go to. */
  token?: string;
  tokenOrigin?: string;
  /** What this branch held on the remote after baton's last push: a later push may replace exactly that. */
  lastPushed?: string;
}

export interface PushedBranch {
  branch: string;
  commit: string;
  /** The remote's URL with any user:password removed, for messages. */
  remoteUrl: string;
  /** Whether the token went along (an HTTPS remote on the GitHub host). */
  authenticated: boolean;
}

export class PushError extends Error {
  override name = 'PushError';
}

const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;

/** user:password@ never shows in what baton prints. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/** The GIT_CONFIG_* variables that give git an Authorization header for one origin only. */
export function authHeaderEnv(origin: string, token: string): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
  return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${origin.replace(/\/+$/, '')}/.extraheader`, GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` };
}

/** What SSH remotes need from the user's environment (their agent, their ssh command). */
function sshEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['SSH_AUTH_SOCK', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_SSH_VARIANT']) {
    const value = process.env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export async function pushRunBranch(input: PushRunBranchInput): Promise<PushedBranch> {
  if (!REMOTE_NAME.test(input.remote)) throw new UsageError(`"${input.remote}" is not a git remote name; pass --remote <name> (see git remote -v)`);
  const branch = `baton/${input.runId}`;
  const found = await git(['remote', 'get-url', '--push', input.remote], { cwd: input.repo, allowFailure: true });
  if (found.exitCode !== 0) throw new UsageError(`this repository has no remote named ${input.remote}; add one with git remote add ${input.remote} <url>, or pass --remote <name>`);
  const url = found.stdout.trim();
  const commit = await gitOut(['rev-parse', '--verify', '--quiet', runBranchRef(input.runId)], { cwd: input.repo }).catch(() => '');
  if (commit === '') throw new UsageError(`run ${input.runId} has no branch ${branch} in this repository; nothing to push`);

  const target = parseRemoteUrl(url);
  const origin = target.host !== undefined && (target.transport === 'https' || target.transport === 'http') ? `${target.transport}://${target.host}` : undefined;
  const authenticated = input.token !== undefined && origin !== undefined && input.tokenOrigin !== undefined && origin.toLowerCase() === input.tokenOrigin.replace(/\/+$/, '').toLowerCase();
  const env = { ...(authenticated ? authHeaderEnv(origin!, input.token!) : {}), ...(target.transport === 'ssh' ? sshEnv() : {}) };

  const refspec = `${runBranchRef(input.runId)}:${runBranchRef(input.runId)}`;
  const lease = input.lastPushed ? [`--force-with-lease=${runBranchRef(input.runId)}:${input.lastPushed}`] : [];
  const pushed = await git(['push', '--porcelain', ...lease, input.remote, refspec], { cwd: input.repo, env, allowFailure: true });
  if (pushed.exitCode !== 0) {
    // --porcelain reports each ref on stdout ("!  <ref>  [rejected] (stale info)"); errors go to stderr.
    const output = `${pushed.stdout}\n${pushed.stderr}`;
    const said = output.split('\n').filter((l) => l.trim() !== '' && l.trim() !== 'Done').slice(-3).join(' | ');
    const where = `${input.remote} (${redactUrl(url)})`;
    if (/\[rejected\]|\[remote rejected\]|stale info|fetch first|non-fast-forward/i.test(output)) {
      throw new PushError(`the remote ${where} has a ${branch} that baton did not push, so baton will not overwrite it: ${said}. Delete or rename that branch on the remote, then run baton pr again`);
    }
    if (/authentication|\b40[13]\b|could not read Username|permission/i.test(output)) {
      throw new PushError(`the remote ${where} refused the push of ${branch}: ${said}. ${authenticated ? 'The token needs write access to the repository contents' : 'Check your git credentials for this remote (baton sends its GitHub token only to the GitHub host)'}`);
    }
    throw new PushError(`git push of ${branch} to ${where} failed: ${said}`);
  }
  return { branch, commit, remoteUrl: redactUrl(url), authenticated };
}
