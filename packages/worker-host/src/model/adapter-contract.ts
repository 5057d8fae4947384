// One contract every live adapter must meet, run against the fake provider speaking that
// adapter's wire format: text and tool-call turns, usage, streaming deltas, retries on
// 429/500/529 with retry-after, giving up, no retry on 4xx, malformed tool JSON, cancellation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../testing/fake-provider.ts';
import type { ModelClient, ModelRequest } from './model-client.ts';
import { ModelError } from './model-error.ts';
import { withRetries } from './with-retries.ts';

export function adapterContract(name: string, make: (fake: FakeProvider) => ModelClient): void {
  describe(`${name} adapter contract`, () => {
    let fake: FakeProvider;
    let client: ModelClient;
    const delays: number[] = [];
    let retrying: ModelClient;
    beforeAll(async () => {
      fake = await startFakeProvider();
      client = make(fake);
      retrying = withRetries(client, { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5, sleep: async (ms) => void delays.push(ms) });
    });
    afterAll(() => fake.close());

    const request = (extra: Partial<ModelRequest> = {}): ModelRequest => ({
      system: 'You are a worker.',
      messages: [{ role: 'user', content: '# Task t: read a.ts' }],
      tools: [{ name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
      maxOutputTokens: 500,
      ...extra,
    });

    it('returns a text turn with usage, streaming the text', async () => {
      fake.push({ turn: { text: 'All done here.', usage: { input: 120, output: 9 } } });
      const deltas: string[] = [];
      const turn = await client.complete(request({ onTextDelta: (d) => deltas.push(d) }));
      expect(turn).toMatchObject({ text: 'All done here.', toolCalls: [], stopReason: 'end_turn' });
      expect(turn.usage.inputTokens).toBe(120);
      expect(turn.usage.outputTokens).toBe(9);
      expect(deltas.join('')).toBe('All done here.');
      expect(deltas.length).toBeGreaterThan(1);
    });

    it('returns tool calls and sends their results back on the next request', async () => {
      fake.push({ turn: { text: 'Reading.', toolCalls: [{ id: 'c1', name: 'read_file', arguments: { path: 'a.ts' } }] } });
      const turn = await client.complete(request());
      expect(turn.stopReason).toBe('tool_use');
      expect(turn.toolCalls).toEqual([{ id: 'c1', name: 'read_file', arguments: { path: 'a.ts' } }]);
      fake.push({ turn: { text: 'It exports a.' } });
      const before = fake.requests.length;
      await client.complete(request({ messages: [...request().messages, { role: 'assistant', text: turn.text, toolCalls: turn.toolCalls }, { role: 'tool', results: [{ callId: 'c1', content: 'export const a = 1;', isError: false }] }] }));
      const sent = JSON.stringify(fake.requests[before]!.body);
      expect(sent).toContain('c1');
      expect(sent).toContain('export const a = 1;');
      expect(sent).toContain('read_file');
    });

    it('surfaces malformed tool-call JSON as invalidArguments, not a crash', async () => {
      fake.push({ turn: { toolCalls: [{ id: 'bad', name: 'read_file', rawArguments: '{"path": "a.ts"' }] } });
      const turn = await client.complete(request());
      expect(turn.toolCalls[0]).toMatchObject({ id: 'bad', name: 'read_file' });
      expect(turn.toolCalls[0]!.invalidArguments).toBeTruthy();
    });

    it('retries 429 (honouring retry-after), 500 and 529, then succeeds', async () => {
      delays.length = 0;
      fake.push({ fail: { status: 429, retryAfterSeconds: 3 } }, { fail: { status: 529 } }, { turn: { text: 'ok' } });
      expect((await retrying.complete(request())).text).toBe('ok');
      expect(delays).toEqual([3000, 150]);
      fake.push({ fail: { status: 500 } }, { turn: { text: 'ok again' } });
      expect((await retrying.complete(request())).text).toBe('ok again');
    });

    it('gives up after the retry limit with a typed error', async () => {
      fake.push({ fail: { status: 503 } }, { fail: { status: 503 } }, { fail: { status: 503 } });
      const error = await retrying.complete(request()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelError);
      expect(error).toMatchObject({ kind: 'server', status: 503, fault: 'provider' });
    });

    it('does not retry a 4xx and says whose fault it is', async () => {
      const before = fake.requests.length;
      fake.push({ fail: { status: 400, message: 'bad schema' } });
      const error = await retrying.complete(request()).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'bad_request', fault: 'caller' });
      expect(fake.requests.length - before).toBe(1);
      fake.push({ fail: { status: 401 } });
      expect(await retrying.complete(request()).catch((e: unknown) => e)).toMatchObject({ kind: 'auth', fault: 'config' });
    });

    it('is cancelled mid-request by its signal', async () => {
      fake.push({ hang: true });
      const controller = new AbortController();
      const before = fake.requests.length;
      const pending = retrying.complete(request({ signal: controller.signal }));
      // Abort once the provider has the request (it never answers).
      while (fake.requests.length === before) await new Promise((r) => setImmediate(r));
      controller.abort();
      const error = await pending.catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'cancelled' });
    });
  });
}
