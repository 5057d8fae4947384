import { describe, expect, it } from 'vitest';
import { decisionChangeEvent, DecisionLogError, decisionRoom, parseDecisionId } from './decision-change.ts';
import { MAX_DECISION_CHARS, MAX_DECISIONS } from './decision-events.ts';
import { emptyDecisionLog, type DecisionLog } from './decision-log.ts';

const human = { source: 'human' as const, by: 'ann' };
const logWith = (n: number): DecisionLog => ({
  ...emptyDecisionLog(),
  lastId: n,
  entries: Array.from({ length: n }, (_, i) => ({ id: i + 1, seq: i + 2, text: `d${i + 1}`, source: 'human' as const, by: 'ann', at: '' })),
});
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DecisionLogError);
    return (error as Error).message;
  }
  throw new Error('expected a DecisionLogError');
};

describe('decisionChangeEvent', () => {
  it('logs trimmed one-line text, with where it came from', () => {
    expect(decisionChangeEvent({ runId: 'r', log: emptyDecisionLog(), change: { action: 'add', text: '  Dates are UTC  ', source: 'reviewer', by: 'reviewer', taskId: 'scan' } })).toEqual({ type: 'decision_logged', text: 'Dates are UTC', source: 'reviewer', by: 'reviewer', taskId: 'scan' });
    expect(decisionChangeEvent({ runId: 'r', log: logWith(2), change: { action: 'edit', id: 2, text: 'new', ...human } })).toEqual({ type: 'decision_edited', decisionId: 2, text: 'new', ...human });
    expect(decisionChangeEvent({ runId: 'r', log: logWith(2), change: { action: 'remove', id: 1, reason: 'obsolete', ...human } })).toEqual({ type: 'decision_removed', decisionId: 1, reason: 'obsolete', ...human });
  });

  it('refuses empty, multi-line and overlong text, saying what to do', () => {
    expect(refusal(() => decisionChangeEvent({ runId: 'r', log: emptyDecisionLog(), change: { action: 'add', text: '   ', ...human } }))).toBe('a decision cannot be empty');
    expect(refusal(() => decisionChangeEvent({ runId: 'r', log: emptyDecisionLog(), change: { action: 'add', text: 'one\ntwo', ...human } }))).toContain('one line of text');
    expect(refusal(() => decisionChangeEvent({ runId: 'r', log: emptyDecisionLog(), change: { action: 'add', text: 'a\tb', ...human } }))).toContain('no line breaks, tabs');
    expect(refusal(() => decisionChangeEvent({ runId: 'r', log: logWith(1), change: { action: 'edit', id: 1, text: 'x'.repeat(MAX_DECISION_CHARS + 1), ...human } }))).toBe(
      `a decision is at most ${MAX_DECISION_CHARS} characters (this one has ${MAX_DECISION_CHARS + 1}); say it shorter, or split it in two`,
    );
    // Characters, not UTF-16 units: an emoji counts once.
    expect(() => decisionChangeEvent({ runId: 'r', log: emptyDecisionLog(), change: { action: 'add', text: '🙂'.repeat(MAX_DECISION_CHARS), ...human } })).not.toThrow();
  });

  it('refuses an entry past the cap, and ids the log does not hold', () => {
    expect(decisionRoom(logWith(MAX_DECISIONS - 1))).toBe(1);
    expect(refusal(() => decisionChangeEvent({ runId: 'r', log: logWith(MAX_DECISIONS), change: { action: 'add', text: 'one more', ...human } }))).toBe(
      `the decisions log of run r holds ${MAX_DECISIONS} entries, its maximum: remove one that no longer matters (baton decisions r remove <id>) or fold two into one (edit) first`,
    );
    expect(refusal(() => decisionChangeEvent({ runId: 'r', log: logWith(2), change: { action: 'remove', id: 7, ...human } }))).toBe('run r has no decision D7; its decisions are D1, D2');
    expect(refusal(() => decisionChangeEvent({ runId: 'r', log: emptyDecisionLog(), change: { action: 'edit', id: 1, text: 'x', ...human } }))).toBe('run r has no decision D1; its decisions log is empty');
  });
});

describe('parseDecisionId', () => {
  it('reads 3, D3 and d3, and nothing else', () => {
    expect([parseDecisionId('3'), parseDecisionId('D3'), parseDecisionId(' d12 ')]).toEqual([3, 3, 12]);
    for (const bad of ['0', 'D', 'x3', '-1', '3.5', '1e3', '']) expect(refusal(() => parseDecisionId(bad))).toContain('is not a decision id');
  });
});
