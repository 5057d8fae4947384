// The operator's language-server file: more servers, replacements, and errors that say what is wrong.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LanguageServerConfigError, loadLanguageServerSpecs } from './language-server-config.ts';
import { settingsSection } from './server-spec.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'baton-lsp-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(content: unknown): string {
  const at = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(at, typeof content === 'string' ? content : JSON.stringify(content));
  return at;
}

describe('loadLanguageServerSpecs', () => {
  it('adds configured servers to the built-ins', () => {
    const specs = loadLanguageServerSpecs(file({ servers: [{ id: 'gopls', command: ['gopls'], languages: { '.go': 'go' }, env: ['GOFLAGS'] }] }));
    expect(specs.map((s) => s.id)).toEqual(['typescript', 'pyright', 'gopls']);
    const gopls = specs.find((s) => s.id === 'gopls')!;
    expect(gopls).toMatchObject({ command: { node: false, argv: ['gopls'] }, languages: { '.go': 'go' }, dialect: 'generic', env: ['GOFLAGS'] });
  });

  it('lets a configured server replace a built-in one, and take an extension from another', () => {
    const specs = loadLanguageServerSpecs(file({ servers: [{ id: 'typescript', command: ['my-ts-server', '--stdio'], languages: { '.ts': 'typescript' } }, { id: 'jsonly', command: ['js-server'], languages: { '.js': 'javascript' } }] }));
    const typescript = specs.find((s) => s.id === 'typescript')!;
    expect(typescript.command.argv).toEqual(['my-ts-server', '--stdio']);
    expect(typescript.dialect).toBe('generic');
    expect(Object.keys(specs.find((s) => s.id === 'jsonly')!.languages)).toEqual(['.js']);
  });

  it('says what is wrong with a bad file', () => {
    expect(() => loadLanguageServerSpecs(path.join(dir, 'missing.json'))).toThrow(LanguageServerConfigError);
    expect(() => loadLanguageServerSpecs(file('{not json'))).toThrow(/cannot read the language-server configuration/);
    expect(() => loadLanguageServerSpecs(file({ servers: [{ id: 'Bad Id', command: [], languages: { go: 'go' } }] }))).toThrow(/servers\.0\.id: .*servers\.0\.command: .*servers\.0\.languages/s);
    expect(() => loadLanguageServerSpecs(file({ servers: [{ id: 'x', command: ['x'], languages: { '.x': 'x' }, shell: 'sh -c' }] }))).toThrow(/Unrecognized key/);
    expect(() => loadLanguageServerSpecs(file({ servers: [{ id: 'x', command: ['x'], languages: { '.x': 'x' }, env: ['GITHUB_TOKEN'] }] }))).toThrow(/servers\.0\.env\.0: looks like a credential/);
  });
});

describe('settingsSection', () => {
  it('answers a dotted section from the settings tree, and null for what is not there', () => {
    const settings = { python: { analysis: { diagnosticMode: 'workspace' } } };
    expect(settingsSection(settings, 'python.analysis')).toEqual({ diagnosticMode: 'workspace' });
    expect(settingsSection(settings, 'python.analysis.diagnosticMode')).toBe('workspace');
    expect(settingsSection(settings, 'gopls')).toBeNull();
    expect(settingsSection(settings, 'python.toString')).toBeNull();
    expect(settingsSection(settings, undefined)).toBe(settings);
  });
});
