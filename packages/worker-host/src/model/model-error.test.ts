import { describe, expect, it } from 'vitest';
import { ModelError, retryAfterFrom, toModelError } from './model-error.ts';

const httpError = (status: number, headers: Record<string, string> = {}) => Object.assign(new Error('boom'), { status, headers: new Headers(headers) });

describe('toModelError', () => {
  it.each([
    [429, 'rate_limited', 'provider', true],
    [529, 'overloaded', 'provider', true],
    [500, 'server', 'provider', true],
    [503, 'server', 'provider', true],
    [408, 'timeout', 'provider', true],
    [400, 'bad_request', 'caller', false],
    [404, 'bad_request', 'caller', false],
    [413, 'bad_request', 'caller', false],
    [401, 'auth', 'config', false],
    [403, 'auth', 'config', false],
  ] as const)('maps HTTP %i to %s (fault %s, retryable %s)', (status, kind, fault, retryable) => {
    const error = toModelError(httpError(status), 'anthropic');
    expect(error).toMatchObject({ kind, fault, retryable, status });
  });

  it('reads retry-after in seconds, as an HTTP date, and retry-after-ms first', () => {
    expect(toModelError(httpError(429, { 'retry-after': '7' }), 'x').retryAfterMs).toBe(7000);
    expect(retryAfterFrom(new Headers({ 'retry-after-ms': '250', 'retry-after': '7' }))).toBe(250);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfterFrom({ 'retry-after': inTenSeconds })).toBeGreaterThan(8_000);
    expect(retryAfterFrom({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterFrom(undefined)).toBeUndefined();
  });

  it('tells aborts, timeouts, dropped connections and mid-stream provider errors apart', () => {
    expect(toModelError(new DOMException('aborted', 'AbortError'), 'x')).toMatchObject({ kind: 'cancelled', fault: 'caller' });
    expect(toModelError(Object.assign(new Error('t'), { name: 'APIConnectionTimeoutError' }), 'x')).toMatchObject({ kind: 'timeout' });
    expect(toModelError(new TypeError('terminated'), 'x')).toMatchObject({ kind: 'connection', retryable: true });
    expect(toModelError(Object.assign(new Error('Overloaded'), { type: 'overloaded_error' }), 'x')).toMatchObject({ kind: 'overloaded' });
    expect(toModelError(Object.assign(new Error('slow down'), { code: 'rate_limit_exceeded' }), 'x')).toMatchObject({ kind: 'rate_limited' });
    expect(toModelError('a string', 'x')).toMatchObject({ kind: 'connection' });
  });

  it('passes a ModelError through unchanged', () => {
    const original = new ModelError({ kind: 'auth', message: 'no key' });
    expect(toModelError(original, 'x')).toBe(original);
  });
});
