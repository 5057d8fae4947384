// Reads a request body up to a byte limit: a larger declared or streamed body is answered
// 413 without buffering it, and the connection is closed after the answer.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.ts';

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new HttpError({ status: 413, code: 'body_too_large', message: `request body exceeds ${maxBytes} bytes`, headers: { Connection: 'close' } });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Parses a JSON body; a syntax error is the client's fault (400, JSON-RPC parse error on /mcp). */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError({ status: 400, code: 'invalid_json', message: 'the request body is not valid JSON', rpcCode: -32700 });
  }
}
