import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import { findExecutable, installPrefix, shebangInterpreter, toolchainEntries } from './toolchain-paths.ts';

let dir: TempRepo;
beforeAll(async () => {
  dir = await makeTempRepo();
  const prefix = path.join(dir.outside, 'tc');
  mkdirSync(path.join(prefix, 'bin'), { recursive: true });
  mkdirSync(path.join(dir.outside, 'interp', 'bin'), { recursive: true });
  const write = (file: string, text: string) => {
    writeFileSync(file, text);
    chmodSync(file, 0o755);
  };
  write(path.join(prefix, 'bin', 'envtool'), '#!/usr/bin/env -S mynode --flag\n');
  write(path.join(prefix, 'bin', 'abstool'), `#!${path.join(dir.outside, 'interp', 'bin', 'python9')} -u\n`);
  write(path.join(dir.outside, 'interp', 'bin', 'python9'), '\x7fELF');
  write(path.join(dir.outside, 'interp', 'bin', 'mynode'), '\x7fELF');
  writeFileSync(path.join(prefix, 'bin', 'not-executable'), '');
  mkdirSync(path.join(dir.outside, 'links'));
  symlinkSync(path.join(prefix, 'bin', 'abstool'), path.join(dir.outside, 'links', 'abstool'));
});
afterAll(() => dir.cleanup());

describe('installPrefix', () => {
  it('is the parent of a bin directory, else the directory, never the root, a top-level or a home directory', () => {
    expect(installPrefix('/opt/node-v24/bin/node')).toBe('/opt/node-v24');
    expect(installPrefix('/opt/tools/gradle')).toBe('/opt/tools');
    expect(installPrefix('/opt/bin/tool')).toBe('/opt/bin');
    expect(installPrefix('/home/alice/bin/tool')).toBe('/home/alice/bin');
    expect(installPrefix(path.join(os.homedir(), 'bin', 'tool'))).toBe(path.join(os.homedir(), 'bin'));
    expect(installPrefix('/home/alice/tool')).toBe('/home/alice/tool');
    expect(installPrefix('/tool')).toBe('/tool');
    expect(installPrefix('/bin/sh')).toBe('/bin/sh');
  });
});

describe('shebangInterpreter', () => {
  it('reads #! lines, through env and its options', () => {
    const prefix = path.join(dir.outside, 'tc', 'bin');
    expect(shebangInterpreter(path.join(prefix, 'envtool'))).toBe('mynode');
    expect(shebangInterpreter(path.join(prefix, 'abstool'))).toBe(path.join(dir.outside, 'interp', 'bin', 'python9'));
    expect(shebangInterpreter(path.join(dir.outside, 'interp', 'bin', 'python9'))).toBeUndefined();
  });
});

describe('toolchainEntries', () => {
  const options = () => ({ cwd: dir.root, pathEnv: [path.join(dir.outside, 'interp', 'bin'), path.join(dir.outside, 'tc', 'bin')].join(':'), visible: (p: string) => p.startsWith('/usr/') });

  it('finds executables on PATH only when they are executable files', () => {
    expect(findExecutable('envtool', options())).toBe(path.join(dir.outside, 'tc', 'bin', 'envtool'));
    expect(findExecutable('not-executable', options())).toBeUndefined();
    expect(findExecutable('bin', { ...options(), pathEnv: dir.outside })).toBeUndefined();
  });

  it('shows the prefix of the executable and of its interpreter, and recreates symlinks', () => {
    expect(toolchainEntries('envtool', options())).toEqual([
      { kind: 'bind', path: path.join(dir.outside, 'tc') },
      { kind: 'bind', path: path.join(dir.outside, 'interp') },
    ]);
    expect(toolchainEntries(path.join(dir.outside, 'links', 'abstool'), options())).toEqual([
      { kind: 'symlink', path: path.join(dir.outside, 'links', 'abstool'), target: path.join(dir.outside, 'tc', 'bin', 'abstool') },
      { kind: 'bind', path: path.join(dir.outside, 'tc') },
      { kind: 'bind', path: path.join(dir.outside, 'interp') },
    ]);
    expect(toolchainEntries('/usr/bin/env', options())).toEqual([]);
    expect(toolchainEntries('no-such-tool', options())).toEqual([]);
  });
});
