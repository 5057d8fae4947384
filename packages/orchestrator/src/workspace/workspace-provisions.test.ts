// The workspace settings resolved against a real checkout: globs matched there (outermost paths
// only, not inside node_modules), patterns that match nothing named, tracked paths refused.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceSettingsSchema } from '../config/workspace-settings.ts';
import { git } from '../git/run-git.ts';
import { providedPathspecs, resolveProvisions, WorkspaceSettingsError } from './workspace-provisions.ts';

let repo: string;
beforeEach(async () => {
  repo = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-provisions-'))), 'repo');
  for (const dir of ['node_modules/.pnpm/x/node_modules', 'packages/a/node_modules/dep', 'packages/b/node_modules', 'packages/c/src', 'gen']) mkdirSync(path.join(repo, dir), { recursive: true });
  writeFileSync(path.join(repo, '.env.test'), 'X=1\n');
  writeFileSync(path.join(repo, 'packages', 'c', 'src', 'index.ts'), '');
  writeFileSync(path.join(repo, 'gen', 'tracked.ts'), '');
  await git(['init', '-q'], { cwd: repo });
  await git(['add', 'packages/c', 'gen'], { cwd: repo });
});
afterEach(() => rmSync(path.dirname(repo), { recursive: true, force: true }));

const settings = (input: object) => WorkspaceSettingsSchema.parse(input);

describe('resolveProvisions', () => {
  it('matches globs in the checkout, keeps the outermost paths, and names what matched nothing', async () => {
    const provisions = await resolveProvisions(repo, settings({ link: ['node_modules', 'packages/*/node_modules', 'node_modules/.pnpm', '.venv'], copy: ['.env.test'], setup: { command: 'make generate' } }));
    expect(provisions.links).toEqual([
      { source: path.join(repo, 'node_modules'), path: 'node_modules' },
      { source: path.join(repo, 'packages/a/node_modules'), path: 'packages/a/node_modules' },
      { source: path.join(repo, 'packages/b/node_modules'), path: 'packages/b/node_modules' },
    ]);
    expect(provisions.copies).toEqual([{ source: path.join(repo, '.env.test'), path: '.env.test' }]);
    expect(provisions.setup).toEqual({ command: 'make generate', argv: ['make', 'generate'], network: false, timeoutSeconds: 600 });
    expect(provisions.unmatched).toEqual(['link .venv']);
    expect(providedPathspecs(provisions)).toEqual([':(literal)node_modules', ':(literal)packages/a/node_modules', ':(literal)packages/b/node_modules', ':(literal).env.test']);
  });

  it('refuses a path git tracks, naming it', async () => {
    const error = await resolveProvisions(repo, settings({ link: ['gen'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceSettingsError);
    expect((error as Error).message).toMatch(/workspace\.link in baton\.config\.json names gen, which git tracks \(gen\/tracked\.ts\)/);
  });
});
