// HTTP failures of the tool host, answered as JSON: `{error: {code, message}}` on the admin
// routes and a JSON-RPC error on /mcp, so MCP clients can show the message.
import type { ServerResponse } from 'node:http';

export interface HttpErrorOptions {
  status: number;
  /** A stable slug, e.g. `invalid_token`. */
  code: string;
  message: string;
  headers?: Record<string, string>;
  /** JSON-RPC error code on /mcp; -32000 unless given. */
  rpcCode?: number;
}

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly rpcCode: number;

  constructor(options: HttpErrorOptions) {
    super(options.message);
    this.status = options.status;
    this.code = options.code;
    this.headers = options.headers ?? {};
    this.rpcCode = options.rpcCode ?? -32000;
  }
}

/** A bearer-token failure: 401 with a WWW-Authenticate challenge (RFC 6750). */
export function unauthorized(message: string, tokenError: 'invalid_request' | 'invalid_token' | undefined): HttpError {
  const challenge = tokenError ? `Bearer realm="baton", error="${tokenError}", error_description="${message.replace(/"/g, "'")}"` : 'Bearer realm="baton"';
  return new HttpError({ status: 401, code: tokenError ?? 'unauthorized', message, headers: { 'WWW-Authenticate': challenge } });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendRestError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) return void res.destroy();
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

export function sendRpcError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) return void res.destroy();
  sendJson(res, error.status, { jsonrpc: '2.0', error: { code: error.rpcCode, message: error.message, data: { reason: error.code } }, id: null }, error.headers);
}
