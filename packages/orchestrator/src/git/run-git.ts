// Runs git with an argument array (never a shell) and a controlled environment: no
// inherited GIT_* variables, no pager, no prompts, C locale, and a fixed identity
// for the commits baton makes. Nothing baton's git starts may run code of the repository's
// or outlive the run: hooks are off (a worker could have written one into its checkout, e.g.
// under a husky-style core.hooksPath), and so are auto-gc and the fsmonitor daemon, which
// git would start in the background.
import { spawn } from 'node:child_process';

export class GitError extends Error {
  override name = 'GitError';
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(args: readonly string[], exitCode: number | null, stderr: string) {
    super(`git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

export interface GitOptions {
  cwd: string;
  /** Extra environment, e.g. GIT_INDEX_FILE for a private index. */
  env?: Record<string, string>;
  input?: string;
  /** Resolve with the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

export const BATON_IDENTITY = {
  GIT_AUTHOR_NAME: 'baton',
  GIT_AUTHOR_EMAIL: 'baton@localhost',
  GIT_COMMITTER_NAME: 'baton',
  GIT_COMMITTER_EMAIL: 'baton@localhost',
};

function gitEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    GIT_CONFIG_NOSYSTEM: '1',
    ...BATON_IDENTITY,
  };
  return { ...env, ...extra };
}

/** Settings every git command baton runs starts with. */
export const GIT_SAFETY_CONFIG: readonly string[] = [
  '-c', 'core.quotepath=off',
  '-c', 'commit.gpgsign=false',
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'gc.auto=0',
  '-c', 'maintenance.auto=false',
  '-c', 'core.fsmonitor=false',
];

/**
 * Options for every patch a human or a model reads (the recorded task diff, the reviewer's and
 * merge worker's input, baton diff): the same text whatever the user's git config or the
 * repository's .gitattributes say. A worker could commit a .gitattributes marking its files
 * binary, -diff, or with a textconv or external diff driver, to hide what it changed; with
 * these, every change shows as text with a/ and b/ prefixes.
 */
export const PATCH_ARGS: readonly string[] = ['--no-ext-diff', '--no-textconv', '--text', '--no-color', '--src-prefix=a/', '--dst-prefix=b/'];

export function git(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GIT_SAFETY_CONFIG, ...args], {
      cwd: options.cwd,
      env: gitEnv(options.env),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new GitError(args, null, `could not start git: ${error.message}`)));
    child.on('close', (exitCode) => {
      const result = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode };
      if (exitCode !== 0 && !options.allowFailure) reject(new GitError(args, exitCode, result.stderr));
      else resolve(result);
    });
    if (child.stdin) {
      // git may exit before reading all of its input; that is its answer, not our error.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
  });
}

export async function gitOut(args: readonly string[], options: GitOptions): Promise<string> {
  return (await git(args, options)).stdout.trim();
}
