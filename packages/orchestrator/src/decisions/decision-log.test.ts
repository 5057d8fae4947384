import { describe, expect, it } from 'vitest';
import { RunEventSchema, type RunEventInput } from '../store/run-event.ts';
import { reduceRunEvents } from '../store/run-state.ts';
import { MAX_DECISIONS } from './decision-events.ts';

const created: RunEventInput = { type: 'run_created', ticket: 't', workflow: 'feature', baseCommit: 'abc', maxWorkers: 1 };
const logOf = (...events: RunEventInput[]) => reduceRunEvents([created, ...events].map((e, i) => ({ ...RunEventSchema.parse(e), runId: 'r', seq: i + 1, at: `2026-01-01T00:00:0${i % 10}Z` }))).decisions;
const add = (text: string, source: 'planner' | 'reviewer' | 'human' = 'human') => ({ type: 'decision_logged' as const, text, source, by: source === 'human' ? 'ann' : `scripted:${source}` });

describe('the decisions log derived from events', () => {
  it('numbers entries in log order, applies edits and removals, and never reuses an id', () => {
    const log = logOf(
      { ...add('Use ISO dates', 'planner'), planVersion: 1 },
      add('No new dependencies'),
      { type: 'decision_edited', decisionId: 1, text: 'Use ISO 8601 dates in UTC', source: 'human', by: 'bob' },
      { type: 'decision_removed', decisionId: 2, source: 'human', by: 'bob', reason: 'obsolete' },
      { ...add('toCsv(rows) is the entry point', 'reviewer'), taskId: 'csv' },
      // An edit of a removed entry changes nothing.
      { type: 'decision_edited', decisionId: 2, text: 'back from the dead', source: 'human', by: 'eve' },
    );
    expect(log.entries.map((e) => [e.id, e.text, e.source])).toEqual([
      [1, 'Use ISO 8601 dates in UTC', 'planner'],
      [3, 'toCsv(rows) is the entry point', 'reviewer'],
    ]);
    expect(log.entries[0]).toMatchObject({ by: 'scripted:planner', planVersion: 1, seq: 2, edited: { by: 'bob', source: 'human' } });
    expect(log.entries[1]).toMatchObject({ taskId: 'csv' });
    expect(log.lastId).toBe(3);
  });

  it('refuses an entry logged while the log was full (two writers at once), keeping it for the record', () => {
    const full = Array.from({ length: MAX_DECISIONS }, (_, i) => add(`d${i + 1}`));
    const log = logOf(...full, add('one too many'), { type: 'decision_removed', decisionId: 1, source: 'human', by: 'ann' }, add('fits again'));
    expect(log.entries).toHaveLength(MAX_DECISIONS);
    expect(log.refused.map((e) => [e.id, e.text])).toEqual([[MAX_DECISIONS + 1, 'one too many']]);
    expect(log.entries.at(-1)).toMatchObject({ id: MAX_DECISIONS + 2, text: 'fits again' });
  });

  it('keeps text that is not one short line out of the event log', () => {
    expect(() => RunEventSchema.parse(add('two\nlines'))).toThrow(/one line of text/);
    expect(() => RunEventSchema.parse(add('x'.repeat(301)))).toThrow(/at most 300 characters/);
  });
});
