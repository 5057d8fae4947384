// Looks at a repository to propose a config: which test commands exist (package.json
// scripts with the right package manager, pytest, go, cargo), which paths to protect, and what
// task workspaces need besides the tracked files (detect-workspace-needs.ts).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BatonConfigInput } from './config-schema.ts';
import { detectWorkspaceNeeds, workspaceSettingsOf } from './detect-workspace-needs.ts';
import type { WorkspaceSettings } from './workspace-settings.ts';

export interface RepoFacts {
  tests: Record<string, string>;
  gateTest: string | undefined;
  notes: string[];
  /** What task workspaces need besides the tracked files, when anything. */
  workspace?: Partial<WorkspaceSettings>;
}

export async function inspectRepo(repo: string): Promise<RepoFacts> {
  const tests: Record<string, string> = {};
  const notes: string[] = [];
  const has = (file: string) => existsSync(path.join(repo, file));
  const manager = has('pnpm-lock.yaml') ? 'pnpm' : has('yarn.lock') ? 'yarn' : 'npm';
  const needs = await detectWorkspaceNeeds(repo, { packageManager: manager });
  if (has('package.json')) {
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    for (const script of Object.keys(pkg.scripts ?? {})) {
      if (script === 'test' || script.startsWith('test:')) {
        const name = script === 'test' ? 'unit' : script.slice('test:'.length);
        tests[name] = manager === 'npm' ? `npm run ${script} --silent` : `${manager} run ${script}`;
      }
    }
    notes.push(`package.json found; test scripts run with ${manager}`);
  }
  if (has('pyproject.toml') || has('pytest.ini') || has('setup.cfg')) {
    // The sandbox's python3 is the system's: a project's pytest and dependencies are in its virtualenv.
    tests.pytest = needs.venv ? `${needs.venv}/bin/python -m pytest -q` : 'python3 -m pytest -q';
    notes.push(needs.venv ? `Python project: pytest with ${needs.venv}/bin/python` : 'Python project: pytest');
  }
  if (has('go.mod')) {
    tests.go = 'go test ./...';
    notes.push('Go module: go test');
  }
  if (has('Cargo.toml')) {
    tests.cargo = 'cargo test';
    notes.push('Cargo project: cargo test');
  }
  const gateTest = Object.keys(tests)[0];
  if (!gateTest) notes.push('no test command found: add one under "tests" so baton can check work');
  notes.push(...needs.notes);
  const workspace = workspaceSettingsOf(needs);
  return { tests, gateTest, notes, ...(workspace ? { workspace } : {}) };
}

/** `schema` is what `$schema` names: see configSchemaReference. */
export function proposeConfig(facts: RepoFacts, options: { schema: string }): BatonConfigInput {
  return {
    $schema: options.schema,
    models: { planner: 'anthropic:claude-opus-4-6', worker: 'anthropic:claude-haiku-4-5' },
    budgets: { usd: 5, perTaskTokens: 400_000, perTaskTurns: 40 },
    maxWorkers: 4,
    tests: facts.tests,
    ...(facts.gateTest ? { gateTest: facts.gateTest } : {}),
    defaultReadScope: ['**'],
    protectedPaths: ['.github/**', '**/.env', '**/.env.*', '**/*.pem', '**/*.key'],
    maxReworks: 2,
    ...(facts.workspace ? { workspace: facts.workspace } : {}),
    sandbox: true,
  };
}
