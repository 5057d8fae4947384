// At most one live attempt per task, on a real PostgreSQL with the real queue: a node's writes
// are stored only while its claim on the job is the live one, checked in the transaction that
// stores them. A node whose lease lapsed (its job failed over to another node, or not yet taken
// by anyone) and a node whose attempt a newer one superseded can record nothing, least of all a
// result the orchestrator would merge.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.ts';
import { RunEventSchema, type RunEventInput } from '../store/run-event.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import { AttemptFencedError } from '../store/store-errors.ts';
import { makePlan } from '../plan/make-task.ts';
import { postgresUnavailable, startPostgresServer, type PostgresServer } from '../testing/postgres-server.ts';
import { startTaskQueue, TASK_QUEUE, type TaskQueue } from './task-queue.ts';

const unavailable = postgresUnavailable();
if (unavailable && process.env['CI']) throw new Error(`PostgreSQL tests cannot run on CI: ${unavailable}`);

let server: PostgresServer;
let url: string;
let store: RunStore;
let queue: TaskQueue;
let writer: RunWriter;

beforeAll(async () => {
  if (unavailable) return;
  server = await startPostgresServer();
  url = await server.createDatabase('fence');
  store = await openStore({ location: url });
  queue = await startTaskQueue({ url, settings: { heartbeatSeconds: 10, retryLimit: 5, expireInSeconds: 3600, superviseSeconds: 60 } });
  writer = await store.createRun({ runId: 'r', ticket: 't', workflow: 'feature', baseCommit: 'b', maxWorkers: 2, distributed: { remote: 'git://127.0.0.1/none' } });
  await writer.approvePlan({ version: (await writer.proposePlan({ plan: makePlan([{ id: 'a' }]), source: 'proposed' })).version });
});
afterAll(async () => {
  await writer?.release();
  await queue?.close();
  await store?.close();
  await server?.close();
});

async function dispatch(attempt: number): Promise<string> {
  const jobId = randomUUID();
  await writer.dispatchAttempt({ taskId: 'a', attempt, jobId, fromCommit: 'b', enqueue: async (db) => void (await queue.boss.send(TASK_QUEUE, { attempt }, { id: jobId, db })) });
  return jobId;
}

async function take(): Promise<{ id: string; retryCount: number }> {
  const [job] = await queue.boss.fetch(TASK_QUEUE);
  if (!job) throw new Error('no job to take');
  return { id: job.id, retryCount: job.retryCount };
}

function claim(job: { id: string; retryCount: number }, attempt: number, node: string) {
  const fence = { queue: TASK_QUEUE, taskId: 'a', attempt, jobId: job.id, claim: job.retryCount };
  const event = (e: RunEventInput) => RunEventSchema.parse(e);
  return {
    fence,
    claimed: store.cluster!.claimAttempt({ runId: 'r', fence, node, events: (previousNode) => [event({ type: 'task_claimed', taskId: 'a', attempt, node, claim: job.retryCount, ...(previousNode ? { previousNode } : {}) })] }),
    finish: () => store.attemptWriter('r', fence).appendMany([{ type: 'attempt_finished', taskId: 'a', attempt, node, outcome: { kind: 'no_changes', summary: `by ${node}` } }]),
    note: () => store.attemptWriter('r', fence).appendMany([{ type: 'task_event', taskId: 'a', attempt, kind: 'message', detail: node }]),
  };
}

describe.skipIf(unavailable !== undefined)('fencing task attempts on worker nodes', () => {
  it('refuses every write of a node whose lease lapsed, before and after another node takes the job; takes the live node’s result once', async () => {
    await dispatch(1);
    const first = await take();
    const nodeA = claim(first, 1, 'node-a');
    expect((await nodeA.claimed).kind).toBe('claimed');
    await nodeA.note();

    // Node A goes quiet: the queue fails its job over (as a missed heartbeat does).
    await queue.boss.fail(TASK_QUEUE, first, { message: 'heartbeat missed' });
    // Nobody has taken it again yet: A's late result is refused all the same.
    await expect(nodeA.finish()).rejects.toThrow(AttemptFencedError);

    const second = await take();
    expect(second.retryCount).toBe(first.retryCount + 1);
    const nodeB = claim(second, 1, 'node-b');
    const claimedB = await nodeB.claimed;
    expect(claimedB.kind).toBe('claimed');
    expect(claimedB.kind === 'claimed' && claimedB.stored[0]).toMatchObject({ type: 'task_claimed', node: 'node-b', previousNode: 'node-a' });
    await expect(nodeA.note()).rejects.toThrow(AttemptFencedError);
    await expect(nodeA.finish()).rejects.toThrow(AttemptFencedError);
    await nodeB.finish();
    // Once finished, the attempt takes nothing more, not even from its own node.
    await expect(nodeB.finish()).rejects.toThrow(AttemptFencedError);

    const finished = (await store.events('r')).filter((e) => e.type === 'attempt_finished');
    expect(finished.map((e) => e.type === 'attempt_finished' && e.node)).toEqual(['node-b']);
    // A third delivery of a finished attempt's job is told so and does nothing.
    expect((await claim({ id: second.id, retryCount: second.retryCount + 1 }, 1, 'node-c').claimed).kind).toBe('finished');
  });

  it('supersedes a live attempt when the orchestrator starts a newer one: the older node records nothing more', async () => {
    await dispatch(2);
    const job = await take();
    const old = claim(job, 2, 'node-a');
    expect((await old.claimed).kind).toBe('claimed');
    await dispatch(3);
    await expect(old.note()).rejects.toThrow(AttemptFencedError);
    await expect(old.finish()).rejects.toThrow(AttemptFencedError);
    const newer = claim(await take(), 3, 'node-b');
    expect((await newer.claimed).kind).toBe('claimed');
    await newer.finish();
    // A node that only now gets the superseded attempt's job (a retry) is told it is not live.
    expect((await claim({ id: job.id, retryCount: job.retryCount }, 2, 'node-c').claimed).kind).toBe('superseded');
    const attempts = (await store.events('r')).filter((e) => e.type === 'attempt_finished').map((e) => e.type === 'attempt_finished' && [e.attempt, e.node]);
    expect(attempts).toEqual([
      [1, 'node-b'],
      [3, 'node-b'],
    ]);
  });
});
