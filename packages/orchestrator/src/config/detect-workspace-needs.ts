// What `baton init` can tell a task workspace will need besides the tracked files, from what
// the checkout holds and git does not track: a Python virtualenv and node_modules (root and
// nested packages') to link read-only, test env files to copy, a code generation script to run
// as setup. Build caches are named in a note only: test runs write them, so they cannot be
// linked read-only, and copying them costs more than rebuilding.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { git } from '../git/run-git.ts';
import type { WorkspaceSettings } from './workspace-settings.ts';

export interface WorkspaceNeeds {
  link: string[];
  copy: string[];
  setup?: string;
  /** The virtualenv found, whose python should run pytest (the sandbox's python3 is the system's). */
  venv?: string;
  notes: string[];
}

const VENV_DIRS = ['.venv', 'venv', '.virtualenv', 'env'];
const TEST_ENV_FILES = ['.env.test', '.env.testing', '.env.test.local'];
const GENERATE_SCRIPTS = ['generate', 'codegen', 'gen'];
const BUILD_CACHES = ['target', 'build', '.gradle', '.next', '.turbo', '.nx', '.parcel-cache', '.mypy_cache', '.tox'];
const SKIP_DIRS = new Set(['node_modules', '.git', ...VENV_DIRS]);

export async function detectWorkspaceNeeds(repo: string, options: { packageManager?: string } = {}): Promise<WorkspaceNeeds> {
  const needs: WorkspaceNeeds = { link: [], copy: [], notes: [] };
  const isDir = (rel: string) => {
    try {
      return statSync(path.join(repo, rel)).isDirectory();
    } catch {
      return false;
    }
  };
  const venv = VENV_DIRS.find((dir) => existsSync(path.join(repo, dir, 'pyvenv.cfg')));
  if (venv) {
    needs.link.push(venv);
    needs.venv = venv;
    needs.notes.push(`Python virtualenv ${venv}: linked read-only into task workspaces; pytest runs with ${venv}/bin/python`);
  }
  if (isDir('node_modules')) {
    const nested = nestedNodeModules(repo);
    if (nested.length > 0) {
      needs.link.push('node_modules', ...nested);
      needs.notes.push(`nested packages' node_modules (${nested.join(', ')}): linked read-only with the root node_modules, so each package resolves its own dependencies and its siblings in the workspace`);
    }
  }
  for (const file of TEST_ENV_FILES) {
    if (existsSync(path.join(repo, file))) {
      needs.copy.push(file);
      needs.notes.push(`${file}: copied into task workspaces (never committed; protected from writes)`);
    }
  }
  const generate = generateScript(repo, options.packageManager);
  if (generate) {
    needs.setup = generate;
    needs.notes.push(`code generation: "${generate}" runs once in each task workspace (workspace.setup), without network`);
  }
  const caches = BUILD_CACHES.filter(isDir);
  if (caches.length > 0) needs.notes.push(`build caches (${caches.join(', ')}) are not linked: test runs write them, so each workspace rebuilds what it needs`);
  // Only what git does not track: tracked files are in every workspace already.
  const tracked = await trackedAmong(repo, [...needs.link, ...needs.copy]);
  needs.link = needs.link.filter((p) => !tracked.has(p));
  needs.copy = needs.copy.filter((p) => !tracked.has(p));
  if (needs.venv && tracked.has(needs.venv)) delete needs.venv;
  return needs;
}

/** The proposal as `workspace` settings (undefined when there is nothing to provide). */
export function workspaceSettingsOf(needs: WorkspaceNeeds): Partial<WorkspaceSettings> | undefined {
  if (needs.link.length === 0 && needs.copy.length === 0 && !needs.setup) return undefined;
  return {
    ...(needs.link.length > 0 ? { link: needs.link } : {}),
    ...(needs.copy.length > 0 ? { copy: needs.copy } : {}),
    ...(needs.setup ? { setup: { command: needs.setup, network: false, timeoutSeconds: 600 } } : {}),
  };
}

/** For each top-level folder: `<dir>/node_modules` when it has one, and a glob over its packages' own when they have them. */
function nestedNodeModules(repo: string): string[] {
  const patterns: string[] = [];
  for (const top of safeDirs(repo)) {
    if (SKIP_DIRS.has(top) || top.startsWith('.')) continue;
    if (existsSync(path.join(repo, top, 'node_modules'))) patterns.push(`${top}/node_modules`);
    if (safeDirs(path.join(repo, top)).some((child) => !SKIP_DIRS.has(child) && existsSync(path.join(repo, top, child, 'node_modules')))) patterns.push(`${top}/*/node_modules`);
  }
  return patterns;
}

function safeDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function generateScript(repo: string, manager = 'npm'): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    const script = GENERATE_SCRIPTS.find((name) => pkg.scripts?.[name] !== undefined);
    if (script) return `${manager} run ${script}`;
  } catch {
    // No package.json, or not JSON: no script.
  }
  try {
    if (/^generate:/m.test(readFileSync(path.join(repo, 'Makefile'), 'utf8'))) return 'make generate';
  } catch {
    // No Makefile.
  }
  return undefined;
}

async function trackedAmong(repo: string, paths: readonly string[]): Promise<Set<string>> {
  const literal = paths.filter((p) => !p.includes('*'));
  if (literal.length === 0) return new Set();
  const result = await git(['ls-files', '-z', '--', ...literal.map((p) => `:(literal)${p}`)], { cwd: repo, allowFailure: true });
  if (result.exitCode !== 0) return new Set();
  const files = result.stdout.split('\0').filter(Boolean);
  return new Set(literal.filter((p) => files.some((file) => file === p || file.startsWith(`${p}/`))));
}
