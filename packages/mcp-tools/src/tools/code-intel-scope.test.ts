// The read scope holds for what real language servers know, not just for what results show: the
// TypeScript server of a session that may not read secret/ never sees secret/ (so no type, name or
// message can carry its text), nor .git, nor what a symlink leads to outside the workspace. The
// same workspace read whole shows the secret in a diagnostic — the view is what keeps it out.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema } from '../grant.ts';
import { createLanguageServerPool, type LanguageServerPool } from '../lsp/server-pool.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import { codeIntel } from '../testing/code-intel-calls.ts';
import type { ToolContext } from './tool.ts';

// Text only secret/, .git and the outside file contain (app.ts itself names hiddenHelper and outsideValue).
const SECRETS = ['TOPSECRET', 'GITSECRET', 'gitValue', 'OUTSIDESECRET', 'repo-other', 'secret/keys.ts'];

let repo: TempRepo;
let pool: LanguageServerPool;

function session(read: string[]): ToolContext {
  return { grant: GrantSchema.parse({ read }), root: repo.root, signal: new AbortController().signal, log: () => {}, languageServers: pool };
}

beforeAll(async () => {
  repo = await makeTempRepo({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ES2022', moduleResolution: 'Bundler', noEmit: true }, include: ['src', 'secret'] }),
    'secret/keys.ts': 'export const apiKey = "TOPSECRET-4711" as const;\nexport function hiddenHelper(): void {}\n',
    'src/app.ts': [
      "import { apiKey, hiddenHelper } from '../secret/keys';",
      "import { outsideValue } from './out';",
      'export const port: 8080 = apiKey;',
      'hiddenHelper();',
      'export function visible(): number { return port + outsideValue.length; }',
      'visible();',
      '',
    ].join('\n'),
    '.git/hooks/tool.ts': 'export const gitValue = "GITSECRET";\n',
  });
  mkdirSync(repo.outside, { recursive: true });
  writeFileSync(path.join(repo.outside, 'out.ts'), 'export const outsideValue = "OUTSIDESECRET";\n');
  symlinkSync(path.join(repo.outside, 'out.ts'), path.join(repo.root, 'src/out.ts'));
  symlinkSync('../secret/keys.ts', path.join(repo.root, 'src/keys-link.ts'));
  pool = createLanguageServerPool();
});
afterAll(async () => {
  await pool.close();
  await repo.cleanup();
});

function expectNoSecrets(output: unknown): void {
  const text = JSON.stringify(output);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('a session that may read src/ only', () => {
  const ctx = () => session(['src/**', 'tsconfig.json']);

  it('gets diagnostics from a server that never saw secret/, .git or the outside file', async () => {
    const out = await codeIntel.diagnostics({ path: 'src/app.ts', min_severity: 'error' }, ctx());
    const messages = out.diagnostics.map((d) => d.message);
    // The import of secret/ cannot be resolved: the server's view has no such file.
    expect(messages.some((m) => /Cannot find module '\.\.\/secret\/keys'/.test(m))).toBe(true);
    expectNoSecrets(out);
  });

  it('finds no symbol, definition or reference in what it may not read', async () => {
    const symbols = await codeIntel.findSymbol({ query: 'hiddenHelper' }, ctx());
    // Only the name app.ts imports; the declaration in secret/ is unknown to the server.
    expect(symbols.symbols.map((s) => `${s.path}:${s.line}`)).toEqual(['src/app.ts:1']);
    expect(symbols.not_shown).toBeUndefined();
    expectNoSecrets(symbols);
    const definition = await codeIntel.gotoDefinition({ path: 'src/app.ts', line: 4, column: 1 }, ctx());
    expect(definition.definitions.every((d) => d.path === 'src/app.ts')).toBe(true);
    expectNoSecrets(definition);
    const outside = await codeIntel.gotoDefinition({ path: 'src/app.ts', line: 5, column: 52 }, ctx());
    expectNoSecrets(outside);
    const references = await codeIntel.findReferences({ symbol: 'visible' }, ctx());
    expect(references.references.map((r) => `${r.path}:${r.line}`)).toEqual(['src/app.ts:5', 'src/app.ts:6']);
  });

  it('checks the whole workspace without reaching outside the scope', async () => {
    const out = await codeIntel.diagnostics({}, ctx());
    expect(new Set(out.diagnostics.map((d) => d.path))).toEqual(new Set(['src/app.ts']));
    expectNoSecrets(out);
  });
});

describe('a session that may read everything', () => {
  it('gets the secret file\'s type in a diagnostic (which is why a narrower scope needs its own view)', async () => {
    const ctx = session(['**']);
    const out = await codeIntel.diagnostics({ path: 'src/app.ts', min_severity: 'error' }, ctx);
    expect(out.diagnostics.map((d) => d.message).join('\n')).toContain('TOPSECRET-4711');
    const definition = await codeIntel.gotoDefinition({ path: 'src/app.ts', line: 4, column: 1 }, ctx);
    expect(definition.definitions.map((d) => `${d.path}:${d.line}`)).toContain('secret/keys.ts:2');
    // Even so, .git and the outside file stay out: the view hides them for every scope.
    expect(JSON.stringify(out)).not.toContain('GITSECRET');
    expect(JSON.stringify(out)).not.toContain('OUTSIDESECRET');
  });

  it('does not show locations reached through a symlink, and counts them', async () => {
    const ctx = session(['**']);
    const references = await codeIntel.findReferences({ path: 'secret/keys.ts', line: 2, column: 17 }, ctx);
    expect(references.references.map((r) => r.path)).not.toContain('src/keys-link.ts');
    expect(references.references.map((r) => `${r.path}:${r.line}`)).toEqual(expect.arrayContaining(['secret/keys.ts:2', 'src/app.ts:1', 'src/app.ts:4']));
  });
});
