// A bare node:http request for tests that must control every header (Host, Origin,
// Authorization) or the body size, which fetch and the SDK client do not allow.
import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawRequestOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body in chunks without Content-Length. */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Resolves with the response; errors after it arrived (the server closing an oversized upload) are ignored. */
export function rawRequest(options: RawRequestOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(options.url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    if (body && options.chunked) {
      for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
      req.end();
    } else {
      if (body) req.setHeader('Content-Length', String(body.length));
      req.end(body);
    }
  });
}

/** A JSON-RPC initialize request as an MCP client sends it, with the headers Streamable HTTP needs. */
export function initializeRequest(url: string, headers: Record<string, string>): RawRequestOptions {
  return {
    url,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
    }),
  };
}
