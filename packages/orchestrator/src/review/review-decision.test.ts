import { describe, expect, it } from 'vitest';
import { parseReviewDecision } from './review-decision.ts';

describe('parseReviewDecision', () => {
  it('reads a fenced JSON decision', () => {
    const text = 'Looks fine.\n```json\n{"decision":"accept","reasons":["matches the brief"]}\n```';
    expect(parseReviewDecision(text)).toEqual({ decision: 'accept', reasons: ['matches the brief'] });
  });

  it('reads a bare JSON object at the end, with nested braces', () => {
    const text = 'The code uses {braces}. {"decision":"rework","reasons":["no tests"],"feedback":"add a test for {empty} input"}';
    expect(parseReviewDecision(text)).toMatchObject({ decision: 'rework', feedback: 'add a test for {empty} input' });
  });

  it('escalates when no valid decision is given, never accepts by default', () => {
    expect(parseReviewDecision('I think it is good').decision).toBe('escalate');
    expect(parseReviewDecision('{"decision":"ship it","reasons":[]}').decision).toBe('escalate');
  });
});
