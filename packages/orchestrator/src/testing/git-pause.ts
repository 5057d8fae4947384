// Freezes a real git command in the middle of what it is doing, for crash tests: a
// reference-transaction hook that, at the first transaction matching the pattern, writes a
// ready file and stops its own process (SIGSTOP), so git waits for it with its locks held and
// its files half-written — until the test kills the process group. baton runs git with hooks
// off, so `binDir` holds a `git` that turns this hook on (put it first on PATH); a test that
// runs git itself passes `-c core.hooksPath=<hooksDir>`.
import { accessSync, chmodSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface GitPauseMatch {
  /** The git subcommand baton (or the test) started, e.g. `worktree` or `cherry-pick`; its children count too. */
  command?: string;
  // A shell glob the git directory must match, e.g. */worktrees/farewell-1 for a task's worktree.
  gitDir: string;
  /** A ref the transaction must touch. */
  ref: string;
  /**
   * changed (default): its old value differs from the new one; deleted: the new value is zero;
   * any: whatever the values (git reports 0000… for an old value nobody gave).
   */
  values?: 'changed' | 'deleted' | 'any';
}

export interface GitPause {
  hooksDir: string;
  /** A directory with a `git` that runs the real git with these hooks on. */
  binDir: string;
  readyFile: string;
  /** Resolves once git is frozen at the matching transaction; rejects after the deadline. */
  paused(deadlineMs?: number): Promise<void>;
}

/** Single-quoted for sh. */
function sh(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export function realGit(): string {
  for (const dir of (process.env['PATH'] ?? '/usr/bin:/bin').split(path.delimiter)) {
    const candidate = path.join(dir, 'git');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  throw new Error('git is not on PATH');
}

export function makeGitPause(options: { dir: string; match: GitPauseMatch; git?: string }): GitPause {
  const hooksDir = path.join(options.dir, 'hooks');
  const binDir = path.join(options.dir, 'bin');
  const readyFile = path.join(options.dir, 'git-paused');
  mkdirSync(hooksDir, { recursive: true });
  mkdirSync(binDir, { recursive: true });
  const { match } = options;
  const refTest = { changed: '$3 == ref && $1 != $2', deleted: '$3 == ref && $2 ~ /^0+$/', any: '$3 == ref' }[match.values ?? 'changed'];
  writeFileSync(
    path.join(hooksDir, 'reference-transaction'),
    [
      '#!/bin/sh',
      '# Test hook: freezes git at the first matching reference transaction.',
      `[ -e ${sh(readyFile)} ] && exit 0`,
      '[ "$1" = prepared ] || exit 0',
      match.command ? `[ "$BATON_TEST_GIT_COMMAND" = ${sh(match.command)} ] || exit 0` : '',
      `case "$GIT_DIR" in ${match.gitDir}) ;; *) exit 0 ;; esac`,
      `cat | awk -v ref=${sh(match.ref)} '${refTest} { found = 1 } END { exit found ? 0 : 1 }' || exit 0`,
      `echo "$$" > ${sh(readyFile)}`,
      'kill -STOP $$',
      '',
    ].join('\n'),
  );
  chmodSync(path.join(hooksDir, 'reference-transaction'), 0o755);
  writeFileSync(
    path.join(binDir, 'git'),
    [
      '#!/bin/sh',
      '# Test wrapper: the real git, with the test hooks on instead of none, and the subcommand in the environment.',
      'prev=; cmd=',
      'for a in "$@"; do',
      '  shift',
      `  [ "$a" = core.hooksPath=/dev/null ] && a=core.hooksPath=${sh(hooksDir)}`,
      '  if [ -z "$cmd" ] && [ "$prev" != -c ]; then case "$a" in -*) ;; *) cmd=$a ;; esac; fi',
      '  prev=$a',
      '  set -- "$@" "$a"',
      'done',
      `BATON_TEST_GIT_COMMAND=$cmd exec ${sh(options.git ?? realGit())} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(path.join(binDir, 'git'), 0o755);
  return {
    hooksDir,
    binDir,
    readyFile,
    paused: (deadlineMs = 60_000) => waitForFile(readyFile, deadlineMs),
  };
}

/** Polls for a file, with a deadline. */
export async function waitForFile(file: string, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
