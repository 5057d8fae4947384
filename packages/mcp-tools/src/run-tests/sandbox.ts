// Test commands run inside bubblewrap: the file-system view of sandbox-view.ts, no network, their
// own PID, IPC and UTS namespaces, a new session, and a PID 1 of their own (sandbox-init.cjs) that
// ends the whole namespace when the command ends or when the process that started bwrap goes
// away: its stdin is a lifeline only that process holds, so even a SIGKILL of the parent right
// after the spawn ends the sandbox. (bwrap's --die-with-parent is not used: it arms
// PR_SET_PDEATHSIG only after bwrap has set up the namespaces, so a parent killed before that
// leaves bwrap running, and one killed just after leaves bwrap's child blocked forever.)
// Where bwrap is missing or cannot create namespaces, the caller decides: refuse (default) or run
// unsandboxed and say so in the result.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const BWRAP_CANDIDATES = ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap'];

/**
 * Namespaces and process options every sandboxed run uses (the probe checks exactly these).
 * `--cap-drop ALL`: run by root, bwrap would otherwise leave the command every capability, and
 * with CAP_SYS_ADMIN it could remount a read-only bind writable (a checkout's linked
 * virtualenv, the system) or, with CAP_MKNOD, make a disk device and mount it.
 */
export const ISOLATION = ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--new-session', '--as-pid-1', '--cap-drop', 'ALL'];
/** No network but the sandbox's own loopback (abstract sockets are per network namespace too). */
export const NO_NETWORK = ['--unshare-net'];

/** bwrap writes `{"child-pid": N, ...}` (PID 1's pid as the host sees it) to this descriptor. */
export const SANDBOX_INFO_FD = 3;

export type SandboxStatus = { available: true; bwrap: string } | { available: false; reason: string };

let probed: SandboxStatus | undefined;

/** Whether bwrap exists and can create the namespaces we use (probed once per process). */
export function sandboxStatus(): SandboxStatus {
  if (probed) return probed;
  const bwrap = BWRAP_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!bwrap) return (probed = { available: false, reason: 'bubblewrap (bwrap) is not installed; on Debian: apt-get install bubblewrap' });
  // Every option sandboxedArgv uses, so an older bwrap that lacks one is found here, not in each run.
  // (The tmpfs goes where no Node can live: a Node under /tmp, as in a CI clone, must stay visible.)
  const options = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/dev/shm', '--remount-ro', '/dev/shm', ...ISOLATION, ...NO_NETWORK, '--info-fd', '1', '--clearenv'];
  const probe = spawnSync(bwrap, [...options, '--', process.execPath, '-e', ''], { encoding: 'utf8', timeout: 10_000 });
  if (probe.status !== 0) {
    return (probed = { available: false, reason: `bwrap cannot create namespaces here (${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim()})` });
  }
  return (probed = { available: true, bwrap });
}

let initSource: string | undefined;

/** The source of PID 1, passed with `node -e` because the sandbox shows no file of baton's. */
function sandboxInitSource(): string {
  return (initSource ??= readFileSync(new URL('./sandbox-init.cjs', import.meta.url), 'utf8'));
}

export interface SandboxedCommand {
  bwrap: string;
  /** bwrap arguments that build the file-system view (sandboxViewArgs). */
  view: readonly string[];
  cwd: string;
  /** The command's whole environment: bwrap and PID 1 run with an empty one. */
  env: Record<string, string>;
  argv: readonly string[];
  /** The Node that runs PID 1; it must be inside the view. */
  nodeExecPath?: string;
  /** Share the host's network (a workspace setup command the operator allowed it); tests never get it. */
  network?: boolean;
}

/** The argument vector that runs `argv` in `cwd` inside the sandbox, under our PID 1. */
export function sandboxedArgv(options: SandboxedCommand): string[] {
  const node = options.nodeExecPath ?? process.execPath;
  return [
    options.bwrap,
    ...options.view,
    ...ISOLATION,
    ...(options.network ? [] : NO_NETWORK),
    '--info-fd', String(SANDBOX_INFO_FD),
    '--clearenv',
    '--chdir', options.cwd,
    '--',
    node, '--disable-sigusr1', '-e', sandboxInitSource(), '--',
    JSON.stringify(options.env),
    ...options.argv,
  ];
}
