// A command an operator configured for a workspace as a whole (baton's workspace setup: code
// generation, an install), run like a test command: sandboxed with the same view, environment
// allowlist, time limit and output cap, and the same read-only links; with the host's network
// only when the operator said so. Never without a sandbox: the command is not a test the grant
// names, and nothing would keep it inside the workspace.
import { runTestCommand } from './run-test-command.ts';
import type { ProcessResult } from './run-process.ts';
import { sandboxStatus } from './sandbox.ts';

export interface WorkspaceCommandOptions {
  /** Real path of the workspace: the command's working directory and the only writable host directory. */
  workspace: string;
  argv: readonly string[];
  links?: readonly { source: string; path: string }[];
  network?: boolean;
  /** Variable names the command may see besides PATH, locale and time zone. */
  allowEnv?: readonly string[];
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}

export async function runWorkspaceCommand(options: WorkspaceCommandOptions): Promise<ProcessResult> {
  const sandbox = sandboxStatus();
  if (!sandbox.available) throw new SandboxUnavailableError(`refusing to run "${options.argv.join(' ')}" without a sandbox: ${sandbox.reason}`);
  return runTestCommand({
    workspace: options.workspace,
    cwd: options.workspace,
    command: options.argv,
    argv: options.argv,
    bwrap: sandbox.bwrap,
    allowEnv: options.allowEnv ?? [],
    readOnly: [],
    links: options.links ?? [],
    network: options.network === true,
    timeoutMs: options.timeoutMs,
    maxOutputBytes: options.maxOutputBytes,
    signal: options.signal ?? new AbortController().signal,
  });
}
