// A packed-refs.lock is shared by everything that deletes refs in the repository: baton removes
// one only when a baton process that died holding the run made it, and nothing is holding it.
import { existsSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStalePackedRefsLock } from './stale-ref-locks.ts';

let gitDir: string;
let lock: string;
beforeEach(() => {
  gitDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-packed-lock-')));
  lock = path.join(gitDir, 'packed-refs.lock');
});
afterEach(() => rmSync(gitDir, { recursive: true, force: true }));

describe('a stale packed-refs.lock', () => {
  it('is removed when it was made while the dead process ran and stays unchanged', async () => {
    const crashedSince = new Date(Date.now() - 60_000);
    writeFileSync(lock, '');
    expect(await removeStalePackedRefsLock(gitDir, crashedSince, 100)).toBe(lock);
    expect(existsSync(lock)).toBe(false);
  });

  it("stays when it is older than the dead process (someone else's)", async () => {
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(lock, old, old);
    expect(await removeStalePackedRefsLock(gitDir, new Date(Date.now() - 60_000), 100)).toBeUndefined();
    expect(existsSync(lock)).toBe(true);
  });

  it('stays while something is still writing it (a live git)', async () => {
    writeFileSync(lock, '');
    const writing = setInterval(() => writeFileSync(lock, 'x', { flag: 'a' }), 10);
    try {
      expect(await removeStalePackedRefsLock(gitDir, new Date(Date.now() - 60_000), 300)).toBeUndefined();
    } finally {
      clearInterval(writing);
    }
    expect(existsSync(lock)).toBe(true);
  });
});
