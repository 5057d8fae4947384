import { describe, expect, it } from 'vitest';
import { apiUrlForHost, hostOfApiUrl, parseRemoteUrl, parseRepoRef } from './github-remote.ts';

describe('parseRemoteUrl', () => {
  it('reads owner and name from https, ssh and scp-like URLs', () => {
    expect(parseRemoteUrl('https://github.com/octo/hello.git')).toEqual({ host: 'github.com', transport: 'https', repo: { owner: 'octo', name: 'hello' } });
    expect(parseRemoteUrl('https://x-access-token@github.com/octo/hello')).toEqual({ host: 'github.com', transport: 'https', repo: { owner: 'octo', name: 'hello' } });
    expect(parseRemoteUrl('git@github.com:octo/hello.git')).toEqual({ host: 'github.com', transport: 'ssh', repo: { owner: 'octo', name: 'hello' } });
    expect(parseRemoteUrl('ssh://git@ghe.example.com:2222/team/app.git')).toEqual({ host: 'ghe.example.com:2222', transport: 'ssh', repo: { owner: 'team', name: 'app' } });
    expect(parseRemoteUrl('https://ghe.example.com/team/app')).toMatchObject({ host: 'ghe.example.com', repo: { owner: 'team', name: 'app' } });
  });

  it('knows local paths and odd URLs have no GitHub repository', () => {
    expect(parseRemoteUrl('/srv/git/app.git')).toEqual({ transport: 'file' });
    expect(parseRemoteUrl('file:///srv/git/app.git')).toEqual({ transport: 'file' });
    expect(parseRemoteUrl('https://gitlab.example.com/group/sub/app.git')).toEqual({ host: 'gitlab.example.com', transport: 'https' });
  });
});

describe('parseRepoRef', () => {
  it('accepts owner/name and refuses anything else', () => {
    expect(parseRepoRef('octo/hello')).toEqual({ owner: 'octo', name: 'hello' });
    for (const bad of ['octo', 'octo/hello/x', '../x', 'a b/c', '/x']) expect(() => parseRepoRef(bad), bad).toThrow(/owner\/name/);
  });
});

describe('API roots', () => {
  it('maps github.com to api.github.com and other hosts to /api/v3', () => {
    expect(apiUrlForHost('github.com')).toBe('https://api.github.com');
    expect(apiUrlForHost('ghe.example.com')).toBe('https://ghe.example.com/api/v3');
    expect(hostOfApiUrl('https://api.github.com')).toBe('github.com');
    expect(hostOfApiUrl('https://ghe.example.com/api/v3')).toBe('ghe.example.com');
  });
});
