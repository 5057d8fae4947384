// What every checkout of a run gets besides its tracked files, resolved once when the run starts
// from the `workspace` settings against the user's checkout: links (paths test commands see
// read-only, mounted by the test sandbox, never part of the workspace), copies (files put into
// each workspace), and the setup command. Globs are matched in the checkout; a path git tracks
// is refused, since every workspace has it already and a link would hide the task's own version.
import { globSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { linkPathProblem, splitCommandLine, type TestLink } from '@baton/mcp-tools';
import type { WorkspaceSettings } from '../config/workspace-settings.ts';
import { git, gitOut } from '../git/run-git.ts';

export interface WorkspaceProvisions {
  /** Shown read-only to test and setup commands at `path` in every workspace. */
  links: TestLink[];
  /** Copied from `source` to `path` in every workspace. */
  copies: { source: string; path: string }[];
  setup?: { command: string; argv: string[]; network: boolean; timeoutSeconds: number };
  /** `link` and `copy` patterns that matched nothing in the checkout (said when the plan is shown). */
  unmatched: string[];
}

export const NO_PROVISIONS: WorkspaceProvisions = { links: [], copies: [], unmatched: [] };

/** The settings named something that cannot be provided: the config is at fault. */
export class WorkspaceSettingsError extends Error {
  override name = 'WorkspaceSettingsError';
}

export async function resolveProvisions(repo: string, settings: WorkspaceSettings): Promise<WorkspaceProvisions> {
  const top = await gitOut(['rev-parse', '--show-toplevel'], { cwd: repo });
  const unmatched: string[] = [];
  const links = await matchPaths(top, settings.link, 'link', unmatched);
  const copies = await matchPaths(top, settings.copy, 'copy', unmatched);
  const provisions: WorkspaceProvisions = {
    links: links.map((rel) => ({ source: path.join(top, rel), path: rel })),
    copies: copies.map((rel) => ({ source: path.join(top, rel), path: rel })),
    unmatched,
  };
  if (settings.setup) {
    const argv = splitCommandLine(settings.setup.command);
    if (argv.length === 0) throw new WorkspaceSettingsError('workspace.setup.command in baton.config.json is empty');
    provisions.setup = { command: settings.setup.command, argv, network: settings.setup.network, timeoutSeconds: settings.setup.timeoutSeconds };
  }
  return provisions;
}

/** Paths (relative to the checkout's root) the patterns match, outermost only, none of them tracked. */
async function matchPaths(top: string, patterns: readonly string[], field: 'link' | 'copy', unmatched: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const clean = pattern.replace(/\/+$/, '');
    const matches = /[*?[{]/.test(clean)
      ? globSync(clean, { cwd: top, exclude: (candidate: string) => descendsInto(candidate) })
      : exists(path.join(top, clean))
        ? [clean]
        : [];
    if (matches.length === 0) unmatched.push(`${field} ${pattern}`);
    for (const match of matches) {
      const rel = match.split(path.sep).join('/');
      const problem = linkPathProblem(rel);
      if (problem) throw new WorkspaceSettingsError(`workspace.${field} "${pattern}" matches ${rel}, which ${problem}`);
      found.add(rel);
    }
  }
  const sorted = [...found].sort();
  const outermost = sorted.filter((rel) => !sorted.some((other) => other !== rel && rel.startsWith(`${other}/`)));
  if (outermost.length > 0) {
    const tracked = (await git(['ls-files', '-z', '--', ...outermost.map((rel) => `:(literal)${rel}`)], { cwd: top })).stdout.split('\0').filter(Boolean);
    if (tracked.length > 0) {
      const owner = outermost.find((rel) => tracked[0] === rel || tracked[0]!.startsWith(`${rel}/`)) ?? tracked[0];
      throw new WorkspaceSettingsError(
        `workspace.${field} in baton.config.json names ${owner}, which git tracks (${tracked.slice(0, 3).join(', ')}${tracked.length > 3 ? ', …' : ''}): every workspace has tracked files already; ${field} only what git does not track (a virtualenv, node_modules, generated or ignored files)`,
      );
    }
  }
  return outermost;
}

/** Keeps a glob walk out of the insides of dependency folders and .git: the folders themselves may match. */
function descendsInto(candidate: string): boolean {
  const parts = candidate.split(path.sep);
  return parts.slice(0, -1).some((part) => part === 'node_modules' || part === '.git' || part === '.venv');
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** git pathspecs of the provided paths, to unstage before a commit: they are the workspace's, never the task's. */
export function providedPathspecs(provisions: WorkspaceProvisions): string[] {
  return [...provisions.links, ...provisions.copies].map((p) => `:(literal)${p.path}`);
}
