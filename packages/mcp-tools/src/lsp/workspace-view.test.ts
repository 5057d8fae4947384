// What a language server is shown of a workspace: everything the scope reads, nothing else.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema } from '../grant.ts';
import { canRead, mayContainReadable } from '../permissions.ts';
import { MAX_HIDDEN_ENTRIES, planWorkspaceView, ViewTooLargeError, type ViewScope } from './workspace-view.ts';

let base: string;
let root: string;

function scope(read: string[]): ViewScope {
  const grant = GrantSchema.parse({ read });
  return { canRead: (rel) => canRead(grant, rel), mayContainReadable: (rel) => mayContainReadable(grant, rel) };
}

function write(rel: string, text = 'x\n'): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-view-')));
  root = path.join(base, 'repo');
  write('src/app.ts');
  write('src/app.test.ts');
  write('src/nested/.git/config');
  write('secret/key.ts');
  write('docs/guide.md');
  write('.git/HEAD');
  write('tools/lsp/server.js');
  write('tools/other/x.js');
  mkdirSync(path.join(base, 'outside/dir'), { recursive: true });
  writeFileSync(path.join(base, 'outside/file.ts'), 'export const leaked = 1;\n');
  symlinkSync(path.join(base, 'outside/file.ts'), path.join(root, 'src/abs-out.ts'));
  symlinkSync('../../outside/dir', path.join(root, 'src/rel-out'));
  symlinkSync('../secret/key.ts', path.join(root, 'src/in-link.ts'));
  symlinkSync('missing.ts', path.join(root, 'src/dangling.ts'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const rel = (abs: string) => path.relative(root, abs);

describe('planWorkspaceView', () => {
  it('hides .git at any depth and nothing else when the scope reads everything', () => {
    const view = planWorkspaceView(root, scope(['**']));
    expect(view.hiddenDirs.map(rel).sort()).toEqual(['.git', 'src/nested/.git']);
    expect(view.hiddenFiles).toEqual([]);
  });

  it('hides files outside the scope, and directories that hold nothing readable, whole', () => {
    const view = planWorkspaceView(root, scope(['src/**', '!src/**/*.test.ts']));
    expect(view.hiddenDirs.map(rel).sort()).toEqual(['.git', 'docs', 'secret', 'src/nested/.git', 'tools']);
    expect(view.hiddenFiles.map(rel)).toEqual(['src/app.test.ts']);
  });

  it('leaves symlinks as they are (the sandbox shows nothing outside the workspace to lead to)', () => {
    const view = planWorkspaceView(root, scope(['**']));
    expect([...view.hiddenDirs, ...view.hiddenFiles].some((p) => p.includes('out') || p.includes('link'))).toBe(false);
  });

  it('keeps the server\'s own files visible even where the scope hides their directory', () => {
    const kept = path.join(root, 'tools/lsp');
    const view = planWorkspaceView(root, scope(['src/**']), { keepVisible: [kept] });
    expect(view.hiddenDirs.map(rel)).not.toContain('tools');
    expect(view.hiddenDirs.map(rel)).toContain('tools/other');
    expect([...view.hiddenDirs, ...view.hiddenFiles].some((p) => p.startsWith(kept))).toBe(false);
  });

  it('refuses a scope that would take more than the limit of hidden entries', () => {
    const wide = path.join(base, 'wide');
    mkdirSync(wide);
    for (let i = 0; i <= MAX_HIDDEN_ENTRIES; i++) writeFileSync(path.join(wide, `f${i}.txt`), '');
    expect(() => planWorkspaceView(wide, scope(['*.ts']))).toThrow(ViewTooLargeError);
  });
});
