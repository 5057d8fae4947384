// A managed server's life with a server that misbehaves on purpose (testing/fake-language-server.ts,
// real LSP over stdio, in the real sandbox): a crash, a hang or runaway memory becomes a tool
// error for the call that met it, the next call gets a fresh server, a server that keeps dying is
// left alone for a while, and an idle one stops.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { WorkspaceSymbolRequest } from 'vscode-languageserver-protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema } from '../grant.ts';
import { fakeServerSpec } from '../testing/fake-language-server-spec.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import type { ToolContext } from '../tools/tool.ts';
import { isToolError } from '../tools/tool-error.ts';
import { DEFAULT_SERVER_LIMITS, type ServerEvent, type ServerLimits } from './managed-server.ts';
import { createLanguageServerPool, type LanguageServerPool } from './server-pool.ts';
import type { LanguageServerSpec } from './server-spec.ts';

let repo: TempRepo;
let pools: LanguageServerPool[] = [];

beforeAll(async () => {
  repo = await makeTempRepo({ 'src/a.fk': 'one\n' });
});
afterEach(async () => {
  await Promise.all(pools.map((p) => p.close()));
  pools = [];
});
afterAll(() => repo.cleanup());

function fakeSpec(script: object, name = 'script'): LanguageServerSpec {
  const file = path.join(repo.outside, `${name}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(script));
  return fakeServerSpec(file);
}

function setup(script: object, limits: Partial<ServerLimits> = {}) {
  const events: ServerEvent[] = [];
  const waiters: { match: (e: ServerEvent) => boolean; resolve: (e: ServerEvent) => void }[] = [];
  const pool = createLanguageServerPool({
    specs: [fakeSpec(script)],
    limits,
    onEvent: (event) => {
      events.push(event);
      for (const w of [...waiters]) if (w.match(event)) w.resolve(event);
    },
  });
  pools.push(pool);
  const ctx: ToolContext = { grant: GrantSchema.parse({ read: ['**'] }), root: repo.root, signal: new AbortController().signal, log: () => {}, languageServers: pool };
  const server = pool.serverFor(ctx, pool.specs[0]!);
  const ask = () => server.use(ctx.signal, (s) => s.request(WorkspaceSymbolRequest.type, { query: 'x' }, ctx.signal));
  const next = (match: (e: ServerEvent) => boolean) => new Promise<ServerEvent>((resolve) => waiters.push({ match, resolve }));
  return { pool, server, ask, events, next };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isToolError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('a managed language server', () => {
  it('answers, and is shared by every call on the same workspace and scope', async () => {
    const { ask, server, pool, events } = setup({ answers: { 'workspace/symbol': [] } });
    expect(await ask()).toEqual([]);
    const pid = server.pid;
    expect(await ask()).toEqual([]);
    expect(server.pid).toBe(pid);
    expect(pool.servers()).toHaveLength(1);
    expect(events.filter((e) => e.type === 'lsp.started')).toEqual([expect.objectContaining({ sandboxed: true })]);
  });

  it('turns a crash into a tool error and starts afresh on the next call', async () => {
    const { ask, server, events } = setup({ crash: ['workspace/symbol'] });
    expect(await failure(ask())).toEqual({ code: 'language_server_crashed', message: expect.stringContaining('stopped unexpectedly') });
    const first = events.find((e) => e.type === 'lsp.started');
    expect(await failure(ask())).toMatchObject({ code: 'language_server_crashed' });
    expect(events.filter((e) => e.type === 'lsp.started')).toHaveLength(2);
    expect(server.starts).toBe(2);
    expect(first).toBeDefined();
  });

  it('stops restarting a server that keeps crashing, and says until when', async () => {
    const { ask } = setup({ crash: ['workspace/symbol'] }, { maxCrashes: 2 });
    await failure(ask());
    await failure(ask());
    const third = await failure(ask());
    expect(third.code).toBe('language_server_crashing');
    expect(third.message).toMatch(/stopped unexpectedly 2 times .* will not be started again before \d{4}-/);
  });

  it('gives a hung server a time limit per request, then replaces it', async () => {
    const { ask, server, next } = setup({ hang: ['workspace/symbol'] }, { queryTimeoutMs: 500 });
    expect(await failure(ask())).toMatchObject({ code: 'language_server_timeout', message: expect.stringContaining('no answer within') });
    const firstPid = server.pid;
    const stopped = next((e) => e.type === 'lsp.stopped' && e.reason === 'hung');
    expect(await failure(ask())).toMatchObject({ code: 'language_server_timeout', message: expect.stringContaining('it was stopped and starts afresh') });
    await stopped;
    await failure(ask());
    expect(server.pid).not.toBe(firstPid);
  });

  it('lets a busy server (one using CPU, as while loading a project) run past more time limits before replacing it', async () => {
    const { ask, server, next } = setup({ spin: ['workspace/symbol'] }, { queryTimeoutMs: 1_000 });
    expect(await failure(ask())).toMatchObject({ code: 'language_server_timeout', message: expect.stringContaining('may still be loading') });
    const pid = server.pid;
    for (let i = 0; i < 3; i++) expect(await failure(ask())).toMatchObject({ code: 'language_server_timeout', message: expect.stringContaining('may still be loading') });
    expect(server.pid).toBe(pid);
    const replaced = next((e) => e.type === 'lsp.stopped' && e.reason === 'hung');
    expect(await failure(ask())).toMatchObject({ message: expect.stringContaining('it was stopped and starts afresh') });
    await replaced;
  });

  it('stops a server whose memory passes its limit, and says so', async () => {
    const { ask, next } = setup({ grow: ['workspace/symbol'] }, { memoryLimitMb: 200, memoryCheckMs: 100 });
    const over = next((e) => e.type === 'lsp.memory');
    const error = await failure(ask());
    expect(error.code).toBe('language_server_crashed');
    expect(error.message).toMatch(/was stopped: it used \d+ MiB, over its limit of 200 MiB/);
    expect(((await over) as Extract<ServerEvent, { type: 'lsp.memory' }>).bytes).toBeGreaterThan(200 * 1024 * 1024);
  });

  it('stops when idle and starts again when asked', async () => {
    const { ask, next, server } = setup({ answers: { 'workspace/symbol': [] } }, { idleMs: 100 });
    const idle = next((e) => e.type === 'lsp.stopped' && e.reason === 'idle');
    await ask();
    await idle;
    expect(server.pid).toBeUndefined();
    expect(await ask()).toEqual([]);
    expect(server.starts).toBe(2);
  });

  it('cancels a request when the call is cancelled', async () => {
    const { server } = setup({ hang: ['workspace/symbol'] }, { queryTimeoutMs: DEFAULT_SERVER_LIMITS.queryTimeoutMs });
    const controller = new AbortController();
    const call = server.use(controller.signal, (s) => s.request(WorkspaceSymbolRequest.type, { query: 'x' }, controller.signal));
    controller.abort();
    expect(await failure(call)).toMatchObject({ code: 'cancelled' });
  });

  it('reports a configured server that is not installed', async () => {
    const pool = createLanguageServerPool({ specs: [{ ...fakeSpec({}), command: { node: false, argv: ['baton-no-such-language-server'] } }] });
    pools.push(pool);
    const ctx: ToolContext = { grant: GrantSchema.parse({ read: ['**'] }), root: repo.root, signal: new AbortController().signal, log: () => {}, languageServers: pool };
    const error = await failure(pool.serverFor(ctx, pool.specs[0]!).use(ctx.signal, async () => undefined));
    expect(error).toMatchObject({ code: 'language_server_not_installed', message: expect.stringContaining('"baton-no-such-language-server", which is not installed') });
  });

  it('closing the pool ends the server process', async () => {
    const { ask, server, pool } = setup({ answers: { 'workspace/symbol': [] } });
    await ask();
    const pid = server.pid!;
    await pool.close();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
