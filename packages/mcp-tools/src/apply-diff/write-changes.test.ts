// All-or-nothing writes: when a later write fails, earlier ones are undone, modes included.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeChanges } from './write-changes.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'baton-write-changes-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeChanges', () => {
  it('writes through a temporary file and keeps the mode of a modified file', () => {
    const file = path.join(dir, 'run.sh');
    writeFileSync(file, 'echo one\n');
    chmodSync(file, 0o755);
    writeChanges([{ abs: file, action: 'modify', before: 'echo one\n', after: 'echo two\n' }]);
    expect(readFileSync(file, 'utf8')).toBe('echo two\n');
    expect(statSync(file).mode & 0o777).toBe(0o755);
  });

  it('puts every file back, with its mode, when a later write fails', () => {
    const deleted = path.join(dir, 'tool.sh');
    const modified = path.join(dir, 'a.txt');
    writeFileSync(deleted, 'run\n');
    chmodSync(deleted, 0o750);
    writeFileSync(modified, 'old\n');
    writeFileSync(path.join(dir, 'blocker'), 'a file where a directory would have to be\n');
    expect(() =>
      writeChanges([
        { abs: modified, action: 'modify', before: 'old\n', after: 'new\n' },
        { abs: deleted, action: 'delete', before: 'run\n' },
        { abs: path.join(dir, 'new-dir', 'c.txt'), action: 'create', after: 'c\n' },
        { abs: path.join(dir, 'blocker', 'd.txt'), action: 'create', after: 'd\n' },
      ]),
    ).toThrow();
    expect(readFileSync(modified, 'utf8')).toBe('old\n');
    expect(readFileSync(deleted, 'utf8')).toBe('run\n');
    expect(statSync(deleted).mode & 0o777).toBe(0o750);
    expect(existsSync(path.join(dir, 'new-dir'))).toBe(false);
  });
});
