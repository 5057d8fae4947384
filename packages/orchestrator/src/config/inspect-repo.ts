// Looks at a repository to propose a config: which test commands exist (package.json
// scripts with the right package manager, pytest, go, cargo), and which paths to protect.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BatonConfigInput } from './config-schema.ts';

export interface RepoFacts {
  tests: Record<string, string>;
  gateTest: string | undefined;
  notes: string[];
}

export async function inspectRepo(repo: string): Promise<RepoFacts> {
  const tests: Record<string, string> = {};
  const notes: string[] = [];
  const has = (file: string) => existsSync(path.join(repo, file));
  if (has('package.json')) {
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    const manager = has('pnpm-lock.yaml') ? 'pnpm' : has('yarn.lock') ? 'yarn' : 'npm';
    for (const script of Object.keys(pkg.scripts ?? {})) {
      if (script === 'test' || script.startsWith('test:')) {
        const name = script === 'test' ? 'unit' : script.slice('test:'.length);
        tests[name] = manager === 'npm' ? `npm run ${script} --silent` : `${manager} run ${script}`;
      }
    }
    notes.push(`package.json found; test scripts run with ${manager}`);
  }
  if (has('pyproject.toml') || has('pytest.ini') || has('setup.cfg')) {
    tests.pytest = 'python3 -m pytest -q';
    notes.push('Python project: pytest');
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
  return { tests, gateTest, notes };
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
    sandbox: true,
  };
}
