import { describe, expect, it } from 'vitest';
import { emptyDecisionLog } from '../decisions/decision-log.ts';
import { decisionChangeFromArgs, renderDecisions } from './decisions-command.ts';
import { createStyle } from './style.ts';

const flags = { by: 'ann' };

describe('baton decisions arguments', () => {
  it('reads add, edit and remove, joining unquoted words', () => {
    expect(decisionChangeFromArgs('add', ['Dates', 'are', 'UTC'], flags)).toEqual({ action: 'add', text: 'Dates are UTC', source: 'human', by: 'ann' });
    expect(decisionChangeFromArgs('edit', ['d4', 'Dates are ISO 8601'], flags)).toEqual({ action: 'edit', id: 4, text: 'Dates are ISO 8601', source: 'human', by: 'ann' });
    expect(decisionChangeFromArgs('remove', ['4'], { ...flags, reason: 'superseded' })).toEqual({ action: 'remove', id: 4, reason: 'superseded', source: 'human', by: 'ann' });
  });

  it('says what is missing', () => {
    expect(() => decisionChangeFromArgs('add', [], flags)).toThrow('say what was decided: baton decisions <run> add "<text>"');
    expect(() => decisionChangeFromArgs('edit', [], flags)).toThrow('name the decision to edit: baton decisions <run> edit D3 "<new text>"');
    expect(() => decisionChangeFromArgs('remove', [], flags)).toThrow('name the decision to remove: baton decisions <run> remove D3');
    expect(() => decisionChangeFromArgs('remove', ['D2', 'because', 'old'], flags)).toThrow('remove takes only the decision\'s id; say why with --reason "because old"');
  });

  it('lists entries with where they came from, and entries a full log refused', () => {
    const log = emptyDecisionLog();
    log.entries.push({ id: 2, seq: 9, text: 'toCsv(rows) is the entry point', source: 'reviewer', by: 'reviewer', taskId: 'csv', at: '' });
    log.refused.push({ id: 3, seq: 10, text: 'late', source: 'human', by: 'bob', at: '' });
    expect(renderDecisions('r', log, createStyle(false))).toBe(
      'decisions of run r (1 of at most 20; every later brief carries them):\n  D2  toCsv(rows) is the entry point  (reviewer, with csv)\nnot logged, the log was full: D3 late',
    );
  });
});
