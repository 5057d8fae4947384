// What baton records of a git remote: never credentials; and pushes of one ref from several
// attempts at once.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertRemoteHasNoCredentials, pushRefs, remoteAttemptRef, remoteBaseRef, remoteRetryFromEnv } from './git-remote.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

describe('the run’s git remote', () => {
  it('refuses URLs that carry credentials and takes names, scp-like addresses and plain URLs', () => {
    expect(() => assertRemoteHasNoCredentials('https://user:ghp_secret@github.com/o/r.git')).toThrow(/holds credentials/);
    expect(() => assertRemoteHasNoCredentials('https://ghp_token@github.com/o/r.git')).toThrow(/holds credentials/);
    expect(() => assertRemoteHasNoCredentials('ssh://git:pw@host/r.git')).toThrow(/holds credentials/);
    for (const ok of ['origin', 'git@github.com:o/r.git', 'https://github.com/o/r.git', 'ssh://git@host/r.git', 'git://127.0.0.1:9418/r.git', '/srv/git/r.git']) {
      expect(() => assertRemoteHasNoCredentials(ok)).not.toThrow();
    }
  });

  it('names one ref per base commit and per claim of an attempt, under refs/baton/<run>/', () => {
    expect(remoteBaseRef('r1', 'abc')).toBe('refs/baton/r1/base/abc');
    expect(remoteAttemptRef('r1', 'docs', 2, 1)).toBe('refs/baton/r1/attempts/docs/2-1');
    expect(remoteRetryFromEnv({ BATON_REMOTE_TRIES: '2', BATON_REMOTE_RETRY_MS: '10' })).toEqual({ tries: 2, firstDelayMs: 10 });
    expect(remoteRetryFromEnv({ BATON_REMOTE_TRIES: 'x' }).tries).toBe(5);
  });
});

describe('pushing baton refs', () => {
  it('counts a push as done when another push of the same commit to the same ref won the race', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-push-race-'));
    dirs.push(dir);
    const repo = path.join(dir, 'repo');
    const remote = path.join(dir, 'remote.git');
    git(dir, ['init', '-q', '-b', 'main', repo]);
    git(repo, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'base']);
    git(dir, ['init', '-q', '--bare', remote]);
    const commit = git(repo, ['rev-parse', 'HEAD']);
    const ref = remoteBaseRef('r1', commit);
    // Attempts of several tasks start from one commit at once: each pushes its base ref.
    const pushes = Array.from({ length: 8 }, () => pushRefs({ cwd: repo, remote, refs: { [ref]: commit }, what: 'push the base', retry: { tries: 1, firstDelayMs: 0 } }));
    await expect(Promise.all(pushes)).resolves.toHaveLength(8);
    expect(git(remote, ['rev-parse', ref])).toBe(commit);
  });

  it('still refuses a push that finds the ref holding another commit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-push-race-'));
    dirs.push(dir);
    const repo = path.join(dir, 'repo');
    const remote = path.join(dir, 'remote.git');
    git(dir, ['init', '-q', '-b', 'main', repo]);
    git(repo, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'one']);
    const one = git(repo, ['rev-parse', 'HEAD']);
    git(repo, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'two']);
    const two = git(repo, ['rev-parse', 'HEAD']);
    git(dir, ['init', '-q', '--bare', remote]);
    const ref = remoteAttemptRef('r1', 'docs', 1, 0);
    await pushRefs({ cwd: repo, remote, refs: { [ref]: two }, what: 'push the attempt' });
    await expect(pushRefs({ cwd: repo, remote, refs: { [ref]: one }, what: 'push the attempt' })).rejects.toThrow(/git push .* failed/);
    expect(git(remote, ['rev-parse', ref])).toBe(two);
  });
});
