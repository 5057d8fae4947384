// The one small interface through which language-server processes are started, watched and
// ended. A launcher turns "run this argv for this workspace view" into a process with stdio
// pipes; the sandboxed launcher (sandboxed-launcher.ts) and the direct one (for hosts without
// a sandbox, when the operator allows it) are its two implementations.
import type { Readable, Writable } from 'node:stream';
import type { WorkspaceView } from './workspace-view.ts';

export interface ServerLaunchRequest {
  /** What of the workspace the server may see. */
  view: WorkspaceView;
  /** The command, resolved: an absolute executable (or baton's Node) and its arguments. */
  argv: readonly string[];
  /** Variables the server may see besides PATH, LANG, LC_ALL and TZ (credential-like names never pass). */
  envAllow: readonly string[];
  /** Host paths the server needs read-only (its packages, toolchains), shown over any hiding. */
  readOnlyPaths: readonly string[];
  /** A private writable directory on the host (HOME and TMPDIR; /tmp inside a sandbox). */
  tmpDir: string;
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the server wrote to stderr, for error messages. */
  stderrTail: string;
}

export interface ServerProcess {
  readonly pid: number | undefined;
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Resolves once the process (and, for a sandbox, everything in it) has exited. */
  readonly exited: Promise<ServerExit>;
  /** Host pids of the server and every process it started, for the memory watchdog. */
  processIds(): number[];
  /** Ends the server and everything it started, at once. */
  kill(): void;
}

export interface ServerLauncher {
  /** Whether servers run sandboxed (no network, read-only, only the view of the workspace). */
  readonly sandboxed: boolean;
  launch(request: ServerLaunchRequest): ServerProcess;
}
