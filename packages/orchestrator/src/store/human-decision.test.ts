// Humans decide while a run is live: their decisions go into the log without the run's lock,
// and nothing else does.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePlan } from '../plan/make-task.ts';
import { openRunStore, type RunStore } from './run-store.ts';

let store: RunStore;
beforeEach(() => {
  store = openRunStore({ path: ':memory:' });
});
afterEach(() => store.close());

describe('recordHumanDecision', () => {
  it('appends a decision while another writer holds the lock, and the state reflects it', () => {
    const writer = store.createRun({ runId: 'r', ticket: 't', workflow: 'feature', baseCommit: 'abc', maxWorkers: 1 });
    const version = writer.proposePlan({ plan: makePlan([{ id: 'a', needs_approval: true }]), source: 'proposed' });
    writer.approvePlan({ version: version.version });
    writer.append({ type: 'escalation_raised', escalationId: 'a-1', taskId: 'a', reason: 'why' });
    const stored = store.recordHumanDecision('r', { decision: 'retry', escalationId: 'a-1', taskId: 'a', note: 'try again' });
    expect(stored).toMatchObject({ type: 'human_decision', by: 'human', seq: 5 });
    expect(store.state('r').escalations[0]!.resolution).toMatchObject({ decision: 'retry', note: 'try again' });
    writer.append({ type: 'task_status', taskId: 'a', status: 'rework' });
    expect(store.events('r').map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects unknown runs and malformed decisions', () => {
    expect(() => store.recordHumanDecision('nope', { decision: 'approve' })).toThrow(/nope/);
    store.createRun({ runId: 'r', ticket: 't', workflow: 'feature', baseCommit: 'abc', maxWorkers: 1 });
    expect(() => store.recordHumanDecision('r', { decision: 'explode' as never })).toThrow();
  });
});
