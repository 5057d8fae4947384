// Makes a fresh checkout ready for work and tests: the configured files copied in from the
// user's checkout, then the setup command run once, in the test sandbox (links shown read-only,
// the network only if the settings allow it). Copies never pass through a symlink on their way
// into the workspace, so a tracked symlink cannot send one elsewhere.
import { cpSync, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { runWorkspaceCommand } from '@baton/mcp-tools';
import type { WorkspaceProvisions } from './workspace-provisions.ts';

/** The setup command failed: the configuration or the repository is at fault, not the worker. */
export class WorkspaceSetupError extends Error {
  override name = 'WorkspaceSetupError';
}

const SETUP_OUTPUT_BYTES = 16_000;

export async function prepareWorkspace(input: { dir: string; provisions: WorkspaceProvisions; signal?: AbortSignal }): Promise<void> {
  const { dir, provisions } = input;
  copyIntoWorkspace(dir, provisions);
  const setup = provisions.setup;
  if (!setup) return;
  const result = await runWorkspaceCommand({
    workspace: realpathSync(dir),
    argv: setup.argv,
    links: provisions.links,
    network: setup.network,
    timeoutMs: setup.timeoutSeconds * 1000,
    maxOutputBytes: SETUP_OUTPUT_BYTES,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  if (result.exitCode === 0 && !result.timedOut && !result.cancelled) return;
  const how = result.spawnError ? `could not start (${result.spawnError})` : result.timedOut ? `timed out after ${setup.timeoutSeconds} s` : result.cancelled ? 'was cancelled' : `failed (exit ${result.exitCode ?? result.signal})`;
  const tail = result.output.trim().split('\n').slice(-20).join('\n');
  throw new WorkspaceSetupError(`workspace setup "${setup.command}" ${how} in ${dir}${tail ? `:\n${tail}` : ''}\nFix "workspace.setup" in baton.config.json (or the repository), then baton resume.`);
}

/** Copies the configured files in (again, after a `git clean` took untracked ones away). */
export function copyIntoWorkspace(dir: string, provisions: WorkspaceProvisions): void {
  for (const copy of provisions.copies) {
    const target = path.join(dir, copy.path);
    if (passesThroughSymlink(dir, copy.path)) throw new WorkspaceSetupError(`workspace.copy ${copy.path}: the workspace has a symlink on its way; copy to a path the repository does not link elsewhere`);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(copy.source, target, { recursive: true, force: true, dereference: true });
  }
}

/** Whether a component of `rel` below `root` (the last one included) is a symlink. */
function passesThroughSymlink(root: string, rel: string): boolean {
  let current = root;
  for (const part of rel.split('/')) {
    current = path.join(current, part);
    try {
      if (lstatSync(current).isSymbolicLink()) return true;
    } catch {
      return false;
    }
  }
  return false;
}
