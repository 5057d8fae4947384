// `baton worker` standalone: a scripted worker (not a live model) fixes a bug in a temp repo
// through a real tool server — over HTTP with a grant token, and over stdio with baton-tools.
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHttpToolHost, type HttpToolHost } from '@baton/mcp-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

let dir: string;
let host: HttpToolHost;
const script = {
  label: 'fix-bug',
  turns: [
    { text: 'Reading the code.', tool_calls: [{ name: 'read_file', arguments: { path: 'src/sum.js' } }] },
    { text: 'Fixing the off-by-one.', tool_calls: [{ name: 'apply_diff', arguments: { patch: '--- a/src/sum.js\n+++ b/src/sum.js\n@@ -1,5 +1,5 @@\n export function sum(xs) {\n   let total = 0;\n-  for (let i = 1; i < xs.length; i++) total += xs[i];\n+  for (let i = 0; i < xs.length; i++) total += xs[i];\n   return total;\n }\n' } }] },
    { text: 'Running the tests.', tool_calls: [{ name: 'run_tests', arguments: { suite: 'unit' } }] },
    { text: 'sum() skipped the first element; the loop now starts at 0 and the tests pass.' },
  ],
};

async function freshRepo(name: string): Promise<string> {
  const root = path.join(dir, name);
  await mkdir(path.join(root, 'src'), { recursive: true });
  await mkdir(path.join(root, 'test'), { recursive: true });
  await writeFile(path.join(root, 'src', 'sum.js'), 'export function sum(xs) {\n  let total = 0;\n  for (let i = 1; i < xs.length; i++) total += xs[i];\n  return total;\n}\n');
  await writeFile(path.join(root, 'test', 'sum.test.js'), "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\ntest('sum', () => assert.equal(sum([1, 2, 3]), 6));\n");
  await writeFile(path.join(root, 'package.json'), '{ "type": "module" }\n');
  return root;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-worker-cmd-'));
  await writeFile(path.join(dir, 'script.json'), JSON.stringify(script));
  await writeFile(path.join(dir, 'brief.md'), '# Task fix-sum: sum() is wrong\n\nsum([1,2,3]) returns 5. Fix src/sum.js; run the unit tests.\n');
});
afterAll(async () => {
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('baton worker', () => {
  it('fixes a bug through an HTTP tool server with a grant token', async () => {
    const root = await freshRepo('http');
    host = await startHttpToolHost({ root });
    const grant = host.grants.mint({ tools: ['read_file', 'apply_diff', 'run_tests'], read: ['**'], write: ['src/**'], tests: { unit: `${process.execPath} --test` } });
    const result = await runBaton(['worker', '--connect', host.url, '--token', grant.token, '--model', `scripted:${path.join(dir, 'script.json')}`, '--brief', path.join(dir, 'brief.md'), '--json']);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; kind?: string; name?: string; isError?: boolean; summary?: string });
    expect(lines.at(-1)).toMatchObject({ type: 'result', kind: 'completed', summary: expect.stringContaining('loop now starts at 0') });
    expect(lines.filter((l) => l.type === 'tool_result').map((l) => [l.name, l.isError])).toEqual([['read_file', false], ['apply_diff', false], ['run_tests', false]]);
    expect(await readFile(path.join(root, 'src', 'sum.js'), 'utf8')).toContain('let i = 0');
  });

  it('works against a stdio baton-tools server, and the grant still holds', async () => {
    const root = await freshRepo('stdio');
    const bin = path.join(REPO_ROOT, 'packages', 'mcp-tools', 'bin', 'baton-tools.js');
    // This grant may not write src/: the edit is refused and the worker goes on to report.
    const result = await runBaton(['worker', '--model', `scripted:${path.join(dir, 'script.json')}`, '--brief', path.join(dir, 'brief.md'), '--json', '--', process.execPath, bin, '--root', root, '--write', 'docs/**', '--test', `unit=${process.execPath} --test`]);
    expect(result.code, result.stderr).toBe(0);
    const results = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; name?: string; isError?: boolean }).filter((l) => l.type === 'tool_result');
    expect(results.map((l) => [l.name, l.isError])).toEqual([['read_file', false], ['apply_diff', true], ['run_tests', false]]);
    expect(await readFile(path.join(root, 'src', 'sum.js'), 'utf8')).toContain('let i = 1');
  });

  it('explains missing connection flags', async () => {
    const result = await runBaton(['worker', '--model', 'scripted:x.json', '--brief', path.join(dir, 'brief.md')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--connect URL --token T');
  });
});
