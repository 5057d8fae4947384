// Nothing a language server says is taken on trust: a server scripted to report locations outside
// the root, in .git, outside the read scope, behind a symlink, on lines that do not exist, and
// names the file does not contain gets none of them into a result — they are counted, and every
// name and line shown is what the file itself says.
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema } from '../grant.ts';
import { createLanguageServerPool, type LanguageServerPool } from '../lsp/server-pool.ts';
import { fakeServerSpec } from '../testing/fake-language-server-spec.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import { codeIntel } from '../testing/code-intel-calls.ts';
import type { ToolContext } from './tool.ts';

const SECRETS = ['TOPSECRET', 'TOKEN=zzz', 'SECRETCONTAINER', 'repo-other', '/etc/passwd', 'GITSECRET', 'OUTSIDESECRET'];

let repo: TempRepo;
let pool: LanguageServerPool;
let ctx: ToolContext;

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });
const at = (uri: string, line = 0, from = 0, to = 5) => ({ uri, range: range(line, from, to) });

const hostileLocations = [
  at('${ROOT}/src/app.fk'),
  at('${ROOT}/secret/key.fk'),
  at('${ROOT}/.git/config'),
  at('${ROOT}/../repo-other/x.fk'),
  at('file:///etc/passwd'),
  at('${ROOT}/src/link.fk'),
  at('http://example.com/src/app.fk'),
  at('${ROOT}/src/app.fk', 999),
];

beforeAll(async () => {
  repo = await makeTempRepo({ 'src/app.fk': 'alpha\nbeta gamma\n', 'secret/key.fk': 'TOPSECRET\n', '.git/config': 'GITSECRET\n' });
  writeFileSync(path.join(repo.outside, 'x.fk'), 'OUTSIDESECRET\n');
  symlinkSync('app.fk', path.join(repo.root, 'src/link.fk'));
  const script = path.join(repo.outside, 'script.json');
  writeFileSync(
    script,
    JSON.stringify({
      answers: {
        'workspace/symbol': [
          ...hostileLocations.map((location, i) => ({ name: i === 0 ? 'alpha' : `s${i}`, kind: 12, location })),
          { name: 'TOKEN=zzz', kind: 12, containerName: 'SECRETCONTAINER', location: at('${ROOT}/src/app.fk', 1, 0, 4) },
        ],
        'textDocument/definition': hostileLocations,
        'textDocument/references': hostileLocations,
        'textDocument/documentSymbol': [{ name: 'TOKEN=zzz', kind: 12, range: range(1, 0, 10), selectionRange: range(1, 0, 4), children: [] }],
        'textDocument/diagnostic': { kind: 'full', items: [{ range: range(1, 5, 10), severity: 1, message: 'gamma is wrong' }, { range: range(999, 0, 1), severity: 1, message: 'nowhere' }] },
      },
    }),
  );
  pool = createLanguageServerPool({ specs: [fakeServerSpec(script)] });
  ctx = { grant: GrantSchema.parse({ read: ['src/**'] }), root: repo.root, signal: new AbortController().signal, log: () => {}, languageServers: pool };
});
afterAll(async () => {
  await pool.close();
  await repo.cleanup();
});

function expectNoSecrets(output: unknown): void {
  const text = JSON.stringify(output);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('results from a language server that lies', () => {
  it('find_symbol shows only readable, regular, existing places, with names the file says', async () => {
    const out = await codeIntel.findSymbol({ query: 'a' }, ctx);
    expect(out.symbols).toEqual([
      { name: 'alpha', kind: 'function', path: 'src/app.fk', line: 1, column: 1, text: 'alpha' },
      { name: 'beta', kind: 'function', path: 'src/app.fk', line: 2, column: 1, text: 'beta gamma' },
    ]);
    expect(out.not_shown).toBe(7);
    expectNoSecrets(out);
  });

  it('goto_definition and find_references count what they may not show', async () => {
    const definitions = await codeIntel.gotoDefinition({ path: 'src/app.fk', line: 1, column: 1 }, ctx);
    expect(definitions.definitions).toEqual([{ path: 'src/app.fk', line: 1, column: 1, end_line: 1, end_column: 6, text: 'alpha' }]);
    expect(definitions.not_shown).toBe(7);
    expectNoSecrets(definitions);
    const references = await codeIntel.findReferences({ path: 'src/app.fk', line: 2, column: 6 }, ctx);
    expect(references.references.map((r) => `${r.path}:${r.line}`)).toEqual(['src/app.fk:1']);
    expect(references.not_shown).toBe(7);
    expectNoSecrets(references);
  });

  it('document_symbols shows the file\'s own text for a name it does not contain', async () => {
    const out = await codeIntel.documentSymbols({ path: 'src/app.fk' }, ctx);
    expect(out.symbols).toEqual([{ name: 'beta', kind: 'function', depth: 0, line: 2, column: 1, end_line: 2 }]);
    expectNoSecrets(out);
  });

  it('diagnostics on a line that does not exist are counted, not shown', async () => {
    const out = await codeIntel.diagnostics({ path: 'src/app.fk' }, ctx);
    expect(out.diagnostics).toEqual([expect.objectContaining({ path: 'src/app.fk', line: 2, column: 6, message: 'gamma is wrong', text: 'beta gamma' })]);
    expect(out.not_shown).toBe(1);
  });

  it('waits for a server that only publishes diagnostics until it has published for the version it was sent', async () => {
    const script = path.join(repo.outside, 'push.json');
    writeFileSync(script, JSON.stringify({ publish: [{ range: range(0, 0, 5), severity: 2, message: 'alpha is odd' }] }));
    const pushPool = createLanguageServerPool({ specs: [fakeServerSpec(script, { id: 'pusher' })] });
    try {
      const out = await codeIntel.diagnostics({ path: 'src/app.fk' }, { ...ctx, languageServers: pushPool });
      expect(out.diagnostics).toEqual([expect.objectContaining({ path: 'src/app.fk', line: 1, severity: 'warning', message: 'alpha is odd', text: 'alpha' })]);
      const again = await codeIntel.diagnostics({}, { ...ctx, languageServers: pushPool });
      expect(again.diagnostics.map((d) => d.message)).toEqual(['alpha is odd']);
    } finally {
      await pushPool.close();
    }
  });

  it('refuses positions in files outside the read scope before asking any server', async () => {
    await expect(codeIntel.gotoDefinition({ path: 'secret/key.fk', line: 1, column: 1 }, ctx)).rejects.toThrow(/outside this session's read scope/);
    await expect(codeIntel.gotoDefinition({ path: '.git/config', line: 1, column: 1 }, ctx)).rejects.toThrow();
    await expect(codeIntel.documentSymbols({ path: '../repo-other/x.fk' }, ctx)).rejects.toThrow(/outside the repository root/);
  });
});
