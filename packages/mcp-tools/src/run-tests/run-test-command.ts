// Runs a test command the way run_tests promises: inside the sandbox when bwrap is available
// (view, PID 1 and lifeline), else directly with the unsandboxed process tracking; always with
// the environment allowlist, a private temp directory, the time limit and capped output.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEnvironment } from './child-env.ts';
import { hostSupervision } from './host-supervision.ts';
import { runProcess, type ProcessResult } from './run-process.ts';
import { sandboxSupervision } from './sandbox-supervision.ts';
import { sandboxViewArgs } from './sandbox-view.ts';
import { sandboxedArgv } from './sandbox.ts';

export interface TestCommandRun {
  /** Real path of the workspace. */
  workspace: string;
  cwd: string;
  /** The command as the operator configured it: what the sandbox must show comes from this. */
  command: readonly string[];
  /** What runs: the command, plus the model's filter if any. */
  argv: readonly string[];
  /** bwrap's path, or undefined to run without a sandbox (the grant allowed it). */
  bwrap: string | undefined;
  /** Variable names the grant lets through. */
  allowEnv: readonly string[];
  /** Absolute host paths the sandbox shows read-only (grant.testReadOnly). */
  readOnly: readonly string[];
  /** Host paths shown read-only at a path relative to the workspace (grant.testLinks); only a sandbox can show them. */
  links?: readonly { source: string; path: string }[];
  /** Share the host's network: only for a workspace setup command the operator allowed it. */
  network?: boolean;
  timeoutMs: number;
  maxOutputBytes: number;
  signal: AbortSignal;
}

export async function runTestCommand(run: TestCommandRun): Promise<ProcessResult> {
  // The sandbox's /tmp, or the command's TMPDIR without one; removed afterwards either way.
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'baton-test-tmp-'));
  // Outside the sandbox's /tmp, so that nothing inside can write what a hidden .git file reads as.
  const hidden = mkdtempSync(path.join(os.tmpdir(), 'baton-test-hidden-'));
  const emptyFile = path.join(hidden, 'empty');
  writeFileSync(emptyFile, '', { mode: 0o444 });
  try {
    const env = testEnvironment({ workspace: run.workspace, tmpDir: run.bwrap ? '/tmp' : tmpDir, allow: run.allowEnv });
    const common = { cwd: run.cwd, timeoutMs: run.timeoutMs, maxOutputBytes: run.maxOutputBytes, signal: run.signal };
    if (!run.bwrap) return await runProcess({ ...common, argv: run.argv, env, supervision: hostSupervision() });
    const view = sandboxViewArgs({
      workspace: run.workspace,
      tmpDir,
      emptyFile,
      commandArgv: run.command,
      cwd: run.cwd,
      pathEnv: env['PATH'] ?? '',
      extraReadOnly: existingRealPaths(run.readOnly),
      nodeExecPath: process.execPath,
      links: (run.links ?? []).flatMap((link) => existingRealPaths([link.source]).map((source) => ({ source, target: path.join(run.workspace, link.path) }))),
    });
    const argv = sandboxedArgv({ bwrap: run.bwrap, view, cwd: run.cwd, env, argv: run.argv, ...(run.network ? { network: true } : {}) });
    return await runProcess({ ...common, argv, env: {}, supervision: sandboxSupervision() });
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
    rmSync(hidden, { recursive: true, force: true });
  }
}

/** The operator's read-only paths as the host resolves them now; missing ones are left out. */
function existingRealPaths(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    try {
      return [realpathSync(p)];
    } catch {
      return [];
    }
  });
}
