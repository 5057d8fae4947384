// The code-intelligence tools on this repository itself, read-only: the TypeScript server loads
// @baton/mcp-tools' own project. Expectations come from the sources at test time, so the test
// follows the code as it changes.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema } from '../grant.ts';
import { createLanguageServerPool, type LanguageServerPool } from '../lsp/server-pool.ts';
import { codeIntel } from '../testing/code-intel-calls.ts';
import type { ToolContext } from './tool.ts';

const repoRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const SRC = 'packages/mcp-tools/src';

let pool: LanguageServerPool;
let ctx: ToolContext;

beforeAll(() => {
  pool = createLanguageServerPool();
  ctx = { grant: GrantSchema.parse({ read: ['**'] }), root: repoRoot, signal: new AbortController().signal, log: () => {}, languageServers: pool };
});
afterAll(() => pool.close());

function sourceFiles(dir = SRC): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
}

function lineOf(rel: string, test: (line: string) => boolean): { line: number; text: string } {
  const lines = readFileSync(path.join(repoRoot, rel), 'utf8').split('\n');
  const index = lines.findIndex(test);
  if (index < 0) throw new Error(`no such line in ${rel}`);
  return { line: index + 1, text: lines[index]! };
}

// Loading this repository's projects takes a while on a busy machine.
describe('code intelligence on this repository', { timeout: 180_000 }, () => {
  it('goes from a call of canRead to its declaration', async () => {
    const call = lineOf(`${SRC}/confine/access.ts`, (l) => /[^.\w]canRead\(/.test(l) && !l.trim().startsWith('//'));
    const declared = lineOf(`${SRC}/permissions.ts`, (l) => l.startsWith('export function canRead'));
    const out = await codeIntel.gotoDefinition({ path: `${SRC}/confine/access.ts`, line: call.line, column: call.text.search(/(?<![.\w])canRead\(/) + 1 }, ctx);
    expect(out.definitions.map((d) => `${d.path}:${d.line}`)).toEqual([`${SRC}/permissions.ts:${declared.line}`]);
  });

  it('finds the callers of canRead, and not a same-named method of another type', async () => {
    const out = await codeIntel.findReferences({ symbol: 'canRead', path: `${SRC}/permissions.ts`, max_results: 500 }, ctx);
    const files = new Set(out.references.map((r) => r.path));
    for (const reference of out.references) expect(reference.text).toContain('canRead');
    for (const caller of ['permissions.ts', 'confine/access.ts', 'tools/search.ts', 'tools/verified-listing.ts']) expect(files).toContain(`${SRC}/${caller}`);
    // Files that mention canRead only as a member of something else (`scope.canRead(...)`) are
    // text matches a search would list, but not references to this function.
    const memberOnly = sourceFiles().filter((file) => {
      const mentions = [...readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/(.)canRead\b/g)];
      return mentions.length > 0 && mentions.every((m) => m[1] === '.');
    });
    expect(memberOnly.length).toBeGreaterThan(0);
    for (const file of memberOnly) expect(files).not.toContain(file);
  });

  it('finds a declaration by name and outlines its file', async () => {
    const declared = lineOf(`${SRC}/lsp/workspace-view.ts`, (l) => l.startsWith('export function planWorkspaceView'));
    const symbols = await codeIntel.findSymbol({ query: 'planWorkspaceView', kind: 'function' }, ctx);
    expect(symbols.symbols[0]).toMatchObject({ name: 'planWorkspaceView', path: `${SRC}/lsp/workspace-view.ts`, line: declared.line });
    const outline = await codeIntel.documentSymbols({ path: `${SRC}/lsp/workspace-view.ts` }, ctx);
    expect(outline.symbols).toContainEqual(expect.objectContaining({ name: 'planWorkspaceView', kind: 'function', depth: 0, line: declared.line }));
  });

  it('reports no type errors in a file of this repository', async () => {
    const out = await codeIntel.diagnostics({ path: `${SRC}/permissions.ts`, min_severity: 'error' }, ctx);
    expect(out.diagnostics).toEqual([]);
    expect(out.files_checked).toBe(1);
  });
});
