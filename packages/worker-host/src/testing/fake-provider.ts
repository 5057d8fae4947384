// A local HTTP server (loopback, any free port) that speaks the real wire formats of the
// Anthropic Messages API (`/v1/messages`), OpenAI's Responses API (`/v1/responses`) and Chat
// Completions (`/v1/chat/completions`), streamed as SSE. It answers each request with the next
// queued step: a model turn, an HTTP failure (429 with retry-after, 500, 529, 4xx), a hang, a
// dropped connection, or a turn cut off partway (hang, reset, provider error event); with the
// queue empty, a responder set with `answer` picks the step from the request (see
// scripted-conversation.ts). It records every request so tests can check what the client sent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicWire } from './anthropic-wire.ts';
import { chatCompletionsWire } from './chat-completions-wire.ts';
import { responsesWire } from './responses-wire.ts';
import { encodeFrame, toWireTurn, type FakeTurn, type StreamFailure, type Wire } from './wire-turn.ts';

export type { FakeToolCall, FakeTurn, StreamFailure } from './wire-turn.ts';

export type FakeStep =
  | {
      turn: FakeTurn;
      /** Stop after the first text delta (or halfway): hang, drop the connection, or send an error event. */
      cut?: 'hang' | 'reset' | { error: StreamFailure };
    }
  | { fail: { status: number; retryAfterSeconds?: number; retryAfterMs?: number; message?: string } }
  /** Never answers (until the client gives up or aborts). */
  | { hang: true }
  /** Drops the connection without answering. */
  | { reset: true }
  /** Answers with exactly this body, e.g. SSE the way some other server writes it. */
  | { raw: { status?: number; contentType?: string; body: string } }
  /** Answers with whatever the function returns for the request, e.g. to echo what was sent. */
  | ((request: RecordedRequest) => FakeStep);

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeProvider {
  /** Base URL for the Anthropic SDK, e.g. http://127.0.0.1:PORT; OpenAI clients use `${url}/v1`. */
  url: string;
  requests: RecordedRequest[];
  push(...steps: FakeStep[]): void;
  /** Answers requests that find the queue empty (undefined: the fake's "nothing queued" error). */
  answer(responder: ((request: RecordedRequest) => FakeStep | undefined) | undefined): void;
  /** Steps still queued. */
  pending(): number;
  /** Resolves once `count` requests in total have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const queue: FakeStep[] = [];
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let responder: ((request: RecordedRequest) => FakeStep | undefined) | undefined;
  let turns = 0;

  const server = createServer(async (req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const recorded = { path, headers: req.headers, body: parseBody(Buffer.concat(chunks).toString('utf8')) };
    requests.push(recorded);
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve();
    let step = queue.shift() ?? responder?.(recorded);
    while (typeof step === 'function') step = step(recorded);
    if (!step) return void json(res, 500, { type: 'error', error: { type: 'fake_exhausted', message: 'the fake provider has no step queued for this request' } });
    if ('hang' in step) return;
    if ('reset' in step) return void res.socket?.destroy();
    if ('raw' in step) return void res.writeHead(step.raw.status ?? 200, { 'content-type': step.raw.contentType ?? 'text/event-stream' }).end(step.raw.body);
    if ('fail' in step) {
      const headers: Record<string, string> = {};
      if (step.fail.retryAfterSeconds !== undefined) headers['retry-after'] = String(step.fail.retryAfterSeconds);
      if (step.fail.retryAfterMs !== undefined) headers['retry-after-ms'] = String(step.fail.retryAfterMs);
      return void json(res, step.fail.status, { type: 'error', error: { type: 'fake_error', message: step.fail.message ?? `fake ${step.fail.status}` } }, headers);
    }
    const wire = wireFor(path);
    if (!wire) return void json(res, 404, { type: 'error', error: { type: 'not_found_error', message: `the fake provider does not serve ${path}` } });
    const frames = wire.frames(toWireTurn(step.turn, `call_${++turns}`));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (!step.cut) {
      for (const frame of frames) res.write(encodeFrame(frame));
      return void res.end();
    }
    const firstText = frames.findIndex((f) => f.textDelta);
    const keep = firstText >= 0 ? firstText + 1 : Math.ceil(frames.length / 2);
    for (const frame of frames.slice(0, keep)) res.write(encodeFrame(frame));
    if (step.cut === 'hang') return;
    if (step.cut === 'reset') return void res.socket?.destroy();
    res.write(encodeFrame(wire.failure(step.cut.error)));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    push: (...steps) => void queue.push(...steps),
    answer: (next) => void (responder = next),
    pending: () => queue.length,
    waitForRequests: (count) => (requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function wireFor(path: string): Wire | undefined {
  if (path.endsWith('/messages')) return anthropicWire;
  if (path.endsWith('/responses')) return responsesWire;
  if (path.endsWith('/chat/completions')) return chatCompletionsWire;
  return undefined;
}

function parseBody(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : { value };
  } catch {
    return { unparsed: text };
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
