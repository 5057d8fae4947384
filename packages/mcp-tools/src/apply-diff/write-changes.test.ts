// All-or-nothing writes beneath a root: when a later write fails, earlier ones are undone, modes
// included; a file replaced since it was planned against stops the write.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeRoot, openRoot, type RootHandle } from '../confine/beneath.ts';
import { identityOf, writeChanges, WriteConflictError } from './write-changes.ts';

let dir: string;
let root: RootHandle;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-write-changes-')));
  root = openRoot(dir);
});
afterEach(() => {
  closeRoot(root);
  rmSync(dir, { recursive: true, force: true });
});

const identity = (rel: string) => identityOf(statSync(path.join(dir, rel)));

describe('writeChanges', () => {
  it('writes through a temporary file and keeps the mode of a modified file', () => {
    writeFileSync(path.join(dir, 'run.sh'), 'echo one\n');
    chmodSync(path.join(dir, 'run.sh'), 0o755);
    writeChanges(root, [{ rel: 'run.sh', action: 'modify', before: 'echo one\n', after: 'echo two\n', identity: identity('run.sh') }]);
    expect(readFileSync(path.join(dir, 'run.sh'), 'utf8')).toBe('echo two\n');
    expect(statSync(path.join(dir, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(readdirSync(dir)).toEqual(['run.sh']);
  });

  it('puts every file back, with its mode, when a later write fails', () => {
    writeFileSync(path.join(dir, 'tool.sh'), 'run\n');
    chmodSync(path.join(dir, 'tool.sh'), 0o750);
    writeFileSync(path.join(dir, 'a.txt'), 'old\n');
    writeFileSync(path.join(dir, 'blocker'), 'a file where a directory would have to be\n');
    expect(() =>
      writeChanges(root, [
        { rel: 'a.txt', action: 'modify', before: 'old\n', after: 'new\n', identity: identity('a.txt') },
        { rel: 'tool.sh', action: 'delete', before: 'run\n', identity: identity('tool.sh') },
        { rel: 'new-dir/c.txt', action: 'create', after: 'c\n' },
        { rel: 'blocker/d.txt', action: 'create', after: 'd\n' },
      ]),
    ).toThrow();
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('old\n');
    expect(readFileSync(path.join(dir, 'tool.sh'), 'utf8')).toBe('run\n');
    expect(statSync(path.join(dir, 'tool.sh')).mode & 0o777).toBe(0o750);
    expect(existsSync(path.join(dir, 'new-dir'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'blocker', 'tool.sh']);
  });

  it('refuses to replace a file that is not the one the change was planned against', () => {
    writeFileSync(path.join(dir, 'a.txt'), 'old\n');
    const planned = identity('a.txt');
    rmSync(path.join(dir, 'a.txt'));
    writeFileSync(path.join(dir, 'a.txt'), 'someone else\n');
    expect(() => writeChanges(root, [{ rel: 'a.txt', action: 'modify', before: 'old\n', after: 'new\n', identity: planned }])).toThrow(WriteConflictError);
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('someone else\n');
  });

  it('creates nothing through a directory that became a symlink', () => {
    const outside = realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-write-outside-')));
    try {
      chmodSync(outside, 0o755);
      // The walk finds a symlink where it expects a real directory: nothing is written anywhere.
      symlinkSync(outside, path.join(dir, 'sub'));
      expect(() => writeChanges(root, [{ rel: 'sub/pwn.ts', action: 'create', after: 'x\n' }])).toThrow(WriteConflictError);
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
