// People change a run's decisions log while the run is live: without its lock, like their
// answers to escalations.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRunStore } from '../store/open-store.ts';
import type { RunStore } from '../store/run-store.ts';
import { DecisionLogError } from './decision-change.ts';
import { MAX_DECISIONS } from './decision-events.ts';
import { recordDecisionChange } from './record-decision-change.ts';

let store: RunStore;
beforeEach(() => {
  store = openRunStore({ path: ':memory:' });
});
afterEach(async () => {
  await store.close();
});

const ann = { source: 'human' as const, by: 'ann' };

describe('recordDecisionChange', () => {
  it('adds, edits and removes while another process holds the run', async () => {
    const writer = await store.createRun({ runId: 'r', ticket: 't', workflow: 'feature', baseCommit: 'abc', maxWorkers: 1 });
    const added = await recordDecisionChange(store, 'r', { action: 'add', text: 'Keep the schema', ...ann });
    expect(added.entry).toMatchObject({ id: 1, text: 'Keep the schema', source: 'human', by: 'ann' });
    await writer.append({ type: 'decision_logged', text: 'From the planner', source: 'planner', by: 'scripted:p' });
    expect((await recordDecisionChange(store, 'r', { action: 'edit', id: 1, text: 'Keep the database schema', ...ann })).entry).toMatchObject({ id: 1, text: 'Keep the database schema', edited: { by: 'ann' } });
    const removed = await recordDecisionChange(store, 'r', { action: 'remove', id: 2, ...ann });
    expect(removed.entry).toBeUndefined();
    expect(removed.log.entries.map((e) => e.id)).toEqual([1]);
    expect((await store.events('r')).map((e) => e.type)).toEqual(['run_created', 'decision_logged', 'decision_logged', 'decision_edited', 'decision_removed']);
  });

  it('says so when the log filled up between its check and its append', async () => {
    const writer = await store.createRun({ runId: 'r', ticket: 't', workflow: 'feature', baseCommit: 'abc', maxWorkers: 1 });
    await writer.appendMany(Array.from({ length: MAX_DECISIONS - 1 }, (_, i) => ({ type: 'decision_logged' as const, text: `d${i}`, ...ann })));
    // Another writer gets the last place just before this one's append lands.
    const write = store.write.bind(store);
    store.write = async (runId, auth, events, plan) => {
      store.write = write;
      await writer.append({ type: 'decision_logged', text: 'the other one', source: 'reviewer', by: 'reviewer' });
      return write(runId, auth, events, plan);
    };
    await expect(recordDecisionChange(store, 'r', { action: 'add', text: 'mine', ...ann })).rejects.toThrow(/it filled up while this one was being added; it was not added/);
    expect((await store.state('r')).decisions.entries).toHaveLength(MAX_DECISIONS);
    expect((await store.state('r')).decisions.refused.map((e) => e.text)).toEqual(['mine']);
  });

  it('refuses unknown runs and bad changes before writing anything', async () => {
    await expect(recordDecisionChange(store, 'nope', { action: 'add', text: 'x', ...ann })).rejects.toThrow(/nope/);
    await store.createRun({ runId: 'r', ticket: 't', workflow: 'feature', baseCommit: 'abc', maxWorkers: 1 });
    await expect(recordDecisionChange(store, 'r', { action: 'remove', id: 1, ...ann })).rejects.toThrow(DecisionLogError);
    expect(await store.events('r')).toHaveLength(1);
  });
});
