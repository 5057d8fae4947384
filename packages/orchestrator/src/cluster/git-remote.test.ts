// What baton records of a git remote: never credentials.
import { describe, expect, it } from 'vitest';
import { assertRemoteHasNoCredentials, remoteAttemptRef, remoteBaseRef, remoteRetryFromEnv } from './git-remote.ts';

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
