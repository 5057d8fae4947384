// Real language servers that die or stop answering mid-session: the call that meets it gets a tool
// error promptly and the next call gets a fresh server. The TypeScript server is killed (SIGKILL)
// and frozen (SIGSTOP) from outside, as a crash or a hang would leave it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema } from '../grant.ts';
import type { ServerEvent } from '../lsp/managed-server.ts';
import { createLanguageServerPool, type LanguageServerPool } from '../lsp/server-pool.ts';
import { codeIntel } from '../testing/code-intel-calls.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import type { ToolContext } from './tool.ts';
import { isToolError } from './tool-error.ts';

let repo: TempRepo;
let pool: LanguageServerPool;
let ctx: ToolContext;
const waiters: { match: (e: ServerEvent) => boolean; resolve: () => void }[] = [];
const next = (match: (e: ServerEvent) => boolean) => new Promise<void>((resolve) => waiters.push({ match, resolve }));

beforeAll(async () => {
  repo = await makeTempRepo({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ['src'] }),
    'src/a.ts': 'export function greet(name: string): string {\n  return `hello ${name}`;\n}\n',
    'src/b.ts': "import { greet } from './a';\ngreet('x');\n",
  });
  pool = createLanguageServerPool({
    limits: { queryTimeoutMs: 4_000 },
    onEvent: (event) => {
      for (const w of [...waiters]) if (w.match(event)) w.resolve();
    },
  });
  ctx = { grant: GrantSchema.parse({ read: ['**'] }), root: repo.root, signal: new AbortController().signal, log: () => {}, languageServers: pool };
  await warm();
});

/** Asks until the server has loaded the project: a cold load may outlast the short time limit set here (and is not taken for a hang). */
async function warm(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const code = await errorCode(definition());
    if (code === 'no error') return;
    if (code !== 'language_server_timeout' || attempt === 10) throw new Error(`the server did not warm up: ${code}`);
  }
}
afterAll(async () => {
  await pool.close();
  await repo.cleanup();
});

const definition = () => codeIntel.gotoDefinition({ path: 'src/b.ts', line: 2, column: 1 }, ctx);

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isToolError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

/** The server's processes below bwrap, the TypeScript server (tsserver) last. */
function serverProcesses(): number[] {
  const server = pool.servers()[0]!;
  return server.processIds();
}

describe('a real language server that fails mid-session', () => {
  it('answers, and after being killed comes back on the next call', async () => {
    expect((await definition()).definitions.map((d) => `${d.path}:${d.line}`)).toEqual(['src/a.ts:1']);
    const stopped = next((e) => e.type === 'lsp.stopped' && e.reason === 'crashed');
    for (const pid of serverProcesses()) process.kill(pid, 'SIGKILL');
    await stopped;
    await warm();
    expect((await definition()).definitions.map((d) => `${d.path}:${d.line}`)).toEqual(['src/a.ts:1']);
    expect(pool.servers()[0]!.starts).toBe(2);
  });

  it('turns a frozen server into timeouts, then replaces it', async () => {
    await definition();
    const frozen = serverProcesses();
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    try {
      expect(await errorCode(definition())).toBe('language_server_timeout');
      const replaced = next((e) => e.type === 'lsp.stopped' && e.reason === 'hung');
      expect(await errorCode(definition())).toBe('language_server_timeout');
      await replaced;
    } finally {
      for (const pid of frozen) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // Already gone with the sandbox.
        }
      }
    }
    await warm();
    expect((await definition()).definitions.map((d) => `${d.path}:${d.line}`)).toEqual(['src/a.ts:1']);
  });
});
