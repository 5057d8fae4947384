// The code-intelligence tools on real Python nobody here wrote: the idna package as Debian ships
// it (python3-idna), copied into a fresh workspace and served by the pinned pyright in the
// sandbox. Expected answers are read from the sources (every whole-word occurrence).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema } from '../grant.ts';
import { createLanguageServerPool, type LanguageServerPool } from '../lsp/server-pool.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import { applyDiffTool } from './apply-diff.ts';
import { codeIntel } from '../testing/code-intel-calls.ts';
import type { ToolContext } from './tool.ts';

const INSTALLED = '/usr/lib/python3/dist-packages/idna';

/** idna's sources: installed by scripts/system-deps.mjs, or downloaded (not installed) with apt-get. */
function idnaSources(): { dir: string; cleanup: () => void } {
  if (existsSync(path.join(INSTALLED, 'core.py'))) return { dir: INSTALLED, cleanup: () => {} };
  const scratch = mkdtempSync(path.join(tmpdir(), 'baton-deb-'));
  const download = spawnSync('apt-get', ['download', 'python3-idna'], { cwd: scratch, encoding: 'utf8' });
  const deb = readdirSync(scratch).find((f) => f.endsWith('.deb'));
  if (download.status !== 0 || deb === undefined) {
    throw new Error(`these tests read the sources of the Debian package python3-idna: install it (apt-get install python3-idna) or make apt-get download work (${(download.stderr || download.error?.message || '').trim()})`);
  }
  spawnSync('dpkg-deb', ['-x', deb, 'x'], { cwd: scratch });
  return { dir: path.join(scratch, 'x', INSTALLED), cleanup: () => rmSync(scratch, { recursive: true, force: true }) };
}

let repo: TempRepo;
let pool: LanguageServerPool;
let ctx: ToolContext;

beforeAll(async () => {
  repo = await makeTempRepo();
  const sources = idnaSources();
  try {
    cpSync(sources.dir, path.join(repo.root, 'idna'), { recursive: true, filter: (source) => !source.includes('__pycache__') });
  } finally {
    sources.cleanup();
  }
  pool = createLanguageServerPool();
  ctx = { grant: GrantSchema.parse({ read: ['**'], write: ['idna/**'] }), root: repo.root, signal: new AbortController().signal, log: () => {}, languageServers: pool };
});
afterAll(async () => {
  await pool.close();
  await repo.cleanup();
});

function lines(rel: string): string[] {
  return readFileSync(path.join(repo.root, rel), 'utf8').split('\n');
}

/** Whole-word occurrences of `name` in the small modules (pyright counts the strings of `__all__` too), as "path:line:column". */
function occurrences(name: string): string[] {
  const found: string[] = [];
  for (const file of ['__init__.py', 'codec.py', 'compat.py', 'core.py', 'intranges.py']) {
    lines(`idna/${file}`).forEach((line, i) => {
      for (const match of line.matchAll(new RegExp(`(?<!\\w)${name}(?!\\w)`, 'g'))) found.push(`idna/${file}:${i + 1}:${match.index + 1}`);
    });
  }
  return found.sort();
}

const where = (l: { path: string; line: number; column: number }) => `${l.path}:${l.line}:${l.column}`;

describe('code intelligence on idna (Python, from Debian)', () => {
  it('goes from a call to the definition in another module', async () => {
    const use = occurrences('intranges_contain').find((o) => o.startsWith('idna/core.py') && !lines('idna/core.py')[Number(o.split(':')[1]) - 1]!.includes('import'))!;
    const [file, line, column] = use.split(':');
    const out = await codeIntel.gotoDefinition({ path: file!, line: Number(line), column: Number(column) }, ctx);
    const declared = lines('idna/intranges.py').findIndex((l) => l.startsWith('def intranges_contain')) + 1;
    expect(out.definitions.map((d) => `${d.path}:${d.line}`)).toEqual([`idna/intranges.py:${declared}`]);
  });

  it('finds every reference to a function across modules', async () => {
    const out = await codeIntel.findReferences({ symbol: 'intranges_contain' }, ctx);
    expect(out.references.map(where).sort()).toEqual(occurrences('intranges_contain'));
  });

  it('finds references to a function used within its module, and a class by name', async () => {
    const references = await codeIntel.findReferences({ symbol: 'check_label', path: 'idna/core.py' }, ctx);
    expect(references.references.map(where).sort()).toEqual(occurrences('check_label'));
    const symbols = await codeIntel.findSymbol({ query: 'IDNAError', kind: 'class' }, ctx);
    const declared = lines('idna/core.py').findIndex((l) => l.startsWith('class IDNAError')) + 1;
    expect(symbols.symbols[0]).toMatchObject({ name: 'IDNAError', kind: 'class', path: 'idna/core.py', line: declared });
  });

  it('outlines a module', async () => {
    const out = await codeIntel.documentSymbols({ path: 'idna/codec.py' }, ctx);
    const classes = out.symbols.filter((s) => s.kind === 'class' && s.depth === 0).map((s) => s.name);
    const expected = lines('idna/codec.py').flatMap((l) => /^class (\w+)/.exec(l)?.[1] ?? []);
    expect(classes).toEqual(expected);
  });

  it('sees an edit made through apply_diff in another module before its next answer', async () => {
    const before = await codeIntel.diagnostics({ path: 'idna/core.py', min_severity: 'error' }, ctx);
    const rename = (from: string, to: string) => applyDiffTool.run({ patch: `idna/intranges.py\n<<<<<<< SEARCH\n${from}\n=======\n${to}\n>>>>>>> REPLACE\n` }, ctx);
    const declaration = lines('idna/intranges.py').find((l) => l.startsWith('def intranges_contain'))!;
    await rename(declaration, declaration.replace('intranges_contain', 'intranges_holds'));
    const broken = await codeIntel.diagnostics({ path: 'idna/core.py', min_severity: 'error' }, ctx);
    expect(broken.diagnostics).toContainEqual(expect.objectContaining({ path: 'idna/core.py', severity: 'error', message: expect.stringContaining('intranges_contain') }));
    await rename(declaration.replace('intranges_contain', 'intranges_holds'), declaration);
    const fixed = await codeIntel.diagnostics({ path: 'idna/core.py', min_severity: 'error' }, ctx);
    expect(fixed.total).toBe(before.total);
  });
});
