// Test commands run inside bubblewrap: the whole file system read-only, the workspace and a
// private temp directory the only writable places, no network, a new session and PID namespace,
// and the child dies with us. (/tmp itself stays visible read-only: a checkout or its toolchain
// may live there.) Where bwrap is missing or cannot create namespaces, the caller decides:
// refuse (default) or run unsandboxed and say so in the result.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

const BWRAP_CANDIDATES = ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap'];

export type SandboxStatus = { available: true; bwrap: string } | { available: false; reason: string };

let probed: SandboxStatus | undefined;

/** Whether bwrap exists and can create the namespaces we use (probed once per process). */
export function sandboxStatus(): SandboxStatus {
  if (probed) return probed;
  const bwrap = BWRAP_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!bwrap) return (probed = { available: false, reason: 'bubblewrap (bwrap) is not installed; on Debian: apt-get install bubblewrap' });
  const probe = spawnSync(bwrap, [...isolationArgs({ workspace: '/', tmpDir: undefined }), '--', '/bin/true'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.status !== 0) {
    return (probed = { available: false, reason: `bwrap cannot create namespaces here (${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim()})` });
  }
  return (probed = { available: true, bwrap });
}

function isolationArgs({ workspace, tmpDir }: { workspace: string; tmpDir: string | undefined }): string[] {
  const gitDir = path.join(workspace, '.git');
  // A checkout's own .git directory stays read-only (a worktree's .git is a file pointing outside, read-only already).
  const protectGit = existsSync(gitDir) && statSync(gitDir).isDirectory() ? ['--ro-bind', gitDir, gitDir] : [];
  return [
    '--ro-bind', '/', '/',
    '--dev', '/dev',
    '--proc', '/proc',
    ...(tmpDir ? ['--bind', tmpDir, tmpDir] : []),
    '--bind', workspace, workspace,
    ...protectGit,
    '--unshare-net',
    '--unshare-pid',
    '--unshare-ipc',
    '--die-with-parent',
    '--new-session',
  ];
}

/** The argument vector that runs `argv` in `cwd` inside the sandbox rooted at `workspace`, with `tmpDir` writable. */
export function sandboxedArgv(bwrap: string, options: { workspace: string; tmpDir: string; cwd: string; argv: readonly string[] }): string[] {
  return [bwrap, ...isolationArgs(options), '--chdir', options.cwd, '--', ...options.argv];
}
