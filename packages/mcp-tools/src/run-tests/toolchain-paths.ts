// Which host paths a test command needs to run at all: its executable (found on PATH as the
// sandbox will search it), the executable's install prefix, and the interpreter named on a
// script's `#!` line, likewise. The sandbox shows these read-only and nothing else of the host
// beyond the system directories; anything more is the operator's to add (--test-ro).
import { accessSync, closeSync, constants, lstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A host path the sandbox must show: a directory or file bound read-only, or a symlink recreated. */
export type ToolchainEntry = { kind: 'bind'; path: string } | { kind: 'symlink'; path: string; target: string };

export interface ToolchainOptions {
  /** The command's working directory, for relative executables like `./gradlew`. */
  cwd: string;
  /** PATH as the command will see it. */
  pathEnv: string;
}

/** The file `command` runs: a path with a slash as given (against cwd), else the first executable on PATH. */
export function findExecutable(command: string, options: ToolchainOptions): string | undefined {
  const candidates = command.includes('/')
    ? [path.resolve(options.cwd, command)]
    : options.pathEnv.split(path.delimiter).filter((dir) => path.isAbsolute(dir)).map((dir) => path.join(dir, command));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * What must be visible for `argv0` to start: the executable (symlinks recreated as such, so a
 * launcher that finds its files through its own real path still does), its install prefix, and its
 * `#!` interpreter's. `visible` says which paths the sandbox shows anyway; they are left out.
 */
export function toolchainEntries(argv0: string, options: ToolchainOptions & { visible: (p: string) => boolean }): ToolchainEntry[] {
  const entries: ToolchainEntry[] = [];
  const add = (executable: string | undefined, depth: number): void => {
    if (executable === undefined) return;
    let real: string;
    try {
      real = realpathSync(executable);
    } catch {
      return;
    }
    if (!options.visible(executable) && real !== executable && lstatSync(executable).isSymbolicLink()) {
      entries.push({ kind: 'symlink', path: executable, target: real });
    }
    if (!options.visible(real)) entries.push({ kind: 'bind', path: installPrefix(real) });
    if (depth === 0) {
      const interpreter = shebangInterpreter(real);
      if (interpreter !== undefined) add(interpreter.includes('/') ? interpreter : findExecutable(interpreter, options), depth + 1);
    }
  };
  add(findExecutable(argv0, options), 0);
  return entries;
}

/**
 * The directory an executable was installed under: `<prefix>` for `<prefix>/bin/<name>` (so its
 * libraries and modules come along), else its own directory. Never the file system root, a
 * top-level directory or a home directory: then only the file itself.
 */
export function installPrefix(executable: string): string {
  const dir = path.dirname(executable);
  const base = path.basename(dir);
  const candidates = base === 'bin' || base === 'sbin' ? [path.dirname(dir), dir] : [dir];
  return candidates.find((candidate) => !tooBroad(candidate)) ?? executable;
}

function tooBroad(dir: string): boolean {
  const depth = dir.split('/').filter(Boolean).length;
  if (depth < 2) return true;
  const homes = new Set([os.homedir(), '/root']);
  return homes.has(dir) || (depth === 2 && dir.startsWith('/home/'));
}

/** The program named on a script's `#!` line (`node` for `#!/usr/bin/env node`), if any. */
export function shebangInterpreter(file: string): string | undefined {
  let head: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(256);
      head = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  if (!head.startsWith('#!')) return undefined;
  const [interpreter, ...rest] = head.slice(2).split('\n')[0]!.trim().split(/\s+/);
  if (!interpreter) return undefined;
  if (path.basename(interpreter) !== 'env') return interpreter;
  // `#!/usr/bin/env -S node --flag`: the first word that is not an option (or an assignment).
  return rest.find((word) => !word.startsWith('-') && !word.includes('='));
}
