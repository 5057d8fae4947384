// baton's meter between an agent CLI and its model API: a loopback HTTP server the CLI takes as
// its base URL, which forwards every request to the real base URL and reads each model call's
// streamed answer on the way back. Before a call goes out, baton may refuse it (a budget is
// spent, or the CLI offers its model a tool baton did not allow); after it, baton learns the
// call's usage, text and tool calls. Credentials pass through untouched: the CLI holds only
// the one it needs, and the meter adds none.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync, inflateSync, zstdDecompressSync } from 'node:zlib';
import { createParser } from 'eventsource-parser';
import { callReader, type MeteredCall } from './metered-call.ts';
import { offeredTools, type ModelWire } from './offered-tools.ts';

export interface ModelCallRequest {
  /** Numbers the model calls of one meter; onCall gets the same number for the same call. */
  callId: number;
  model: string | undefined;
  offeredTools: string[];
}

export interface ModelMeterOptions {
  /** The real base URL (https://api.anthropic.com, https://api.openai.com/v1, or a fake provider). */
  upstream: string;
  wire: ModelWire;
  /** Asked before a model call is forwarded; a reason refuses it (the CLI gets an error answer). */
  admit(request: ModelCallRequest): string | undefined | Promise<string | undefined>;
  /**
   * Told when a forwarded model call has ended, however it ended, before the CLI has seen any
   * tool call in it: 'withhold' cuts the answer off there (the CLI is being stopped).
   */
  onCall(call: MeteredCall & { durationMs: number; callId: number }): 'release' | 'withhold';
  now?: () => number;
}

export interface ModelMeter {
  /** Base URL to give the CLI (holds a random path segment, so only it can use the meter). */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length', 'accept-encoding', 'expect']);

export async function startModelMeter(options: ModelMeterOptions): Promise<ModelMeter> {
  const now = options.now ?? Date.now;
  const secret = randomBytes(18).toString('base64url');
  const prefix = Buffer.from(`/${secret}`);
  const upstream = options.upstream.replace(/\/+$/, '');
  const open = new Set<ServerResponse>();
  let calls = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://meter.invalid');
    const head = Buffer.from(url.pathname.slice(0, prefix.length));
    if (head.length !== prefix.length || !timingSafeEqual(head, prefix) || (url.pathname.length > prefix.length && url.pathname[prefix.length] !== '/')) {
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
    const rest = url.pathname.slice(prefix.length) || '/';
    const body = await readBody(req);
    if (body === undefined) return void sendError(res, options.wire, 413, 'the request is larger than baton forwards');
    const isModelCall = req.method === 'POST' && (options.wire === 'anthropic' ? rest.endsWith('/messages') : rest.endsWith('/responses'));
    let reader: ReturnType<typeof callReader> | undefined;
    const callId = ++calls;
    if (isModelCall) {
      const json = parseRequest(body, req.headers['content-encoding']);
      if (!json) return void sendError(res, options.wire, 400, 'baton could not read this model request to check the tools it offers');
      const model = typeof json['model'] === 'string' ? json['model'] : undefined;
      const refusal = await options.admit({ callId, model, offeredTools: offeredTools(options.wire, json) });
      if (refusal !== undefined) return void sendError(res, options.wire, 403, `baton refused this model call: ${refusal}`);
      reader = callReader(options.wire, model);
    }
    const started = now();
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    let verdict = 'release' as 'release' | 'withhold';
    let finished = false;
    const finish = () => {
      if (!reader || finished) return;
      finished = true;
      verdict = options.onCall({ ...reader.result(), durationMs: now() - started, callId });
    };
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || HOP_BY_HOP.has(name)) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
      }
      headers.set('accept-encoding', 'identity');
      const init: RequestInit = { method: req.method ?? 'GET', headers, signal: abort.signal, redirect: 'manual' };
      if (body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD') init.body = body;
      const answer = await fetch(`${upstream}${rest}${url.search}`, init);
      const out: Record<string, string> = {};
      // fetch has already decoded the body, so its encoding and length no longer apply.
      answer.headers.forEach((value, name) => void (HOP_BY_HOP.has(name) || name === 'content-encoding' ? undefined : (out[name] = value)));
      res.writeHead(answer.status, out);
      if (!answer.body) return void res.end();
      if (!reader) {
        for await (const chunk of answer.body) res.write(Buffer.from(chunk as Uint8Array));
        return void res.end();
      }
      const meterReader = reader;
      if ((answer.headers.get('content-type') ?? '').includes('text/event-stream')) {
        // Events go through as they come until one starts a tool call; from there they wait for
        // the end of the call, so baton can stop the CLI before it runs a tool past a budget.
        const held: string[] = [];
        const parser = createParser({
          onEvent: (e) => {
            const startsTool = meterReader.event(e.event, e.data);
            const frame = encodeEvent(e.event, e.data);
            if (held.length > 0 || startsTool) held.push(frame);
            else res.write(frame);
          },
        });
        const decoder = new TextDecoder();
        for await (const chunk of answer.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
        finish();
        if (verdict === 'withhold') return void res.destroy();
        for (const frame of held) res.write(frame);
        return void res.end();
      }
      const kept: Buffer[] = [];
      for await (const chunk of answer.body) kept.push(Buffer.from(chunk as Uint8Array));
      const whole = Buffer.concat(kept);
      const json = parseJson(whole.toString('utf8'));
      if (answer.status >= 400) meterReader.failed(`HTTP ${answer.status}: ${errorMessage(json) ?? whole.toString('utf8').slice(0, 300)}`);
      else if (json !== undefined) meterReader.body(json);
      finish();
      if (verdict === 'withhold') return void res.destroy();
      res.end(whole);
    } catch (error) {
      reader?.failed(`baton could not reach ${upstream}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendError(res, options.wire, 502, `baton could not reach ${upstream}: ${error instanceof Error ? error.message : String(error)}`);
      else res.destroy();
    } finally {
      finish();
    }
  }

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    void handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${secret}`,
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The request's JSON, decompressed when the CLI compressed it (Codex may send zstd). */
function parseRequest(body: Buffer, encoding: string | undefined): Record<string, unknown> | undefined {
  try {
    const raw = encoding === 'zstd' ? zstdDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : encoding === 'br' ? brotliDecompressSync(body) : encoding === 'deflate' ? inflateSync(body) : encoding === undefined || encoding === 'identity' ? body : undefined;
    if (raw === undefined) return undefined;
    const value = parseJson(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** One server-sent event as the CLI expects it (multi-line data as several data lines). */
function encodeEvent(event: string | undefined, data: string): string {
  return `${event ? `event: ${event}\n` : ''}${data.split('\n').map((line) => `data: ${line}`).join('\n')}\n\n`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorMessage(json: unknown): string | undefined {
  const error = typeof json === 'object' && json !== null ? (json as { error?: { message?: unknown } }).error : undefined;
  return typeof error?.message === 'string' ? error.message : undefined;
}

/** An error answer in the wire's own shape, with a status the CLIs do not retry. */
function sendError(res: ServerResponse, wire: ModelWire, status: number, message: string): void {
  const body = wire === 'anthropic' ? { type: 'error', error: { type: status === 403 ? 'permission_error' : 'invalid_request_error', message } } : { error: { type: 'invalid_request_error', code: 'baton_refused', message } };
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
