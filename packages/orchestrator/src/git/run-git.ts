// Runs git with an argument array (never a shell) and a controlled environment: no
// inherited GIT_* variables, no pager, no prompts, C locale, and a fixed identity
// for the commits baton makes. Nothing baton's git starts may run code of the repository's
// or outlive the run: hooks are off (a worker could have written one into its checkout, e.g.
// under a husky-style core.hooksPath), and so are auto-gc and the fsmonitor daemon, which
// git would start in the background.
import { spawn } from 'node:child_process';
import path from 'node:path';

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
 * merge worker's input, baton diff): the same text whatever the user's git config says — no
 * external diff or textconv driver, no colour, a/ and b/ prefixes.
 */
export const PATCH_ARGS: readonly string[] = ['--no-ext-diff', '--no-textconv', '--no-color', '--src-prefix=a/', '--dst-prefix=b/'];

/**
 * A patch between commits (`show <commit>`, `diff <a> <b>`), read from the object store alone.
 * Without a working tree or index git reads no in-tree .gitattributes, so a worker cannot commit
 * one that marks its changes binary or -diff to hide them from the dashboard and the reviewer;
 * files git finds binary by their content still show as binary.
 */
export async function commitPatch(repo: string, args: readonly string[]): Promise<string> {
  const commonDir = path.resolve(repo, await gitOut(['rev-parse', '--git-common-dir'], { cwd: repo }));
  return (await git(['--git-dir', commonDir, '--bare', ...args.slice(0, 1), ...PATCH_ARGS, ...args.slice(1)], { cwd: commonDir })).stdout;
}

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
