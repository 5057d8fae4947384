// One contract every live adapter must meet, run against the fake provider speaking that
// adapter's wire format: text and tool-call turns, what is sent, usage, stop reasons, streaming
// deltas, retries on 429/500/529/timeouts/dropped connections (honouring retry-after), giving
// up, no retry on 4xx, malformed tool JSON, cut-off streams, and cancellation mid-stream.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../testing/fake-provider.ts';
import type { ModelClient, ModelRequest } from './model-client.ts';
import { ModelError } from './model-error.ts';
import { withRetries } from './with-retries.ts';

export interface AdapterContractOptions {
  name: string;
  /** Builds the adapter pointed at the fake provider; idleTimeoutMs is short in the timeout tests. */
  create(fake: FakeProvider, options: { idleTimeoutMs?: number }): ModelClient;
}

export function adapterContract({ name, create }: AdapterContractOptions): void {
  describe(`${name} adapter contract`, () => {
    let fake: FakeProvider;
    let client: ModelClient;
    let retrying: ModelClient;
    let impatient: ModelClient;
    const delays: number[] = [];
    const policy = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5, sleep: async (ms: number) => void delays.push(ms) };
    beforeAll(async () => {
      fake = await startFakeProvider();
      client = create(fake, {});
      retrying = withRetries(client, policy);
      impatient = withRetries(create(fake, { idleTimeoutMs: 50 }), policy);
    });
    beforeEach(() => void (delays.length = 0));
    afterAll(() => fake.close());

    const request = (extra: Partial<ModelRequest> = {}): ModelRequest => ({
      system: 'You are a worker.',
      messages: [{ role: 'user', content: '# Task t: read a.ts' }],
      tools: [{ name: 'read_file', description: 'Read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
      maxOutputTokens: 500,
      ...extra,
    });
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

    it('returns a text turn with usage, streaming the text', async () => {
      fake.push({ turn: { text: 'All done here.', usage: { input: 120, output: 9 } } });
      const deltas: string[] = [];
      const turn = await client.complete(request({ onTextDelta: (d) => deltas.push(d) }));
      expect(turn).toMatchObject({ text: 'All done here.', toolCalls: [], stopReason: 'end_turn' });
      expect(turn.usage).toMatchObject({ inputTokens: 120, outputTokens: 9 });
      expect(deltas.join('')).toBe('All done here.');
      expect(deltas.length).toBeGreaterThan(1);
    });

    it('sends the system prompt, the user message, the tool schema and the output limit', async () => {
      fake.push({ turn: { text: 'ok' } });
      await client.complete(request());
      const sent = JSON.stringify(fake.requests.at(-1)!.body);
      for (const part of ['You are a worker.', '# Task t: read a.ts', 'read_file', '"required":["path"]', '500']) expect(sent).toContain(part);
      expect(fake.requests.at(-1)!.body['stream']).toBe(true);
    });

    it('reports cached input tokens', async () => {
      fake.push({ turn: { text: 'ok', usage: { input: 1000, output: 5, cacheRead: 800 } } });
      const turn = await client.complete(request());
      expect(turn.usage).toMatchObject({ inputTokens: 1000, cacheReadTokens: 800, outputTokens: 5 });
    });

    it('maps stop reasons: max tokens and refusal', async () => {
      fake.push({ turn: { text: 'cut', stop: 'max_tokens' } }, { turn: { text: 'no', stop: 'refusal' } });
      expect((await client.complete(request())).stopReason).toBe('max_tokens');
      expect((await client.complete(request())).stopReason).toBe('refusal');
    });

    it('returns tool calls and sends their results back on the next request', async () => {
      fake.push({ turn: { text: 'Reading.', toolCalls: [{ id: 'c1', name: 'read_file', arguments: { path: 'a.ts' } }, { id: 'c2', name: 'read_file', arguments: { path: 'b.ts' } }] } });
      const turn = await client.complete(request());
      expect(turn.stopReason).toBe('tool_use');
      expect(turn.toolCalls).toEqual([
        { id: 'c1', name: 'read_file', arguments: { path: 'a.ts' } },
        { id: 'c2', name: 'read_file', arguments: { path: 'b.ts' } },
      ]);
      fake.push({ turn: { text: 'It exports a.' } });
      const results = [{ callId: 'c1', content: 'export const a = 1;', isError: false }, { callId: 'c2', content: 'ENOENT b.ts', isError: true }];
      await client.complete(request({ messages: [...request().messages, { role: 'assistant', text: turn.text, toolCalls: turn.toolCalls, providerState: turn.providerState }, { role: 'tool', results }] }));
      const sent = JSON.stringify(fake.requests.at(-1)!.body);
      for (const part of ['c1', 'c2', 'export const a = 1;', 'ENOENT b.ts', 'a.ts', 'Reading.']) expect(sent).toContain(part);
    });

    it('surfaces malformed tool-call JSON as invalidArguments, not a crash', async () => {
      fake.push({ turn: { toolCalls: [{ id: 'bad', name: 'read_file', rawArguments: '{"path": "a.ts"' }, { id: 'good', name: 'read_file', arguments: { path: 'b.ts' } }] } });
      const turn = await client.complete(request());
      expect(turn.toolCalls[0]).toMatchObject({ id: 'bad', name: 'read_file', arguments: { raw: '{"path": "a.ts"' } });
      expect(turn.toolCalls[0]!.invalidArguments).toContain('{"path": "a.ts"');
      expect(turn.toolCalls[1]).toEqual({ id: 'good', name: 'read_file', arguments: { path: 'b.ts' } });
    });

    it('retries 429 (honouring retry-after), 529 and 500, then succeeds', async () => {
      fake.push({ fail: { status: 429, retryAfterSeconds: 3 } }, { fail: { status: 529 } }, { turn: { text: 'ok' } });
      expect((await retrying.complete(request())).text).toBe('ok');
      expect(delays).toEqual([3000, 150]);
      fake.push({ fail: { status: 500 } }, { fail: { status: 429, retryAfterMs: 1234 } }, { turn: { text: 'ok again' } });
      expect((await retrying.complete(request())).text).toBe('ok again');
      expect(delays.slice(2)).toEqual([75, 1234]);
    });

    it('retries a dropped connection and a provider error sent mid-stream', async () => {
      fake.push({ reset: true }, { turn: { text: 'partial text', usage: { input: 1, output: 1 } }, cut: { error: 'overloaded' } }, { turn: { text: 'whole' } });
      const deltas: string[] = [];
      expect((await retrying.complete(request({ onTextDelta: (d) => deltas.push(d) }))).text).toBe('whole');
      expect(delays).toHaveLength(2);
    });

    it('treats a stream that stops early as a connection error, never as a short turn', async () => {
      fake.push({ turn: { text: 'half of an answer' }, cut: 'reset' });
      expect(await failure(client.complete(request()))).toMatchObject({ kind: 'connection', fault: 'provider' });
    });

    it('times out a provider that goes silent, before or during the stream, and retries', async () => {
      fake.push({ hang: true }, { turn: { text: 'slow start' }, cut: 'hang' }, { turn: { text: 'finally' } });
      expect((await impatient.complete(request())).text).toBe('finally');
      expect(delays).toHaveLength(2);
      fake.push({ hang: true }, { hang: true }, { hang: true });
      expect(await failure(impatient.complete(request()))).toMatchObject({ kind: 'timeout', fault: 'provider' });
    });

    it('gives up after the retry limit with a typed error', async () => {
      const before = fake.requests.length;
      fake.push({ fail: { status: 503 } }, { fail: { status: 503 } }, { fail: { status: 503 } }, { turn: { text: 'never asked for' } });
      const error = await failure(retrying.complete(request()));
      expect(error).toBeInstanceOf(ModelError);
      expect(error).toMatchObject({ kind: 'server', status: 503, fault: 'provider', retryable: true });
      expect(fake.requests.length - before).toBe(3);
      expect(fake.pending()).toBe(1);
      await client.complete(request());
    });

    it('does not retry a 4xx and says whose fault it is', async () => {
      const before = fake.requests.length;
      fake.push({ fail: { status: 400, message: 'tools.0.input_schema is invalid' } });
      const error = await failure(retrying.complete(request()));
      expect(error).toMatchObject({ kind: 'bad_request', fault: 'caller', status: 400 });
      expect((error as Error).message).toContain('tools.0.input_schema is invalid');
      expect(fake.requests.length - before).toBe(1);
      fake.push({ fail: { status: 401 } });
      expect(await failure(retrying.complete(request()))).toMatchObject({ kind: 'auth', fault: 'config' });
      expect(delays).toEqual([]);
    });

    it('is cancelled by its signal while waiting for the provider', async () => {
      fake.push({ hang: true });
      const controller = new AbortController();
      const pending = retrying.complete(request({ signal: controller.signal }));
      await fake.waitForRequests(fake.requests.length + 1);
      controller.abort();
      expect(await failure(pending)).toMatchObject({ kind: 'cancelled', fault: 'caller' });
    });

    it('is cancelled mid-stream, after text has arrived, and does not return the partial turn', async () => {
      fake.push({ turn: { text: 'streaming along' }, cut: 'hang' });
      const controller = new AbortController();
      const firstDelta = Promise.withResolvers<void>();
      const pending = retrying.complete(request({ signal: controller.signal, onTextDelta: () => firstDelta.resolve() }));
      await firstDelta.promise;
      controller.abort();
      expect(await failure(pending)).toMatchObject({ kind: 'cancelled' });
      expect(delays).toEqual([]);
    });

    it('does not call the provider when the signal is already aborted', async () => {
      const before = fake.requests.length;
      const controller = new AbortController();
      controller.abort();
      expect(await failure(retrying.complete(request({ signal: controller.signal })))).toMatchObject({ kind: 'cancelled' });
      expect(fake.requests.length).toBe(before);
    });
  });
}
