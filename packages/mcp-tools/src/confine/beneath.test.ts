// The descriptor walk: symlinks judged as text against the root, never followed by the kernel.
import { closeSync, mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BeneathError, closeRoot, fdPath, openRoot, walkBeneath, type RootHandle, type WalkOptions } from './beneath.ts';

let base: string;
let rootPath: string;
let root: RootHandle;

beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-beneath-')));
  rootPath = path.join(base, 'repo');
  mkdirSync(path.join(rootPath, 'src/deep'), { recursive: true });
  mkdirSync(path.join(base, 'outside'));
  writeFileSync(path.join(base, 'outside/secret.txt'), 'TOPSECRET\n');
  writeFileSync(path.join(rootPath, 'src/a.ts'), 'a\n');
  writeFileSync(path.join(rootPath, 'src/deep/b.ts'), 'b\n');
  symlinkSync('../../outside', path.join(rootPath, 'src/out'));
  symlinkSync(path.join(base, 'outside/secret.txt'), path.join(rootPath, 'abs-out.txt'));
  symlinkSync('deep', path.join(rootPath, 'src/deep-link'));
  symlinkSync(path.join(rootPath, 'src/a.ts'), path.join(rootPath, 'abs-in.ts'));
  symlinkSync('../../src/deep/../a.ts', path.join(rootPath, 'src/deep/up.ts'));
  symlinkSync('loop2', path.join(rootPath, 'loop1'));
  symlinkSync('loop1', path.join(rootPath, 'loop2'));
  symlinkSync('../..', path.join(rootPath, 'src/root-parent'));
  symlinkSync('.', path.join(rootPath, 'src/self'));
  root = openRoot(rootPath);
});
afterAll(() => {
  closeRoot(root);
  rmSync(base, { recursive: true, force: true });
});

const follow: WalkOptions = { followDirectories: true, followFinal: true };
const noFollow: WalkOptions = { followDirectories: false, followFinal: false };

function reached(rel: string, options: WalkOptions = follow): { rel: string; kind: string } {
  const end = walkBeneath(root, rel, options);
  try {
    const kind = end.stat === undefined ? 'missing' : end.stat.isSymbolicLink() ? 'symlink' : end.stat.isDirectory() ? 'dir' : 'file';
    return { rel: end.rel, kind };
  } finally {
    closeSync(end.parentFd);
  }
}

function failure(rel: string, options: WalkOptions = follow): string {
  try {
    const end = walkBeneath(root, rel, options);
    closeSync(end.parentFd);
    return 'no failure';
  } catch (error) {
    if (error instanceof BeneathError) return error.reason;
    throw error;
  }
}

describe('walkBeneath', () => {
  it('reaches plain files and directories, and the root itself', () => {
    expect(reached('src/deep/b.ts')).toEqual({ rel: 'src/deep/b.ts', kind: 'file' });
    expect(reached('src/deep')).toEqual({ rel: 'src/deep', kind: 'dir' });
    expect(reached('')).toEqual({ rel: '', kind: 'dir' });
    expect(reached('src/new.ts')).toEqual({ rel: 'src/new.ts', kind: 'missing' });
  });

  it('follows in-root symlinks as text and reports where they really lead', () => {
    expect(reached('src/deep-link/b.ts')).toEqual({ rel: 'src/deep/b.ts', kind: 'file' });
    expect(reached('abs-in.ts')).toEqual({ rel: 'src/a.ts', kind: 'file' });
    expect(reached('src/deep/up.ts')).toEqual({ rel: 'src/a.ts', kind: 'file' });
    expect(reached('src/self/self/a.ts')).toEqual({ rel: 'src/a.ts', kind: 'file' });
  });

  it('refuses symlinks that leave the root, relative or absolute, at any depth', () => {
    expect(failure('src/out/secret.txt')).toBe('symlink_escape');
    expect(failure('src/out')).toBe('symlink_escape');
    expect(failure('abs-out.txt')).toBe('symlink_escape');
    expect(failure('src/root-parent/outside/secret.txt')).toBe('symlink_escape');
    expect(failure('loop1')).toBe('too_many_links');
  });

  it('does not follow anything when told not to, and returns a final symlink as one', () => {
    expect(failure('src/deep-link/b.ts', noFollow)).toBe('symlink');
    expect(reached('abs-out.txt', noFollow)).toEqual({ rel: 'abs-out.txt', kind: 'symlink' });
    expect(failure('src/a.ts/x', noFollow)).toBe('not_directory');
    expect(failure('src/nope/x', noFollow)).toBe('not_found');
  });

  it('ends at a missing directory when asked to, or creates it', () => {
    expect(reached('src/new/deeper/c.ts', { ...noFollow, endAtMissingDirectory: true })).toEqual({ rel: 'src/new/deeper/c.ts', kind: 'missing' });
    const created: string[] = [];
    expect(reached('src/made/deeper/c.ts', { ...noFollow, createDirectories: created })).toEqual({ rel: 'src/made/deeper/c.ts', kind: 'missing' });
    expect(created).toEqual(['src/made', 'src/made/deeper']);
  });

  it('hands back a descriptor of the directory that really holds the entry', () => {
    const end = walkBeneath(root, 'src/deep-link/b.ts', follow);
    try {
      expect(readlinkSync(fdPath(end.parentFd))).toBe(path.join(rootPath, 'src/deep'));
      expect(end.name).toBe('b.ts');
    } finally {
      closeSync(end.parentFd);
    }
  });
});
