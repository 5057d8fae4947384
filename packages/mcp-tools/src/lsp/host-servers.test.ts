// Language servers as an HTTP tool host runs them: sessions with the same read scope on one
// workspace share one server; a session with another scope gets its own; closing the host
// stops them all. Grants name the tools in POST /grants like any other tool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpToolHost } from '../http/http-tool-host.ts';
import { connectHttp } from '../testing/connect-http.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import type { ServerEvent } from './managed-server.ts';
import { createLanguageServerPool } from './server-pool.ts';

let repo: TempRepo;

beforeAll(async () => {
  repo = await makeTempRepo({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ['src'] }),
    'src/a.ts': 'export function greet(name: string): string {\n  return name;\n}\n',
    'src/b.ts': "import { greet } from './a';\ngreet('x');\n",
  });
});
afterAll(() => repo.cleanup());

describe('language servers of an HTTP tool host', () => {
  it('are shared by sessions with one scope, separate per scope, and stopped with the host', async () => {
    const pool = createLanguageServerPool();
    const host = await startHttpToolHost({ root: repo.root, languageServers: pool });
    try {
      const tools = ['find_references', 'read_file'] as const;
      const wide = [host.grants.mint({ tools: [...tools], read: ['**'] }), host.grants.mint({ tools: [...tools], read: ['**'] })];
      const narrow = host.grants.mint({ tools: [...tools], read: ['src/**'] });
      const ask = async (token: string) => {
        const { client, close } = await connectHttp({ url: host.url, token });
        try {
          const result = await client.callTool({ name: 'find_references', arguments: { symbol: 'greet' } });
          expect(result.isError).toBeFalsy();
          return (result.structuredContent as { references: { path: string }[] }).references.length;
        } finally {
          await close();
        }
      };
      expect(await ask(wide[0]!.token)).toBe(3);
      expect(await ask(wide[1]!.token)).toBe(3);
      expect(pool.servers()).toHaveLength(1);
      expect(pool.servers()[0]!.starts).toBe(1);
      expect(await ask(narrow.token)).toBe(3);
      expect(pool.servers()).toHaveLength(2);
      const pids = pool.servers().map((s) => s.pid!);
      await pool.close();
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      await host.close();
    }
  });

  it('closes the servers it started itself when it closes', async () => {
    const events: ServerEvent[] = [];
    const host = await startHttpToolHost({ root: repo.root, languageServers: { onEvent: (e) => events.push(e) } });
    const grant = host.grants.mint({ tools: ['document_symbols'], read: ['**'] });
    const { client, close } = await connectHttp({ url: host.url, token: grant.token });
    const outline = await client.callTool({ name: 'document_symbols', arguments: { path: 'src/a.ts' } });
    expect((outline.structuredContent as { symbols: { name: string }[] }).symbols.map((s) => s.name)).toEqual(['greet']);
    await close();
    const started = events.find((e) => e.type === 'lsp.started');
    expect(started).toBeDefined();
    await host.close();
    expect(events).toContainEqual(expect.objectContaining({ type: 'lsp.stopped', reason: 'closed' }));
    expect(() => process.kill((started as { pid: number }).pid, 0)).toThrow();
  });
});
