import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepAbandoned } from './server-tmp-dirs.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'baton-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sweepAbandoned', () => {
  it('removes the server directories of processes that are gone, and keeps those of running ones and anything else', () => {
    // A pid that certainly ended: a child that has exited and been reaped.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    for (const name of [`baton-lsp-${deadPid}-abc`, `baton-lsp-${process.pid}-def`, `baton-lsp-1-ghi`, 'baton-lsp-xyz', 'other-dir']) mkdirSync(path.join(dir, name, 'inner'), { recursive: true });
    sweepAbandoned(dir);
    expect(existsSync(path.join(dir, `baton-lsp-${deadPid}-abc`))).toBe(false);
    for (const kept of [`baton-lsp-${process.pid}-def`, 'baton-lsp-1-ghi', 'baton-lsp-xyz', 'other-dir']) expect(existsSync(path.join(dir, kept))).toBe(true);
  });
});
