// The code-intelligence tools on real TypeScript nobody here wrote: zod's v4 core and locales, as
// its npm tarball ships them, copied into a fresh workspace and served by the pinned
// typescript-language-server in the sandbox. Expected answers are read from the sources
// themselves (every word occurrence of an identifier no comment or string mentions).
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema } from '../grant.ts';
import { createLanguageServerPool, type LanguageServerPool } from '../lsp/server-pool.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import { applyDiffTool } from './apply-diff.ts';
import { codeIntel } from '../testing/code-intel-calls.ts';
import type { ToolContext } from './tool.ts';

const zodSrc = path.join(path.dirname(createRequire(import.meta.url).resolve('zod/package.json')), 'src', 'v4');

let repo: TempRepo;
let pool: LanguageServerPool;
let ctx: ToolContext;

beforeAll(async () => {
  repo = await makeTempRepo({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true, skipLibCheck: true }, include: ['v4'] }),
    'package.json': JSON.stringify({ name: 'zod-core-copy', type: 'module' }),
  });
  for (const dir of ['core', 'locales']) {
    cpSync(path.join(zodSrc, dir), path.join(repo.root, 'v4', dir), { recursive: true, filter: (source) => !source.includes(`${path.sep}tests`) });
  }
  pool = createLanguageServerPool();
  ctx = { grant: GrantSchema.parse({ read: ['**'], write: ['v4/**'] }), root: repo.root, signal: new AbortController().signal, log: () => {}, languageServers: pool };
});
afterAll(async () => {
  await pool.close();
  await repo.cleanup();
});

/** Every whole-word occurrence of `name` in the workspace's .ts files, as "path:line:column". */
function occurrences(name: string): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(repo.root, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (child.endsWith('.ts')) {
        readFileSync(path.join(repo.root, child), 'utf8')
          .split('\n')
          .forEach((line, i) => {
            for (const match of line.matchAll(new RegExp(`(?<![\\w$])${name.replace(/[$]/g, '\\$&')}(?![\\w$])`, 'g'))) found.push(`${child}:${i + 1}:${match.index + 1}`);
          });
      }
    }
  };
  walk('v4');
  return found.sort();
}

const where = (l: { path: string; line: number; column: number }) => `${l.path}:${l.line}:${l.column}`;

describe('code intelligence on zod v4 core (TypeScript)', () => {
  it('finds every reference to a function, matching its occurrences in the sources', async () => {
    const expected = occurrences('_safeParse');
    expect(expected.length).toBeGreaterThan(2);
    const [declaration] = expected.filter((o) => readFileSync(path.join(repo.root, o.split(':')[0]!), 'utf8').split('\n')[Number(o.split(':')[1]) - 1]!.includes('export const _safeParse'));
    const [file, line, column] = declaration!.split(':');
    const out = await codeIntel.findReferences({ path: file!, line: Number(line), column: Number(column) }, ctx);
    expect(out.references.map(where).sort()).toEqual(expected);
    for (const reference of out.references) expect(reference.text).toContain('_safeParse');
  });

  it('goes from a use to its definition in another file', async () => {
    const uses = occurrences('$ZodRealError').filter((o) => o.startsWith('v4/core/parse.ts'));
    expect(uses.length).toBeGreaterThan(0);
    const [file, line, column] = uses[0]!.split(':');
    const out = await codeIntel.gotoDefinition({ path: file!, line: Number(line), column: Number(column) }, ctx);
    const errors = readFileSync(path.join(repo.root, 'v4/core/errors.ts'), 'utf8').split('\n');
    const declared = errors.findIndex((l) => l.startsWith('export const $ZodRealError')) + 1;
    expect(out.definitions.map((d) => `${d.path}:${d.line}`)).toContain(`v4/core/errors.ts:${declared}`);
    expect(out.not_shown).toBeUndefined();
  });

  it('finds a symbol by name across the workspace, and references by symbol name', async () => {
    const symbols = await codeIntel.findSymbol({ query: '_safeParseAsync' }, ctx);
    expect(symbols.servers).toEqual(['typescript']);
    expect(symbols.symbols[0]).toMatchObject({ name: '_safeParseAsync', path: 'v4/core/parse.ts', text: expect.stringContaining('export const _safeParseAsync') });
    const references = await codeIntel.findReferences({ symbol: '_safeParseAsync' }, ctx);
    expect(references.references.map(where).sort()).toEqual(occurrences('_safeParseAsync'));
  });

  it('outlines a file', async () => {
    const out = await codeIntel.documentSymbols({ path: 'v4/core/parse.ts' }, ctx);
    const lines = readFileSync(path.join(repo.root, 'v4/core/parse.ts'), 'utf8').split('\n');
    const safeParse = out.symbols.find((s) => s.name === 'safeParse' && s.depth === 0);
    expect(safeParse).toBeDefined();
    expect(lines[safeParse!.line - 1]).toContain('export const safeParse');
  });

  it('sees an edit made through apply_diff in another file before its next answer', async () => {
    const before = await codeIntel.diagnostics({ path: 'v4/core/parse.ts', min_severity: 'error' }, ctx);
    const errorsText = readFileSync(path.join(repo.root, 'v4/core/errors.ts'), 'utf8');
    const declaration = errorsText.split('\n').find((l) => l.startsWith('export const $ZodRealError'))!;
    const rename = (from: string, to: string) => applyDiffTool.run({ patch: `v4/core/errors.ts\n<<<<<<< SEARCH\n${from}\n=======\n${to}\n>>>>>>> REPLACE\n` }, ctx);
    await rename(declaration, declaration.replace('$ZodRealError', '$ZodRenamedError'));
    const broken = await codeIntel.diagnostics({ path: 'v4/core/parse.ts', min_severity: 'error' }, ctx);
    const uses = occurrences('$ZodRealError').filter((o) => o.startsWith('v4/core/parse.ts'));
    // Every line of parse.ts that uses the old name now has an error naming it.
    const flagged = new Set(broken.diagnostics.filter((d) => d.message.includes('$ZodRealError')).map((d) => d.line));
    expect(uses.map((u) => Number(u.split(':')[1])).every((line) => flagged.has(line))).toBe(true);
    expect(broken.total).toBeGreaterThan(before.total);
    await rename(declaration.replace('$ZodRealError', '$ZodRenamedError'), declaration);
    const fixed = await codeIntel.diagnostics({ path: 'v4/core/parse.ts', min_severity: 'error' }, ctx);
    expect(fixed.total).toBe(before.total);
  });

  it('checks every readable file when no path is given', async () => {
    writeFileSync(path.join(repo.root, 'v4/core/broken.ts'), 'export const n: number = "not a number";\n');
    const out = await codeIntel.diagnostics({ min_severity: 'error' }, ctx);
    expect(out.files_checked).toBeGreaterThan(40);
    expect(out.files_unchecked).toBe(0);
    expect(out.diagnostics).toContainEqual(expect.objectContaining({ path: 'v4/core/broken.ts', line: 1, severity: 'error', source: 'typescript', code: '2322' }));
  });
});
