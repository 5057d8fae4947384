// A local HTTP server that speaks the real wire formats of the Anthropic Messages API, OpenAI's
// Responses API and Chat Completions (streaming, SSE), driven by a queue of steps: a model turn,
// an HTTP failure (429 with retry-after, 500, 529), a hang, or malformed tool-call JSON. It
// records every request so tests can check what the adapter sent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeToolCall {
  id?: string;
  name: string;
  arguments?: unknown;
  /** Sent verbatim instead of JSON.stringify(arguments), e.g. to send malformed JSON. */
  rawArguments?: string;
}

export type FakeStep =
  | { turn: { text?: string; toolCalls?: FakeToolCall[]; usage?: { input: number; output: number; cacheRead?: number }; stop?: 'end_turn' | 'max_tokens'; /** Anthropic only: a thinking block (with a signature) before the text. */ thinking?: string } }
  | { fail: { status: number; retryAfterSeconds?: number; message?: string } }
  /** Never answers (until the client gives up or aborts). */
  | { hang: true };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeProvider {
  /** Base URL for the SDKs, e.g. http://127.0.0.1:PORT (Anthropic) — OpenAI clients use `${url}/v1`. */
  url: string;
  requests: RecordedRequest[];
  push(...steps: FakeStep[]): void;
  close(): Promise<void>;
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const queue: FakeStep[] = [];
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let calls = 0;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, headers: req.headers, body });
    const step = queue.shift();
    if (!step) return void res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { type: 'fake_exhausted', message: 'the fake provider has no step queued for this request' } }));
    if ('hang' in step) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if ('fail' in step) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (step.fail.retryAfterSeconds !== undefined) headers['retry-after'] = String(step.fail.retryAfterSeconds);
      return void res.writeHead(step.fail.status, headers).end(JSON.stringify({ type: 'error', error: { type: 'fake_error', message: step.fail.message ?? `fake ${step.fail.status}` } }));
    }
    calls++;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const turn = step.turn;
    const toolCalls = (turn.toolCalls ?? []).map((c, i) => ({ ...c, id: c.id ?? `call_${calls}_${i}`, json: c.rawArguments ?? JSON.stringify(c.arguments ?? {}) }));
    const usage = turn.usage ?? { input: 100, output: 20 };
    if (path.endsWith('/messages')) anthropicStream(res, turn.text ?? '', toolCalls, usage, turn.stop, turn.thinking);
    else if (path.endsWith('/responses')) responsesStream(res, turn.text ?? '', toolCalls, usage, turn.stop);
    else chatStream(res, turn.text ?? '', toolCalls, usage, turn.stop);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    push: (...steps) => void queue.push(...steps),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Call = { id: string; name: string; json: string };
const halves = (s: string) => (s.length < 2 ? [s] : [s.slice(0, Math.ceil(s.length / 2)), s.slice(Math.ceil(s.length / 2))]);

function sse(res: ServerResponse, event: string | undefined, data: unknown): void {
  res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

function anthropicStream(res: ServerResponse, text: string, calls: Call[], usage: { input: number; output: number; cacheRead?: number }, stop?: string, thinking?: string): void {
  sse(res, 'message_start', { type: 'message_start', message: { id: 'msg_fake', type: 'message', role: 'assistant', model: 'fake', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input, output_tokens: 1, cache_read_input_tokens: usage.cacheRead ?? 0, cache_creation_input_tokens: 0 } } });
  let index = 0;
  if (thinking) {
    sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
    for (const part of halves(thinking)) sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: part } });
    sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: 'sig-fake-123' } });
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
    index++;
  }
  if (text) {
    sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    for (const part of halves(text)) sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: part } });
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
    index++;
  }
  for (const call of calls) {
    sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } });
    for (const part of halves(call.json)) sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: part } });
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
    index++;
  }
  sse(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: calls.length > 0 ? 'tool_use' : (stop ?? 'end_turn'), stop_sequence: null }, usage: { output_tokens: usage.output } });
  sse(res, 'message_stop', { type: 'message_stop' });
}

function chatStream(res: ServerResponse, text: string, calls: Call[], usage: { input: number; output: number }, stop?: string): void {
  const chunk = (delta: unknown, finish: string | null = null) => ({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [{ index: 0, delta, finish_reason: finish }] });
  sse(res, undefined, chunk({ role: 'assistant', content: '' }));
  for (const part of text ? halves(text) : []) sse(res, undefined, chunk({ content: part }));
  calls.forEach((call, i) => {
    sse(res, undefined, chunk({ tool_calls: [{ index: i, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const part of halves(call.json)) sse(res, undefined, chunk({ tool_calls: [{ index: i, function: { arguments: part } }] }));
  });
  sse(res, undefined, chunk({}, calls.length > 0 ? 'tool_calls' : stop === 'max_tokens' ? 'length' : 'stop'));
  sse(res, undefined, { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } });
  sse(res, undefined, '[DONE]');
}

function responsesStream(res: ServerResponse, text: string, calls: Call[], usage: { input: number; output: number; cacheRead?: number }, stop?: string): void {
  const output: unknown[] = [];
  if (text) output.push({ type: 'message', id: 'msg_fake', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] });
  for (const call of calls) output.push({ type: 'function_call', id: `fc_${call.id}`, call_id: call.id, name: call.name, arguments: call.json, status: 'completed' });
  const response = (status: string, out: unknown[]) => ({ id: 'resp_fake', object: 'response', created_at: 0, model: 'fake', status, output: out, usage: { input_tokens: usage.input, output_tokens: usage.output, total_tokens: usage.input + usage.output, input_tokens_details: { cached_tokens: usage.cacheRead ?? 0 }, output_tokens_details: { reasoning_tokens: 0 } } });
  let seq = 0;
  sse(res, 'response.created', { type: 'response.created', sequence_number: seq++, response: response('in_progress', []) });
  for (const part of text ? halves(text) : []) sse(res, 'response.output_text.delta', { type: 'response.output_text.delta', sequence_number: seq++, item_id: 'msg_fake', output_index: 0, content_index: 0, delta: part });
  const final = stop === 'max_tokens' ? 'incomplete' : 'completed';
  sse(res, `response.${final}`, { type: `response.${final}`, sequence_number: seq++, response: response(final, output) });
}
