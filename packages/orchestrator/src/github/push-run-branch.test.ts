// The push against real remotes: a local bare repository, and git's smart HTTP protocol
// (the real git http-backend) behind a token check, with a git wrapper on PATH that records
// every argv git was started with.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushRunBranch, redactUrl } from './push-run-branch.ts';
import { startFakeGitHub } from './testing/fake-github.ts';

const TOKEN = 'ghp_pushtoken0123456789abcdefghijklmnop';
let base: string;
let work: string;

function g(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

async function commitOnRunBranch(message: string): Promise<string> {
  await writeFile(path.join(work, 'file.txt'), `${message}\n`);
  g(work, ['add', 'file.txt']);
  const parent = g(work, ['rev-parse', 'HEAD']);
  const treeId = g(work, ['write-tree']);
  const commit = g(work, ['commit-tree', treeId, '-p', parent, '-m', `${message}\n\nBaton-Run: r1\nBaton-Task: t1`]);
  g(work, ['update-ref', 'refs/heads/baton/r1', commit]);
  g(work, ['reset', '-q', '--hard', 'HEAD']);
  return commit;
}

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'baton-push-'));
  work = path.join(base, 'work');
  await mkdir(work);
  g(work, ['init', '-q', '-b', 'main']);
  await writeFile(path.join(work, 'README.md'), 'hello\n');
  g(work, ['add', '-A']);
  g(work, ['commit', '-q', '-m', 'initial']);
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('pushRunBranch to a local bare remote', () => {
  it('pushes baton/<run>, then fast-forwards it, then replaces only what it pushed itself', async () => {
    const bare = path.join(base, 'origin.git');
    g(base, ['init', '-q', '--bare', bare]);
    g(work, ['remote', 'add', 'origin', bare]);
    const first = await commitOnRunBranch('one');
    expect(await pushRunBranch({ repo: work, runId: 'r1', remote: 'origin' })).toEqual({ branch: 'baton/r1', commit: first, remoteUrl: bare, authenticated: false });
    expect(g(bare, ['rev-parse', 'refs/heads/baton/r1'])).toBe(first);
    expect(g(bare, ['log', '-1', '--format=%(trailers:key=Baton-Run,valueonly)', 'baton/r1'])).toBe('r1');

    const second = await commitOnRunBranch('two');
    await pushRunBranch({ repo: work, runId: 'r1', remote: 'origin', lastPushed: first });
    expect(g(bare, ['rev-parse', 'refs/heads/baton/r1'])).toBe(second);

    // A resumed run may rewrite its branch: baton replaces what it pushed last, and nothing else.
    g(work, ['update-ref', 'refs/heads/baton/r1', first]);
    const rewritten = await commitOnRunBranch('two, again');
    await pushRunBranch({ repo: work, runId: 'r1', remote: 'origin', lastPushed: second });
    expect(g(bare, ['rev-parse', 'refs/heads/baton/r1'])).toBe(rewritten);

    // Someone else moved the remote branch: baton refuses to overwrite it.
    g(bare, ['update-ref', 'refs/heads/baton/r1', first]);
    await commitOnRunBranch('three');
    await expect(pushRunBranch({ repo: work, runId: 'r1', remote: 'origin', lastPushed: rewritten })).rejects.toThrow(/has a baton\/r1 that baton did not push, so baton will not overwrite it/);
  });

  it('says what is wrong with the remote name, a missing remote and a missing run branch', async () => {
    await expect(pushRunBranch({ repo: work, runId: 'r1', remote: '--upload-pack=evil' })).rejects.toThrow(/not a git remote name/);
    await expect(pushRunBranch({ repo: work, runId: 'r1', remote: 'upstream' })).rejects.toThrow(/no remote named upstream; add one with git remote add upstream <url>/);
    await expect(pushRunBranch({ repo: work, runId: 'nope', remote: 'origin' })).rejects.toThrow(/run nope has no branch baton\/nope/);
  });
});

describe('pushRunBranch over HTTPS-style smart HTTP with a token', () => {
  it('sends the token as a header to the GitHub host only, never in argv', async () => {
    const root = path.join(base, 'served');
    await mkdir(path.join(root, 'octo'), { recursive: true });
    g(base, ['init', '-q', '--bare', path.join(root, 'octo', 'app.git')]);
    const fake = await startFakeGitHub({ token: TOKEN, prefix: '/api/v3', repos: [{ owner: 'octo', name: 'app' }], gitRoot: root });
    // A git on PATH that records its argv, then runs the real git.
    const shim = path.join(base, 'shim');
    await mkdir(shim);
    const argvLog = path.join(base, 'argv.log');
    const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    await writeFile(path.join(shim, 'git'), `#!${process.execPath}\nconst { appendFileSync } = require('node:fs');\nappendFileSync(${JSON.stringify(argvLog)}, JSON.stringify(process.argv.slice(2)) + '\\n');\nconst r = require('node:child_process').spawnSync(${JSON.stringify(realGit)}, process.argv.slice(2), { stdio: 'inherit' });\nprocess.exit(r.status ?? 1);\n`);
    await chmod(path.join(shim, 'git'), 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${shim}:${savedPath}`;
    try {
      g(work, ['remote', 'add', 'ghe', `${fake.webUrl}/octo/app.git`]);
      const commit = g(work, ['rev-parse', 'refs/heads/baton/r1']);
      const pushed = await pushRunBranch({ repo: work, runId: 'r1', remote: 'ghe', token: TOKEN, tokenOrigin: fake.webUrl });
      expect(pushed).toMatchObject({ commit, authenticated: true });
      expect(g(path.join(root, 'octo', 'app.git'), ['rev-parse', 'refs/heads/baton/r1'])).toBe(commit);
      const basic = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
      expect(fake.gitAuthorizations.length).toBeGreaterThan(0);
      expect(fake.gitAuthorizations.every((a) => a === basic)).toBe(true);
      const argv = await readFile(argvLog, 'utf8');
      expect(argv).toContain('"push"');
      expect(argv).not.toContain(TOKEN);
      expect(argv).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));

      // A wrong token is refused, and the message does not show it.
      await commitOnRunBranch('four');
      const refused = await pushRunBranch({ repo: work, runId: 'r1', remote: 'ghe', token: 'ghp_wrong', tokenOrigin: fake.webUrl, lastPushed: commit }).then(() => new Error('pushed'), (e: unknown) => e as Error);
      expect(refused.message).toMatch(/refused the push of baton\/r1.*The token needs write access/);
      expect(refused.message).not.toContain('ghp_wrong');

      // The token goes only where the API is: another origin gets no header (and is refused here).
      const before = fake.gitAuthorizations.length;
      const elsewhere = await pushRunBranch({ repo: work, runId: 'r1', remote: 'ghe', token: TOKEN, tokenOrigin: 'https://github.com', lastPushed: commit }).then(() => new Error('pushed'), (e: unknown) => e as Error);
      expect(elsewhere.message).toMatch(/baton sends its GitHub token only to the GitHub host/);
      expect(fake.gitAuthorizations.slice(before).every((a) => a === undefined)).toBe(true);
      expect(fake.violations).toEqual([]);
    } finally {
      process.env.PATH = savedPath;
      await fake.close();
    }
  });
});

describe('redactUrl', () => {
  it('drops credentials from URLs', () => {
    expect(redactUrl('https://user:secret@github.com/o/r.git')).toBe('https://github.com/o/r.git');
    expect(redactUrl('git@github.com:o/r.git')).toBe('git@github.com:o/r.git');
  });
});
