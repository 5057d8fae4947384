// The engine on a real git repository: task worktrees, task branches, cherry-picks onto
// baton/<run>, a conflict handed to a merge worker, a crash's unrecorded merge undone —
// and the user's checkout (HEAD, index, working tree) untouched throughout.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePlan } from '../plan/make-task.ts';
import { openRepoStore } from '../store/open-store.ts';
import { type RunStore } from '../store/run-store.ts';
import type { EnginePorts } from './engine-ports.ts';
import { createRunBranch, gitIntegration, type MergeWorker } from './git-integration.ts';
import { gitWorkspaces } from './git-workspaces.ts';
import { executeRun } from './run-engine.ts';

let base: string;
let repo: string;
let store: RunStore;

function sh(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

async function fingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(sh(dir, 'rev-parse', 'HEAD', '--abbrev-ref', 'HEAD'));
  hash.update(await readFile(path.join(dir, '.git', 'index')));
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).sort((a, b) => path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)))) {
    const full = path.join(entry.parentPath, entry.name);
    if (full.includes(`${path.sep}.git`) || !entry.isFile()) continue;
    hash.update(full).update(await readFile(full));
  }
  return hash.digest('hex');
}

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), 'baton-gitports-')));
  repo = path.join(base, 'repo');
  await import('node:fs/promises').then((fs) => fs.mkdir(path.join(repo, 'src'), { recursive: true }));
  await writeFile(path.join(repo, 'src', 'list.ts'), 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n');
  sh(repo, 'init', '-q', '-b', 'main');
  sh(repo, 'add', '-A');
  sh(repo, 'commit', '-q', '-m', 'initial');
  await writeFile(path.join(repo, 'uncommitted.txt'), 'the user is in the middle of something\n');
  store = await openRepoStore({ repoRoot: repo });
});

afterEach(async () => {
  await store.close();
  await rm(base, { recursive: true, force: true });
});

/** A worker that rewrites one line of src/list.ts in its workspace. */
function lineWorker(edits: Record<string, [number, string]>): EnginePorts['worker'] {
  return {
    run: async ({ task, workspace }) => {
      const file = path.join(workspace.dir, 'src', 'list.ts');
      const lines = (await readFile(file, 'utf8')).split('\n');
      const [index, text] = edits[task.id]!;
      lines[index] = text;
      await writeFile(file, lines.join('\n'));
      return { kind: 'completed', summary: `edited line ${index + 1}` };
    },
  };
}

function ports(worker: EnginePorts['worker'], mergeWorker?: MergeWorker): EnginePorts {
  return {
    workspaces: gitWorkspaces({ repo }),
    worker,
    tests: { run: async ({ suites }) => suites.map((suite) => ({ suite, passed: true, summary: 'ok', durationMs: 1 })) },
    reviewer: { review: async () => ({ decision: 'accept', reasons: [] }) },
    integration: gitIntegration({ repo, ...(mergeWorker ? { mergeWorker } : {}) }),
  };
}

async function start(tasks: Parameters<typeof makePlan>[0]) {
  const head = sh(repo, 'rev-parse', 'HEAD');
  const writer = await store.createRun({ runId: 'r', ticket: 'edit the list', workflow: 'feature', baseCommit: head, maxWorkers: 2 });
  await writer.approvePlan({ version: (await writer.proposePlan({ plan: makePlan(tasks), source: 'proposed' })).version });
  await createRunBranch(repo, 'r', head);
  return writer;
}

const settings = { maxReworks: 1, protectedPaths: [], gateSuites: [], workerModel: 'scripted:test' };

describe('engine on git', () => {
  it('records every change as text, whatever a committed .gitattributes or the user\'s git config says', async () => {
    // The user's own config asks for no prefixes and colour; the worker marks its files binary or -diff.
    sh(repo, 'config', 'diff.noprefix', 'true');
    sh(repo, 'config', 'color.ui', 'always');
    const workspaces = gitWorkspaces({ repo });
    const task = makePlan([{ id: 'hide', write_scope: ['**'] }]).tasks[0]!;
    const workspace = await workspaces.create({ runId: 'r', task, attempt: 1, fromCommit: sh(repo, 'rev-parse', 'HEAD') });
    try {
      await writeFile(path.join(workspace.dir, '.gitattributes'), '*.ts binary\n*.md -diff\n');
      await writeFile(path.join(workspace.dir, 'src', 'list.ts'), 'export const a = 1;\nexport const b = 2;\nexport const c = "exfiltrate()";\n');
      await writeFile(path.join(workspace.dir, 'notes.md'), 'hidden words\n');
      await writeFile(path.join(workspace.dir, 'data.bin'), Buffer.from([0x62, 0x00, 0x01, 0x02]));
      const committed = await workspaces.commit({ workspace, message: 'hide' });
      expect(committed?.diff).toContain('diff --git a/src/list.ts b/src/list.ts');
      expect(committed?.diff).toContain('+export const c = "exfiltrate()";');
      expect(committed?.diff).toContain('+hidden words');
      // What is binary by its content still shows as binary; nothing else does.
      expect(committed?.diff.match(/Binary files .*/g)).toEqual(['Binary files /dev/null and b/data.bin differ']);
      expect(committed?.diff).not.toMatch(/\u001b\[/);
    } finally {
      await workspaces.remove(workspace);
    }
  });

  it('puts one commit per task on baton/<run> and leaves the user\'s checkout alone', async () => {
    const before = await fingerprint(repo);
    const writer = await start([{ id: 'first', write_scope: ['src/**'] }, { id: 'third', write_scope: ['src/**'], depends_on: ['first'] }]);
    const result = await executeRun({ store, writer, ports: ports(lineWorker({ first: [0, 'export const a = 10;'], third: [2, 'export const c = 30;'] })), settings });
    expect(result.outcome, JSON.stringify((await store.state('r')).escalations)).toBe('succeeded');
    expect(await fingerprint(repo)).toBe(before);
    expect(sh(repo, 'show', 'baton/r:src/list.ts')).toBe('export const a = 10;\nexport const b = 2;\nexport const c = 30;');
    const log = sh(repo, 'log', '--format=%s%n%b', 'main..baton/r');
    expect(log).toContain('first [first]');
    expect(log).toContain('Baton-Task: third');
    expect(sh(repo, 'rev-list', '--count', 'main..baton/r')).toBe('2');
    expect(sh(repo, 'branch', '--list', 'baton-tasks/r/*')).toContain('baton-tasks/r/first');
  });

  it('hands a same-line conflict to the merge worker, whose commit lands on the branch', async () => {
    const writer = await start([{ id: 'x', write_scope: ['src/**'] }, { id: 'y', write_scope: ['docs/**', 'src/**'] }]);
    let asked: string[] = [];
    const mergeWorker: MergeWorker = async ({ tip, conflictFiles }) => {
      asked = conflictFiles;
      const dir = path.join(base, 'merge');
      sh(repo, 'worktree', 'add', '-q', '--detach', dir, tip);
      const file = path.join(dir, 'src', 'list.ts');
      await writeFile(file, (await readFile(file, 'utf8')).replace('export const b = 20;', 'export const b = 20; // and 200'));
      sh(dir, 'commit', '-q', '-am', 'reconciled');
      return sh(dir, 'rev-parse', 'HEAD');
    };
    // Both tasks start from the same tip (write scopes overlap, so they run one after the other,
    // but the second worker is told to write against the original text).
    const original = 'export const b = 2;';
    const worker: EnginePorts['worker'] = {
      run: async ({ task, workspace }) => {
        const file = path.join(workspace.dir, 'src', 'list.ts');
        const text = await readFile(file, 'utf8');
        const edited = task.id === 'x' ? text.replace(original, 'export const b = 20;') : `${text.replace(/export const b = \d+;/, 'export const b = 200;')}`;
        await writeFile(file, edited);
        return { kind: 'completed', summary: 'edited b' };
      },
    };
    // y is written against base: give it its workspace from base, not from the tip.
    const p = ports(worker, mergeWorker);
    const create = p.workspaces.create;
    const baseCommit = sh(repo, 'rev-parse', 'HEAD');
    p.workspaces.create = (input) => create({ ...input, fromCommit: input.task.id === 'y' ? baseCommit : input.fromCommit });
    const result = await executeRun({ store, writer, ports: p, settings });
    expect(result.outcome, JSON.stringify((await store.state('r')).escalations)).toBe('succeeded');
    expect(asked).toEqual(['src/list.ts']);
    expect(sh(repo, 'show', 'baton/r:src/list.ts')).toContain('export const b = 20; // and 200');
    const merges = (await store.events('r')).filter((e) => e.type === 'merge_result');
    expect(merges.map((m) => (m.type === 'merge_result' ? m.resolvedBy : undefined))).toEqual(['clean', 'merge_worker']);
  });

  it('undoes a merge that a killed process made but never recorded', async () => {
    const writer = await start([{ id: 'only', write_scope: ['src/**'] }]);
    const runBase = sh(repo, 'rev-parse', 'baton/r');
    // Simulate the crash: the run branch moved, but no merge_result was written.
    const integration = gitIntegration({ repo });
    const dir = await integration.checkoutDir('r');
    await writeFile(path.join(dir, 'stray.txt'), 'half-finished\n');
    sh(dir, 'add', '-A');
    sh(dir, 'commit', '-q', '-m', 'unrecorded');
    expect(sh(repo, 'rev-parse', 'baton/r')).not.toBe(runBase);
    const result = await executeRun({ store, writer, ports: ports(lineWorker({ only: [1, 'export const b = 0;'] })), settings });
    expect(result.outcome).toBe('succeeded');
    expect(sh(repo, 'rev-list', '--count', `${runBase}..baton/r`)).toBe('1');
    expect(sh(repo, 'ls-tree', '--name-only', '-r', 'baton/r')).not.toContain('stray.txt');
  });
});
