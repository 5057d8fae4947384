// The HTTP tool host end to end over real sockets: the admin API, grant-bound sessions,
// isolation between concurrent sessions, expiry, revocation mid-call, bad tokens, and
// DNS-rebinding / oversized-request defences.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ToolCallRecord } from '../audit/tool-call-record.ts';
import type { GrantRequest } from '../grants/grant-request.ts';
import { connectHttp, type HttpConnection } from '../testing/connect-http.ts';
import { initializeRequest, rawRequest } from '../testing/raw-http-request.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import { ALL_TOOLS } from '../tools/registry.ts';
import { defineTool } from '../tools/tool.ts';
import { startHttpToolHost, type HttpToolHost } from './http-tool-host.ts';

let repo: TempRepo;
let clock = Date.now();
let host: HttpToolHost;
const audit: ToolCallRecord[] = [];
const open: HttpConnection[] = [];

// A tool that waits until the test releases it, to have a call in flight during a revocation.
let releaseSlowCall: () => void = () => {};
let slowCallStarted: () => void = () => {};
const slowTool = defineTool({
  name: 'read_file',
  title: 'slow read',
  description: 'waits for the test',
  inputSchema: z.object({ path: z.string() }),
  outputSchema: z.object({ content: z.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: async (_input, ctx) => {
    slowCallStarted();
    await new Promise<void>((resolve) => {
      releaseSlowCall = resolve;
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return { content: 'late' };
  },
  render: (output) => output.content,
});

const readOnly = (read: string[], extra: Partial<GrantRequest> = {}): GrantRequest => ({ tools: ['read_file', 'list_files', 'search'], read, ...extra });

async function session(token: string): Promise<HttpConnection> {
  const connection = await connectHttp({ url: host.url, token });
  open.push(connection);
  return connection;
}

async function readText(connection: HttpConnection, path: string): Promise<{ isError: boolean; text: string }> {
  const result = await connection.client.callTool({ name: 'read_file', arguments: { path } });
  const content = result.content as { type: string; text: string }[];
  return { isError: result.isError === true, text: content.map((c) => c.text).join('\n') };
}

beforeAll(async () => {
  const files: Record<string, string> = { 'a/secret.txt': 'alpha\n', 'b/secret.txt': 'bravo\n' };
  for (let i = 0; i < 24; i++) files[`many/${i}/file.txt`] = `content ${i}\n`;
  repo = await makeTempRepo(files);
  host = await startHttpToolHost({ root: repo.root, now: () => clock, onToolCall: (record) => audit.push(record) });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await host.close();
  await repo.cleanup();
});

describe('admin API', () => {
  const post = (token: string | undefined, body: unknown) =>
    rawRequest({
      url: `${host.baseUrl}/grants`,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('mints a grant for the admin token and answers {id, token, expires_at}', async () => {
    const response = await post(host.adminToken, { tools: ['read_file'], read: ['a/**'], expires_in_s: 60 });
    expect(response.status).toBe(201);
    const body = JSON.parse(response.body) as { id: string; token: string; expires_at: string };
    expect(body.token.startsWith(`${body.id}.`)).toBe(true);
    expect(Date.parse(body.expires_at)).toBe(clock + 60_000);
  });

  it('refuses a missing or wrong admin token with 401', async () => {
    expect((await post(undefined, { tools: ['read_file'], read: [] })).status).toBe(401);
    expect((await post('x'.repeat(43), { tools: ['read_file'], read: [] })).status).toBe(401);
  });

  it('does not let a grant token mint grants', async () => {
    const minted = host.grants.mint(readOnly(['**']));
    const response = await post(minted.token, { tools: ['read_file'], read: ['**'] });
    expect(response.status).toBe(403);
    expect(response.body).toContain('grant token cannot manage grants');
  });

  it('rejects a malformed grant body with the reason', async () => {
    const response = await post(host.adminToken, { tools: ['rm_rf'], read: ['**'] });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'invalid_grant' } });
  });

  it('refuses globs that reach outside the root with 400, naming the glob', async () => {
    const bodies = [
      { tools: ['read_file'], read: ['../**'] },
      { tools: ['read_file'], read: ['/etc/**'] },
      { tools: ['read_file'], read: ['src/**', '!../x'] },
      { tools: ['read_file'], read: ['{src,..}/**'] },
      { tools: ['apply_diff'], read: ['**'], write: ['../../**'] },
      { tools: ['apply_diff'], read: ['**'], write: ['src/../../x/**'] },
    ];
    for (const body of bodies) {
      const response = await post(host.adminToken, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const glob = [...body.read, ...(body.write ?? [])].find((g) => g.includes('..') || g.startsWith('/'))!;
      expect(JSON.parse(response.body).error.message).toContain(`"${glob}"`);
    }
  });

  it('revokes with DELETE /grants/:id and answers 404 for unknown ids', async () => {
    const minted = host.grants.mint(readOnly(['**']));
    const del = (id: string) => rawRequest({ url: `${host.baseUrl}/grants/${id}`, method: 'DELETE', headers: { Authorization: `Bearer ${host.adminToken}` } });
    expect((await del(minted.id)).status).toBe(204);
    expect(host.grants.status(minted.id)).toBe('revoked');
    expect((await del('gnosuchgrant')).status).toBe(404);
  });
});

describe('grant-bound sessions', () => {
  it('lists only the grant\'s tools', async () => {
    const minted = host.grants.mint({ tools: ['search'], read: ['**'] });
    const { client } = await session(minted.token);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['search']);
  });

  it('keeps two concurrent sessions inside their own read scopes', async () => {
    const a = await session(host.grants.mint(readOnly(['a/**'])).token);
    const b = await session(host.grants.mint(readOnly(['b/**'])).token);
    const [aOwn, aOther, bOwn, bOther] = await Promise.all([
      readText(a, 'a/secret.txt'),
      readText(a, 'b/secret.txt'),
      readText(b, 'b/secret.txt'),
      readText(b, 'a/secret.txt'),
    ]);
    expect(aOwn).toEqual({ isError: false, text: expect.stringContaining('alpha') });
    expect(bOwn).toEqual({ isError: false, text: expect.stringContaining('bravo') });
    expect(aOther.isError).toBe(true);
    expect(aOther.text).not.toContain('bravo');
    expect(bOther.isError).toBe(true);
    expect(bOther.text).not.toContain('alpha');
  });

  it('keeps many concurrent sessions apart: each sees only its own directory', async () => {
    const count = 24;
    const connections = await Promise.all(Array.from({ length: count }, (_, i) => session(host.grants.mint(readOnly([`many/${i}/**`])).token)));
    const listings = await Promise.all(
      connections.map(async (connection) => {
        const result = await connection.client.callTool({ name: 'list_files', arguments: { path: 'many' } });
        return (result.structuredContent as { files: string[] }).files;
      }),
    );
    listings.forEach((paths, i) => {
      expect(paths).toEqual([`many/${i}/file.txt`]);
    });
    const reads = await Promise.all(connections.map((connection, i) => readText(connection, `many/${(i + 1) % count}/file.txt`)));
    expect(reads.every((r) => r.isError)).toBe(true);
    expect(host.sessionCount()).toBeGreaterThanOrEqual(count);
  });

  it('refuses a session id presented with another grant\'s token (403)', async () => {
    const a = await session(host.grants.mint(readOnly(['a/**'])).token);
    const other = host.grants.mint(readOnly(['**']));
    const response = await rawRequest({
      url: host.url,
      method: 'POST',
      headers: {
        Authorization: `Bearer ${other.token}`,
        'Mcp-Session-Id': a.sessionId,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(response.status).toBe(403);
  });

  it('records every call in the audit stream with session and grant', async () => {
    const minted = host.grants.mint(readOnly(['a/**']));
    const a = await session(minted.token);
    audit.length = 0;
    await readText(a, 'a/secret.txt');
    await readText(a, 'b/secret.txt');
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ grantId: minted.id, sessionId: a.sessionId, tool: 'read_file', ok: true, filesRead: ['a/secret.txt'] });
    expect(audit[1]).toMatchObject({ grantId: minted.id, ok: false, deniedPaths: ['b/secret.txt'] });
  });
});

describe('tokens', () => {
  const init = (authorization?: string, headers: Record<string, string> = {}) =>
    rawRequest(initializeRequest(host.url, { ...(authorization ? { Authorization: authorization } : {}), ...headers }));

  it('answers 401 to missing, malformed, unknown and wrong-secret tokens', async () => {
    const minted = host.grants.mint(readOnly(['**']));
    const wrongSecret = `${minted.id}.${'A'.repeat(43)}`;
    for (const authorization of [undefined, 'Basic abc', 'Bearer', `Bearer ${'z'.repeat(600)}`, 'Bearer gdeadbeef.nope', `Bearer ${wrongSecret}`, `Bearer ${host.adminToken}`]) {
      const response = await init(authorization);
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect((await init(`Bearer ${minted.token}`)).status).toBe(200);
  });

  it('refuses an expired grant with 401, including its open session', async () => {
    const minted = host.grants.mint(readOnly(['**'], { expires_in_s: 30 }));
    const connection = await session(minted.token);
    expect((await readText(connection, 'a/secret.txt')).isError).toBe(false);
    clock += 31_000;
    try {
      await expect(connection.client.callTool({ name: 'read_file', arguments: { path: 'a/secret.txt' } })).rejects.toThrow(/expired/);
      const response = await init(`Bearer ${minted.token}`);
      expect(response.status).toBe(401);
      expect(response.body).toContain('expired');
    } finally {
      clock -= 31_000;
    }
  });
});

describe('revocation', () => {
  it('ends an open session at once: the call in flight answers with the revocation, later calls get 401', async () => {
    const slowHost = await startHttpToolHost({ root: repo.root, tools: [slowTool, ...ALL_TOOLS.filter((t) => t.name !== 'read_file')] });
    try {
      const minted = slowHost.grants.mint(readOnly(['**']));
      const connection = await connectHttp({ url: slowHost.url, token: minted.token });
      open.push(connection);
      const started = new Promise<void>((resolve) => (slowCallStarted = resolve));
      const inFlight = connection.client.callTool({ name: 'read_file', arguments: { path: 'a/secret.txt' } });
      await started;
      expect(slowHost.grants.revoke(minted.id)).toBe(true);
      const answer = await inFlight;
      expect(answer.isError).toBe(true);
      expect(JSON.stringify(answer.content)).toContain('revoked');
      releaseSlowCall();
      const later = await rawRequest(initializeRequest(slowHost.url, { Authorization: `Bearer ${minted.token}` }));
      expect(later.status).toBe(401);
      expect(later.body).toContain('revoked');
      expect(slowHost.sessionCount()).toBe(0);
    } finally {
      await slowHost.close();
    }
  });
});

describe('request guards', () => {
  it('rejects a foreign Host header (DNS rebinding) before looking at the token', async () => {
    const minted = host.grants.mint(readOnly(['**']));
    const response = await rawRequest(initializeRequest(host.url, { Authorization: `Bearer ${minted.token}`, Host: 'evil.example:80' }));
    expect(response.status).toBe(403);
    expect(response.body).toContain('DNS-rebinding');
  });

  it('rejects a foreign Origin and accepts the host\'s own', async () => {
    const minted = host.grants.mint(readOnly(['**']));
    const port = new URL(host.url).port;
    const evil = await rawRequest(initializeRequest(host.url, { Authorization: `Bearer ${minted.token}`, Origin: 'http://evil.example' }));
    expect(evil.status).toBe(403);
    const own = await rawRequest(initializeRequest(host.url, { Authorization: `Bearer ${minted.token}`, Origin: `http://127.0.0.1:${port}` }));
    expect(own.status).toBe(200);
  });

  it('answers 413 to an oversized body, declared or streamed', async () => {
    const small = await startHttpToolHost({ root: repo.root, maxBodyBytes: 1024 });
    try {
      const minted = small.grants.mint(readOnly(['**']));
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(4096) } });
      const headers = { Authorization: `Bearer ${minted.token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
      expect((await rawRequest({ url: small.url, method: 'POST', headers, body })).status).toBe(413);
      expect((await rawRequest({ url: small.url, method: 'POST', headers, body, chunked: true })).status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('refuses to bind a non-loopback address unless told to', async () => {
    await expect(startHttpToolHost({ root: repo.root, host: '0.0.0.0' })).rejects.toThrow(/refusing to listen/);
  });
});
