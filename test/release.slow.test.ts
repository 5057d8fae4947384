// SLOW (builds and packs the packages): scripts/release.mjs on a copy of this repository with a
// history of its own (a v0.1.0 tag, then commits that change one package, another, and none).
// The release sets the next version in every package.json, writes a CHANGELOG.md section that
// lists each commit under the packages it changed, packs tarballs whose @baton dependencies
// name the new version, and passes `npm publish --dry-run`. Run by `npm run test:slow`.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/run-cli.ts';

const PACKAGES = ['mcp-tools', 'worker-host', 'orchestrator'];
let dir: string;
let copy: string;
let result: { code: number | null; stdout: string; stderr: string };

function git(args: string[]): string {
  const out = spawnSync('git', args, {
    cwd: copy,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1' },
  });
  if (out.status !== 0) throw new Error(`git ${args.join(' ')}: ${out.stderr}`);
  return out.stdout.trim();
}

/** The repository's files as they are now (committed or not, ignored ones left out), with its installed modules linked in. */
function copyRepository(): void {
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of files) {
    const from = path.join(REPO_ROOT, file);
    if (!existsSync(from)) continue;
    mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    cpSync(from, path.join(copy, file));
  }
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  symlinkSync(path.join(REPO_ROOT, '.tools'), path.join(copy, '.tools'));
  // pnpm's links in each package are relative, so they resolve through the linked node_modules above.
  for (const name of PACKAGES) cpSync(path.join(REPO_ROOT, 'packages', name, 'node_modules'), path.join(copy, 'packages', name, 'node_modules'), { recursive: true, verbatimSymlinks: true });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-release-'));
  copy = path.join(dir, 'repo');
  copyRepository();
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'Everything so far']);
  git(['tag', 'v0.1.0']);
  writeFileSync(path.join(copy, 'packages', 'mcp-tools', 'NOTES.md'), 'tools\n');
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'A change to the tools']);
  writeFileSync(path.join(copy, 'packages', 'orchestrator', 'NOTES.md'), 'orchestrator\n');
  writeFileSync(path.join(copy, 'packages', 'worker-host', 'NOTES.md'), 'worker\n');
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'A change to the orchestrator and the worker host']);
  writeFileSync(path.join(copy, 'NOTES.md'), 'repository\n');
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'A change outside the packages']);
  const version = (JSON.parse(readFileSync(path.join(copy, 'packages', 'mcp-tools', 'package.json'), 'utf8')) as { version: string }).version;
  expect(version).toBe('0.1.0');
  result = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(copy, 'scripts', 'release.mjs'), 'minor', '--out', path.join(dir, 'out')], { cwd: copy, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('scripts/release.mjs minor', () => {
  it('succeeds and says what to run next', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('git tag v0.2.0');
    for (const name of PACKAGES) expect(result.stderr).toContain(`npm publish --dry-run baton-${name}-0.2.0.tgz: ok`);
  });

  it('sets the version of every package', () => {
    for (const name of PACKAGES) expect((JSON.parse(readFileSync(path.join(copy, 'packages', name, 'package.json'), 'utf8')) as { version: string }).version).toBe('0.2.0');
  });

  it('writes a changelog section from the commits since the last tag, by package', () => {
    const changelog = readFileSync(path.join(copy, 'CHANGELOG.md'), 'utf8');
    const section = changelog.slice(changelog.indexOf('## 0.2.0'));
    const group = (title: string) => section.slice(section.indexOf(`### ${title}`)).split('\n\n')[1] ?? '';
    expect(group('@baton/mcp-tools')).toMatch(/^- A change to the tools \([0-9a-f]+\)$/);
    expect(group('@baton/worker-host')).toMatch(/^- A change to the orchestrator and the worker host \([0-9a-f]+\)$/);
    expect(group('@baton/orchestrator')).toMatch(/^- A change to the orchestrator and the worker host \([0-9a-f]+\)$/);
    expect(group('Repository')).toMatch(/^- A change outside the packages \([0-9a-f]+\)$/);
    expect(section).not.toContain('Everything so far');
  });

  it('packs tarballs of the new version that depend on each other at that version', () => {
    const out = path.join(dir, 'out');
    expect(readdirSync(out).sort()).toEqual(['baton-mcp-tools-0.2.0.tgz', 'baton-orchestrator-0.2.0.tgz', 'baton-worker-host-0.2.0.tgz']);
    const manifest = JSON.parse(spawnSync('tar', ['-xzOf', path.join(out, 'baton-orchestrator-0.2.0.tgz'), 'package/package.json'], { encoding: 'utf8' }).stdout) as { version: string; dependencies: Record<string, string> };
    expect(manifest.version).toBe('0.2.0');
    expect(manifest.dependencies['@baton/worker-host']).toBe('0.2.0');
    expect(manifest.dependencies['@baton/mcp-tools']).toBe('0.2.0');
    expect(lstatSync(path.join(copy, 'packages', 'orchestrator', 'dist', 'index.js')).isFile()).toBe(true);
  });
});
