// The HTTP layer's own request and response shapes, so handlers are pure functions that tests
// call without a socket.

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
}

export interface Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function json(status: number, value: unknown): Response {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

export function problem(status: number, message: string): Response {
  return json(status, { error: message });
}
