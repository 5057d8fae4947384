// A run's tasks on worker nodes, end to end with real processes: `baton run --on-nodes` and
// `baton node`s sharing only a real PostgreSQL and a git remote served by `git daemon` on
// loopback; scripted models. Then the faults: a node killed mid-task, the orchestrator killed and
// resumed from another host, PostgreSQL restarted mid-run, the git remote briefly (or for good)
// unreachable. Every wait is on the run's events or a process's exit.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type RunStore, type StoredEvent } from '@baton/orchestrator';
import { postgresUnavailable, startPostgresServer, type PostgresServer } from '@baton/orchestrator/testing';
import { makeBareRemote, spawnBaton, startGitDaemon, startNode, waitForEvent, type GitDaemon, type NodeProcess } from './helpers/cluster.ts';
import { gitSync, makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const unavailable = postgresUnavailable();
if (unavailable && process.env['CI']) throw new Error(`the scale-out tests cannot run on CI: ${unavailable}`);

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
const TICKET = 'Add a farewell function and document it';
/** Queue timings for tests: a node that stops sending heartbeats loses its job within about 11 s. */
const QUEUE_ENV = { BATON_QUEUE_SUPERVISE_SECONDS: '1', BATON_QUEUE_HEARTBEAT_SECONDS: '10', BATON_REMOTE_RETRY_MS: '200' };

let server: PostgresServer;
let daemon: GitDaemon;
let tmp: string;
let slowWorker: string;
let cases = 0;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  if (unavailable) return;
  tmp = mkdtempSync(path.join(tmpdir(), 'baton-scale-'));
  server = await startPostgresServer();
  daemon = await startGitDaemon(path.join(tmp, 'remotes'));
  // The greeter's worker, each task's first model turn taking 3 s as a real model's would: long enough to kill a node in it.
  slowWorker = path.join(tmp, 'slow-worker.yaml');
  writeFileSync(slowWorker, readFileSync(path.join(fixture, 'worker.yaml'), 'utf8').replace(/^( {4}- text: [^\n]*\n)/gm, (turn, _m, offset: number, all: string) => (isFirstTurn(all, offset) ? `${turn}      delay_ms: 3000\n` : turn)));
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
afterAll(async () => {
  await daemon?.stop();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The first turn of each task's conversation (the line after `  <task>:`). */
function isFirstTurn(all: string, offset: number): boolean {
  const before = all.slice(0, offset).split('\n');
  return /^ {2}[a-z-]+:\s*$/.test(before.at(-2) ?? '');
}

interface Case {
  id: string;
  storeUrl: string;
  store: RunStore;
  user: TestGitRepo;
  remoteName: string;
  env: Record<string, string>;
  models: string[];
  node(name: string, extraEnv?: Record<string, string>): NodeProcess;
}

async function newCase(options: { worker?: string; env?: Record<string, string> } = {}): Promise<Case> {
  const n = ++cases;
  const storeUrl = await server.createDatabase(`scale_${n}`);
  const store = await openStore({ location: storeUrl });
  const user = await makeGitRepo({ source: path.join(fixture, 'repo') });
  const remoteName = `repo${n}.git`;
  makeBareRemote(path.join(tmp, 'remotes'), remoteName, user.dir);
  gitSync(user.dir, ['remote', 'add', 'origin', daemon.url(remoteName)]);
  const env = { ...QUEUE_ENV, ...options.env };
  const nodes: NodeProcess[] = [];
  cleanups.push(async () => {
    for (const node of nodes) await node.kill();
    await store.close();
    user.cleanup();
  });
  const scripted = (name: string) => `scripted:${path.join(fixture, name)}`;
  return {
    id: `scale-${n}`,
    storeUrl,
    store,
    user,
    remoteName,
    env,
    models: ['--planner', scripted('planner.yaml'), '--worker', options.worker ? `scripted:${options.worker}` : scripted('worker.yaml'), '--reviewer', scripted('reviewer.yaml')],
    node(name, extraEnv = {}) {
      const node = startNode({ storeUrl, name, workDir: path.join(tmp, `${name}-${n}`), env: { ...env, ...extraEnv } });
      nodes.push(node);
      return node;
    },
  };
}

function runArgs(c: Case): string[] {
  return ['run', TICKET, '--repo', c.user.dir, '--yes', '--run-id', c.id, '--store', c.storeUrl, '--on-nodes', ...c.models];
}

/** The run branch's commits (subjects, oldest first) and whether its tests pass. */
function branchReport(repo: string, runId: string): { subjects: string[]; testsPass: boolean } {
  const subjects = gitSync(repo, ['log', '--reverse', '--format=%s', `main..baton/${runId}`]).split('\n').filter(Boolean);
  const checkout = path.join(tmp, `verify-${runId}-${randomBytes(3).toString('hex')}`);
  gitSync(repo, ['worktree', 'add', '-q', '--detach', checkout, `baton/${runId}`]);
  const tests = spawnSync(process.execPath, ['--test'], { cwd: checkout, encoding: 'utf8' });
  gitSync(repo, ['worktree', 'remove', '--force', checkout]);
  return { subjects, testsPass: tests.status === 0 };
}

const EXPECTED_SUBJECTS = ['Add farewell() [farewell]', 'Document farewell() [docs]'];

function only<T extends StoredEvent['type']>(events: StoredEvent[], type: T): Extract<StoredEvent, { type: T }>[] {
  return events.filter((e): e is Extract<StoredEvent, { type: T }> => e.type === type);
}

// Real processes on a shared machine: each case takes 10–30 s, more under load.
describe.skipIf(unavailable !== undefined)('a run on worker nodes', { timeout: 180_000 }, () => {
  it('runs its tasks on two nodes through the queue and the git remote; status, log and report show which node ran what; the store holds no key', async () => {
    const secret = `sk-ant-test-${randomBytes(12).toString('hex')}`;
    const c = await newCase({ env: { ANTHROPIC_API_KEY: secret, OPENAI_API_KEY: `${secret}-openai` } });
    c.node('node-a');
    c.node('node-b');
    const run = await runBaton(runArgs(c), { env: c.env });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('succeeded: 2/2 tasks done');
    expect(branchReport(c.user.dir, c.id)).toEqual({ subjects: EXPECTED_SUBJECTS, testsPass: true });

    const events = await c.store.events(c.id);
    const claimed = only(events, 'task_claimed');
    expect(claimed.map((e) => e.taskId).sort()).toEqual(['docs', 'farewell']);
    expect(claimed.every((e) => ['node-a', 'node-b'].includes(e.node))).toBe(true);
    expect(only(events, 'merge_result').filter((e) => e.ok).map((e) => e.taskId)).toEqual(['farewell', 'docs']);

    // From a directory that is no clone of anything: the store alone.
    const elsewhere = mkdtempSync(path.join(tmp, 'elsewhere-'));
    const status = await runBaton(['status', c.id, '--store', c.storeUrl, '--json'], { cwd: elsewhere });
    expect(status.code, status.stderr).toBe(0);
    const tasks = (JSON.parse(status.stdout) as { tasks: { id: string; status: string; node: string | null }[] }).tasks;
    expect(tasks.map((t) => [t.id, t.status, t.node === claimed.find((e) => e.taskId === t.id)!.node])).toEqual([
      ['farewell', 'done', true],
      ['docs', 'done', true],
    ]);
    const table = await runBaton(['status', c.id, '--store', c.storeUrl], { cwd: elsewhere });
    expect(table.stdout).toMatch(/farewell.*node-[ab]/);
    const log = await runBaton(['log', c.id, '--store', c.storeUrl], { cwd: elsewhere });
    expect(log.stdout).toMatch(/task_claimed farewell attempt 1 taken by node node-[ab]/);
    expect(log.stdout).toMatch(/attempt_finished docs attempt 1 on node node-[ab]: committed/);
    const report = await runBaton(['report', '--store', c.storeUrl, '--json'], { cwd: elsewhere });
    expect(report.code, report.stderr).toBe(0);
    const reported = JSON.parse(report.stdout) as { overall: { runs: number; succeeded: number }; runs: { nodes: Record<string, string[]> }[] };
    expect(reported.overall).toMatchObject({ runs: 1, succeeded: 1 });
    expect(Object.values(reported.runs[0]!.nodes).flat().sort()).toEqual(['docs', 'farewell']);

    // The dashboard, served from the store alone, names the node of each task.
    const ui = spawnBaton(['ui', '--store', c.storeUrl, '--port', '0'], { cwd: elsewhere, env: c.env });
    cleanups.push(() => ui.kill());
    const signIn = await new Promise<URL>((resolve, reject) => {
      let out = '';
      ui.child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /open: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
        if (match) resolve(new URL(match[1]!));
      });
      void ui.done.then((r) => reject(new Error(`baton ui exited: ${r.output}`)));
    });
    const detail = (await (await fetch(new URL(`/api/runs/${c.id}`, signIn), { headers: { Authorization: `Bearer ${signIn.searchParams.get('token')}` } })).json()) as { tasks: { id: string; nodes: string[] }[] };
    expect(detail.tasks.map((t) => [t.id, t.nodes])).toEqual(claimed.map((e) => [e.taskId, [e.node]]));

    // Keys live on the machines: nothing of them reached the database.
    const dump = server.dump(c.storeUrl);
    expect(dump).toContain('task_claimed');
    expect(dump).not.toContain(secret);
    // The remote keeps the run's tip and nothing else of baton's.
    const refs = gitSync(path.join(tmp, 'remotes', c.remoteName), ['for-each-ref', '--format=%(refname)', 'refs/baton/']).split('\n').filter(Boolean);
    expect(refs).toEqual([`refs/baton/${c.id}/tip`]);
  });

  it("makes a node's task workspaces with the run's workspace settings: warm slots and the setup command", async () => {
    const c = await newCase();
    // The setup writes an ignored file that a test of the repository needs: the task's tests on
    // the node pass only in a workspace the setup ran in.
    writeFileSync(path.join(c.user.dir, '.gitignore'), '.setup-ran\n');
    writeFileSync(path.join(c.user.dir, 'test', 'setup-ran.test.js'), "import { test } from 'node:test';\nimport { readFileSync } from 'node:fs';\ntest('the workspace setup ran', () => readFileSync('.setup-ran'));\n");
    const config = JSON.parse(readFileSync(path.join(c.user.dir, 'baton.config.json'), 'utf8')) as Record<string, unknown>;
    const setup = `node -e "require('fs').writeFileSync('.setup-ran', 'yes')"`;
    writeFileSync(path.join(c.user.dir, 'baton.config.json'), JSON.stringify({ ...config, workspace: { warm: true, setup: { command: setup } } }, null, 2));
    gitSync(c.user.dir, ['add', '-A']);
    gitSync(c.user.dir, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'a workspace setup the tests need']);
    c.node('node-a');
    const run = await runBaton(runArgs(c), { env: c.env });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const events = await c.store.events(c.id);
    // Every attempt passed its tests the first time, in a warm slot of the node's clone.
    expect(only(events, 'task_started').map((e) => [e.taskId, e.attempt, e.node])).toEqual([
      ['farewell', 1, 'node-a'],
      ['docs', 1, 'node-a'],
    ]);
    for (const started of only(events, 'task_started')) {
      expect(started.workspace?.startsWith(`${path.join(tmp, `node-a-${cases}`, 'repos')}/`)).toBe(true);
      expect(started.workspace).toMatch(/\.git\/baton\/warm\/\d+-warm$/);
    }
    expect(only(events, 'test_result').filter((e) => e.context === 'task').map((e) => [e.taskId, e.passed])).toEqual([['farewell', true]]);
  });

  it('gives a task whose node was killed mid-task to another node, which finishes it; nothing is merged twice', async () => {
    const c = await newCase({ worker: slowWorker });
    const nodeA = c.node('node-a');
    const orchestrator = spawnBaton(runArgs(c), { cwd: c.user.dir, env: c.env });
    cleanups.push(() => orchestrator.kill());
    await waitForEvent(c.store, c.id, (e) => e.type === 'task_started' && e.taskId === 'farewell' && e.node === 'node-a');
    await nodeA.kill();
    c.node('node-b');
    const result = await orchestrator.done;
    expect(result.code, result.output).toBe(0);
    const events = await c.store.events(c.id);
    const farewell = only(events, 'task_claimed').filter((e) => e.taskId === 'farewell');
    expect(farewell.map((e) => [e.node, e.claim])).toEqual([
      ['node-a', 0],
      ['node-b', 1],
    ]);
    expect(farewell[1]!.previousNode).toBe('node-a');
    expect(only(events, 'attempt_finished').map((e) => [e.taskId, e.node])).toEqual([
      ['farewell', 'node-b'],
      ['docs', 'node-b'],
    ]);
    expect(only(events, 'merge_result').filter((e) => e.ok).map((e) => e.taskId)).toEqual(['farewell', 'docs']);
    expect(branchReport(c.user.dir, c.id)).toEqual({ subjects: EXPECTED_SUBJECTS, testsPass: true });
  });

  it('resumes from another host after the orchestrator is killed, from the store and the remote alone', async () => {
    const c = await newCase({ worker: slowWorker });
    c.node('node-a');
    const orchestrator = spawnBaton(runArgs(c), { cwd: c.user.dir, env: c.env });
    cleanups.push(() => orchestrator.kill());
    await waitForEvent(c.store, c.id, (e) => e.type === 'merge_result' && e.ok);
    await orchestrator.kill();
    // Another machine: its own clone of the remote, its own host name; nothing of the first one's files.
    const hostB = mkdtempSync(path.join(tmp, 'host-b-'));
    const clone = path.join(hostB, 'repo');
    spawnSync('git', ['clone', '--quiet', daemon.url(c.remoteName), clone]);
    const resumed = await runBaton(['resume', c.id, '--repo', clone, '--store', c.storeUrl, ...c.models], { env: { ...c.env, BATON_HOSTNAME: 'host-b' }, cwd: hostB });
    expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    expect(resumed.stdout).toContain('succeeded: 2/2 tasks done');
    expect(branchReport(clone, c.id)).toEqual({ subjects: EXPECTED_SUBJECTS, testsPass: true });
    const events = await c.store.events(c.id);
    expect(only(events, 'run_resumed')).toHaveLength(1);
    expect(only(events, 'merge_result').filter((e) => e.ok).map((e) => e.taskId)).toEqual(['farewell', 'docs']);
    expect((await c.store.state(c.id)).tasks['farewell']?.status).toBe('done');
  });

  it('carries on when PostgreSQL restarts mid-run: everyone reconnects and nothing is lost', async () => {
    const c = await newCase({ worker: slowWorker });
    c.node('node-a');
    const orchestrator = spawnBaton(runArgs(c), { cwd: c.user.dir, env: c.env });
    cleanups.push(() => orchestrator.kill());
    await waitForEvent(c.store, c.id, (e) => e.type === 'task_started' && e.taskId === 'farewell');
    await server.restart();
    const result = await orchestrator.done;
    expect(result.code, result.output).toBe(0);
    const events = await c.store.events(c.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(only(events, 'merge_result').filter((e) => e.ok).map((e) => e.taskId)).toEqual(['farewell', 'docs']);
    expect(branchReport(c.user.dir, c.id)).toEqual({ subjects: EXPECTED_SUBJECTS, testsPass: true });
  });

  it('retries a git remote that went away for a moment, and finishes once it is back', async () => {
    const c = await newCase();
    const orchestrator = spawnBaton(runArgs(c), { cwd: c.user.dir, env: c.env });
    cleanups.push(() => orchestrator.kill());
    await waitForEvent(c.store, c.id, (e) => e.type === 'task_dispatched' && e.taskId === 'farewell');
    await daemon.stop();
    cleanups.push(() => daemon.start().catch(() => undefined));
    c.node('node-a', { BATON_REMOTE_TRIES: '8' });
    const retried = await waitForEvent(c.store, c.id, (e) => e.type === 'task_event' && e.name === 'git_remote');
    expect(retried.type === 'task_event' && retried.detail).toMatch(/did not answer while fetching the base commit \(try 1\)/);
    await daemon.start();
    const result = await orchestrator.done;
    expect(result.code, result.output).toBe(0);
    expect(branchReport(c.user.dir, c.id)).toEqual({ subjects: EXPECTED_SUBJECTS, testsPass: true });
  });

  it('stops retrying a git remote that stays away, and says so', async () => {
    const c = await newCase({ env: { BATON_REMOTE_TRIES: '2', BATON_QUEUE_RETRIES: '0' } });
    const orchestrator = spawnBaton(runArgs(c), { cwd: c.user.dir, env: c.env });
    cleanups.push(() => orchestrator.kill());
    await waitForEvent(c.store, c.id, (e) => e.type === 'task_dispatched' && e.taskId === 'farewell');
    await daemon.stop();
    cleanups.push(() => daemon.start().catch(() => undefined));
    c.node('node-a');
    const escalated = await waitForEvent(c.store, c.id, (e) => e.type === 'escalation_raised' && e.taskId === 'farewell');
    expect(escalated.type === 'escalation_raised' && escalated.reason).toMatch(/could not reach the git remote git:\/\/127\.0\.0\.1:\d+\/repo\d+\.git to fetch the commit task farewell starts from after 2 tries/);
    await daemon.start();
    const result = await orchestrator.done;
    expect(result.output).toMatch(/escalated/);
  });
});
