// The GitHub token baton uses: GITHUB_TOKEN, or else the token of an installed `gh` for the
// host (`gh auth token --hostname HOST`). It is held in memory only: never in argv, logs or
// the store; `gh` runs with an argument array and only the variables it needs.
import { spawn } from 'node:child_process';
import { GitHubError } from './github-errors.ts';

export interface GitHubToken {
  token: string;
  source: 'GITHUB_TOKEN' | 'gh';
}

/** Variables `gh` needs to find its own login, and nothing else of ours. */
const GH_ENV = ['PATH', 'HOME', 'XDG_CONFIG_HOME', 'GH_CONFIG_DIR', 'APPDATA', 'LOCALAPPDATA', 'USERPROFILE'];

function runGh(args: readonly string[], env: Readonly<Record<string, string | undefined>>, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    const childEnv: Record<string, string> = { GH_PROMPT_DISABLED: '1', NO_COLOR: '1' };
    for (const name of GH_ENV) if (env[name] !== undefined) childEnv[name] = env[name];
    const child = spawn('gh', [...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ code: null, stdout, stderr: error.message, missing: error.code === 'ENOENT' }));
    child.on('close', (code) => resolve({ code, stdout, stderr, missing: false }));
  });
}

export async function githubToken(options: { host: string; env?: Readonly<Record<string, string | undefined>>; timeoutMs?: number }): Promise<GitHubToken> {
  const env = options.env ?? process.env;
  const fromEnv = env['GITHUB_TOKEN']?.trim();
  if (fromEnv) return { token: fromEnv, source: 'GITHUB_TOKEN' };
  const how = `set GITHUB_TOKEN to a token that may push to the repository and open pull requests, or sign in with gh auth login --hostname ${options.host}`;
  const gh = await runGh(['auth', 'token', '--hostname', options.host], env, options.timeoutMs ?? 15_000);
  if (gh.missing) throw new GitHubError(`no GitHub token: GITHUB_TOKEN is not set and gh is not installed; ${how}`, { status: 0, fault: 'user' });
  const token = gh.stdout.trim();
  if (gh.code !== 0 || token === '' || /\s/.test(token)) {
    const said = gh.stderr.trim().split('\n')[0] ?? '';
    throw new GitHubError(`no GitHub token: GITHUB_TOKEN is not set and gh auth token --hostname ${options.host} gave none${said ? ` (${said})` : ''}; ${how}`, { status: 0, fault: 'user' });
  }
  return { token, source: 'gh' };
}
