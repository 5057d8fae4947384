// Temp git repositories for end-to-end tests, and a fingerprint of everything the user
// owns in a checkout (HEAD, branch, index, working tree) to prove baton left it alone.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, lstat, mkdir, mkdtemp, readFile, readdir, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function gitSync(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1' },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

export interface TestGitRepo {
  dir: string;
  cleanup(): Promise<void>;
}

/** Copies `source` (or starts empty) into a new temp dir and commits it on branch main. */
export async function makeGitRepo(options: { source?: string; files?: Record<string, string> } = {}): Promise<TestGitRepo> {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'baton-e2e-')));
  const dir = path.join(base, 'repo');
  if (options.source) await cp(options.source, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  else await mkdir(dir);
  for (const [rel, content] of Object.entries(options.files ?? {})) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  gitSync(dir, ['init', '-q', '-b', 'main']);
  gitSync(dir, ['add', '-A']);
  gitSync(dir, ['commit', '-q', '-m', 'initial']);
  return { dir, cleanup: () => rm(base, { recursive: true, force: true }) };
}

/** A hash over HEAD, the checked-out branch, the index file and every working-tree file (symlinks by target) outside .git and .baton. */
export async function userStateFingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(gitSync(dir, ['rev-parse', 'HEAD']));
  hash.update(gitSync(dir, ['symbolic-ref', '-q', 'HEAD']));
  hash.update(await readFile(path.join(dir, '.git', 'index')));
  // --no-optional-locks: status must not refresh (rewrite) the very index being fingerprinted.
  hash.update(gitSync(dir, ['--no-optional-locks', 'status', '--porcelain=v1', '--untracked-files=all', '--ignored']));
  for (const file of await listFiles(dir)) {
    hash.update(file);
    // A symlink (a virtualenv has them) counts by where it points.
    const full = path.join(dir, file);
    hash.update((await lstat(full)).isSymbolicLink() ? `-> ${await readlink(full)}` : await readFile(full));
  }
  return hash.digest('hex');
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (rel === '' && (entry.name === '.git' || entry.name === '.baton')) continue;
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, child)));
    else out.push(child);
  }
  return out;
}
