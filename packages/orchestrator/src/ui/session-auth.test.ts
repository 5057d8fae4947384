import { describe, expect, it } from 'vitest';
import { cookieValue, isLoopbackHost, tokensEqual } from './session-auth.ts';

describe('isLoopbackHost', () => {
  it('accepts only loopback names with the exact port', () => {
    expect(isLoopbackHost('127.0.0.1:8080', 8080)).toBe(true);
    expect(isLoopbackHost('LOCALHOST:8080', 8080)).toBe(true);
    expect(isLoopbackHost('[::1]:8080', 8080)).toBe(true);
    for (const bad of [undefined, '', '127.0.0.1', '127.0.0.1:8081', 'localhost.evil.example:8080', 'evil.example:8080', '127.0.0.2:8080', '0.0.0.0:8080', '[::2]:8080']) {
      expect(isLoopbackHost(bad, 8080), String(bad)).toBe(false);
    }
  });
});

describe('tokensEqual', () => {
  it('is true only for the same token, whatever the lengths', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abd', 'abc')).toBe(false);
    expect(tokensEqual('', 'abc')).toBe(false);
    expect(tokensEqual('abcabc', 'abc')).toBe(false);
  });
});

describe('cookieValue', () => {
  it('finds a cookie among others', () => {
    expect(cookieValue('a=1; baton_session_80=xyz; b=2', 'baton_session_80')).toBe('xyz');
    expect(cookieValue('baton_session_8080=xyz', 'baton_session_80')).toBeUndefined();
    expect(cookieValue(undefined, 'baton_session_80')).toBeUndefined();
  });
});
