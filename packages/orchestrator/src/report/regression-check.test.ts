import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxStatus } from '@baton/mcp-tools';
import { checkRegressions, compareSuites } from './regression-check.ts';

describe('compareSuites', () => {
  const pass = { passed: true, failing: [] };
  it('counts tests failing on the branch but not on the base', () => {
    expect(compareSuites([{ suite: 'unit', base: { passed: false, failing: ['a'] }, run: { passed: false, failing: ['a', 'b'] } }]).regressions).toEqual(['unit: b']);
    expect(compareSuites([{ suite: 'unit', base: pass, run: { passed: false, failing: [] } }]).regressions).toEqual(['unit']);
    expect(compareSuites([{ suite: 'unit', base: { passed: false, failing: [] }, run: { passed: false, failing: [] } }]).regressions).toEqual([]);
    expect(compareSuites([{ suite: 'unit', base: { passed: false, failing: ['a'] }, run: pass }]).regressions).toEqual([]);
  });
});

describe.skipIf(!sandboxStatus().available)('checkRegressions', () => {
  it('runs the suites on the base and the branch in their own checkouts and names the test that broke', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-regress-'));
    const g = (args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } }).stdout.trim();
    try {
      const test = (body: string) => `const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('./add.js');\ntest('adds', () => assert.strictEqual(add(2, 2), 4));\ntest('adds negatives', () => assert.strictEqual(add(-1, -1), ${body}));\n`;
      await writeFile(path.join(dir, 'add.js'), 'exports.add = (a, b) => a + b;\n');
      await writeFile(path.join(dir, 'add.test.js'), test('-2'));
      g(['init', '-q', '-b', 'main']);
      g(['add', '-A']);
      g(['commit', '-q', '-m', 'base']);
      const base = g(['rev-parse', 'HEAD']);
      await writeFile(path.join(dir, 'add.js'), 'exports.add = (a, b) => Math.abs(a) + Math.abs(b);\n');
      g(['commit', '-q', '-am', 'break negatives']);
      const run = g(['rev-parse', 'HEAD']);
      const check = await checkRegressions({ repo: dir, runId: 'r1', baseCommit: base, runCommit: run, suites: { unit: `${process.execPath} --test` } });
      expect(check.suites).toEqual([{ suite: 'unit', base: 'passed', run: 'failed', newlyFailing: ['adds negatives'] }]);
      expect(check.regressions).toEqual(['unit: adds negatives']);
      expect(g(['worktree', 'list']).split('\n')).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
