import { describe, expect, it } from 'vitest';
import { BUSY_TICKS, HangJudge } from './hang-judge.ts';

describe('HangJudge', () => {
  it('takes a server for hung after two timeouts without CPU use', () => {
    const judge = new HangJudge();
    expect(judge.timedOut(0)).toBe(false);
    expect(judge.timedOut(1)).toBe(true);
    expect(judge.timedOut(0)).toBe(false);
  });

  it('gives a busy server five timeouts, and an answer clears the count', () => {
    const judge = new HangJudge();
    for (let i = 0; i < 4; i++) expect(judge.timedOut(BUSY_TICKS * 10)).toBe(false);
    judge.answered();
    for (let i = 0; i < 4; i++) expect(judge.timedOut(BUSY_TICKS * 10)).toBe(false);
    expect(judge.timedOut(BUSY_TICKS * 10)).toBe(true);
  });
});
