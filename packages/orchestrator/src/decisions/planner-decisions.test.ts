import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePlan } from '../plan/make-task.ts';
import { openRunStore } from '../store/open-store.ts';
import type { RunStore } from '../store/run-store.ts';
import { orphanedPlannerDecisionEvents, plannerDecisionEvents } from './planner-decisions.ts';

let store: RunStore;
beforeEach(() => {
  store = openRunStore({ path: ':memory:' });
});
afterEach(async () => {
  await store.close();
});

describe("the planner's decisions", () => {
  it('name the plan version they come with, and are removed when a killed planning never stored it', async () => {
    const writer = await store.createRun({ runId: 'r', ticket: 't', workflow: 'feature', baseCommit: 'abc', maxWorkers: 1 });
    await writer.append({ type: 'decision_logged', text: 'from a person', source: 'human', by: 'ann' });
    // A planning logs its decisions for v1, then dies before the plan is stored.
    await writer.appendMany(plannerDecisionEvents({ state: await store.state('r'), decisions: ['Use toCsv()'], by: 'scripted:planner' }));
    expect((await store.state('r')).decisions.entries.at(-1)).toMatchObject({ id: 2, source: 'planner', planVersion: 1 });
    const orphans = orphanedPlannerDecisionEvents(await store.state('r'));
    expect(orphans).toEqual([expect.objectContaining({ type: 'decision_removed', decisionId: 2, source: 'planner', by: 'baton' })]);
    await writer.appendMany(orphans);
    // Planning again logs its own, with the plan this time.
    await writer.appendMany(plannerDecisionEvents({ state: await store.state('r'), decisions: ['Use toCsv()'], by: 'scripted:planner' }));
    await writer.proposePlan({ plan: makePlan([{ id: 'a' }]), source: 'proposed' });
    const state = await store.state('r');
    expect(state.decisions.entries.map((e) => [e.id, e.text])).toEqual([[1, 'from a person'], [3, 'Use toCsv()']]);
    expect(orphanedPlannerDecisionEvents(state)).toEqual([]);
  });
});
