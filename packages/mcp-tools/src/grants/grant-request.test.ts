// The HTTP grant body and its mapping onto Grant.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GRANT_TTL_S, grantFromRequest, GrantRequestError, parseGrantRequest } from './grant-request.ts';

const at = { id: 'g1', nowMs: 1_000_000 };

describe('grantFromRequest', () => {
  it('maps the wire body onto a Grant, splitting command-line tests without a shell', () => {
    const grant = grantFromRequest(
      {
        tools: ['read_file', 'search', 'read_file'],
        read: ['src/**'],
        write: ['src/feature/**'],
        tests: { unit: 'pnpm vitest run "src/a b.test.ts"', lint: { argv: ['eslint', '.'], cwd: 'src' } },
        expires_in_s: 90,
        limits: { max_file_bytes: 10, max_results: 5, max_output_bytes: 100, test_timeout_s: 30 },
      },
      at,
    );
    expect(grant).toEqual({
      id: 'g1',
      tools: ['read_file', 'search'],
      read: ['src/**'],
      write: ['src/feature/**'],
      tests: { unit: { argv: ['pnpm', 'vitest', 'run', 'src/a b.test.ts'] }, lint: { argv: ['eslint', '.'], cwd: 'src' } },
      limits: { maxFileBytes: 10, maxResults: 5, maxOutputBytes: 100, testTimeoutSeconds: 30, allowUnsandboxedTests: false },
      testEnv: [],
      expiresAt: 1_090_000,
    });
  });

  it('defaults to read-only, no tests, default limits and a one-hour lifetime', () => {
    const grant = grantFromRequest({ tools: ['list_files'], read: [] }, at);
    expect(grant).toMatchObject({ write: [], tests: {}, read: [], expiresAt: at.nowMs + DEFAULT_GRANT_TTL_S * 1000 });
    expect(grant.limits.maxResults).toBe(200);
  });

  it.each([
    ['no tools', { read: ['**'] }, /tools/],
    ['no read scope', { tools: ['read_file'] }, /read/],
    ['an unknown tool', { tools: ['rm_rf'], read: [] }, /tools\.0/],
    ['an unknown field (a typo must not widen or narrow scope silently)', { tools: ['read_file'], read: [], wirte: ['**'] }, /wirte/],
    ['an unknown limit', { tools: ['read_file'], read: [], limits: { max_bytes: 1 } }, /max_bytes/],
    ['a lifetime over the maximum', { tools: ['read_file'], read: [], expires_in_s: 10 ** 9 }, /expires_in_s/],
    ['a zero lifetime', { tools: ['read_file'], read: [], expires_in_s: 0 }, /expires_in_s/],
    ['a bad test name', { tools: ['run_tests'], read: [], tests: { 'a b': 'x' } }, /test names/],
    ['an unterminated quote in a test', { tools: ['run_tests'], read: [], tests: { unit: 'pnpm "vitest' } }, /tests\.unit: unterminated/],
    ['a blank test command', { tools: ['run_tests'], read: [], tests: { unit: '   ' } }, /tests\.unit is an empty command/],
    ['a body that is not an object', ['read_file'], /\(body\)/],
  ])('rejects %s with a message naming the field', (_label, body, message) => {
    expect(() => grantFromRequest(parseGrantRequest(body), at)).toThrow(GrantRequestError);
    expect(() => grantFromRequest(parseGrantRequest(body), at)).toThrow(message);
  });
});
