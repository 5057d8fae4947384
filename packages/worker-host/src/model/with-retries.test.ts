import { describe, expect, it } from 'vitest';
import { emptyUsage, type ModelClient, type ModelRequest, type ModelTurn } from './model-client.ts';
import { ModelError, type ModelErrorKind } from './model-error.ts';
import { ScriptError } from './scripted-client.ts';
import { retryDelayMs, withRetries, type RetryPolicy } from './with-retries.ts';

const ok: ModelTurn = { text: 'ok', toolCalls: [], stopReason: 'end_turn', usage: emptyUsage() };
const request: ModelRequest = { system: 's', messages: [{ role: 'user', content: 'go' }], tools: [], maxOutputTokens: 10 };

/** A client that throws the given failures in order, then answers. */
function flaky(failures: unknown[]): ModelClient & { calls: number } {
  const client = {
    provider: 'test',
    model: 'flaky',
    scripted: false,
    calls: 0,
    async complete() {
      const failure = failures[client.calls++];
      if (failure !== undefined) throw failure;
      return ok;
    },
  };
  return client;
}
const fail = (kind: ModelErrorKind, retryAfterMs?: number) => new ModelError({ kind, message: kind, retryAfterMs });

function policy(extra: Partial<RetryPolicy> = {}): RetryPolicy & { waits: number[] } {
  const waits: number[] = [];
  const sleep = async (ms: number) => void waits.push(ms);
  return { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 4000, random: () => 1, ...(extra.onRetry ? {} : { sleep }), waits, ...extra };
}

describe('withRetries', () => {
  it('backs off exponentially up to the cap, with jitter between half and all of the backoff', async () => {
    const p = policy();
    const client = flaky([fail('server'), fail('overloaded'), fail('timeout')]);
    expect(await withRetries(client, p).complete(request)).toBe(ok);
    expect(p.waits).toEqual([1000, 2000, 4000]);
    expect(retryDelayMs(p, 5, fail('server'), () => 0)).toBe(2000);
    expect(retryDelayMs(p, 1, fail('rate_limited', 9000), () => 0)).toBe(9000);
  });

  it('gives up after maxRetries with the last error', async () => {
    const client = flaky([fail('connection'), fail('connection'), fail('server')]);
    const error = await withRetries(client, policy({ maxRetries: 2 })).complete(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'server' });
    expect(client.calls).toBe(3);
  });

  it('never retries caller and configuration errors, script errors or bugs', async () => {
    for (const failure of [fail('bad_request'), fail('auth'), new ScriptError('ran out'), new TypeError('x is undefined')]) {
      const client = flaky([failure]);
      await expect(withRetries(client, policy()).complete(request)).rejects.toBe(failure);
      expect(client.calls).toBe(1);
    }
  });

  it('returns at once when the provider asks to wait longer than we are willing to', async () => {
    const p = policy({ maxRetryAfterMs: 60_000 });
    const client = flaky([fail('rate_limited', 3_600_000)]);
    const error = await withRetries(client, p).complete(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3_600_000 });
    expect((error as Error).message).toContain('asked to wait 3600 s');
    expect(p.waits).toEqual([]);
  });

  it('reports each retry and stops waiting when cancelled', async () => {
    const seen: string[] = [];
    const controller = new AbortController();
    const client = flaky([fail('server'), fail('server')]);
    const p = policy({ baseDelayMs: 600_000, maxDelayMs: 600_000, onRetry: (e, attempt) => (seen.push(`${e.kind}#${attempt}`), controller.abort()) });
    await expect(withRetries(client, p).complete({ ...request, signal: controller.signal })).rejects.toMatchObject({ kind: 'cancelled' });
    expect(seen).toEqual(['server#1']);
    expect(client.calls).toBe(1);
  });

  it('keeps the client identity and extra fields', () => {
    const wrapped = withRetries({ ...flaky([]), price: { input: 1, output: 2 } }, policy());
    expect(wrapped).toMatchObject({ provider: 'test', model: 'flaky', scripted: false, price: { input: 1, output: 2 } });
  });
});
