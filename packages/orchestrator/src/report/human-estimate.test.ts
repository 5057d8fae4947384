import { describe, expect, it } from 'vitest';
import { formatHours, parseEstimate } from './human-estimate.ts';

describe('parseEstimate', () => {
  it('reads hours, minutes, days and weeks of working time', () => {
    expect(parseEstimate('3h')).toBe(3 * 3600);
    expect(parseEstimate('90m')).toBe(90 * 60);
    expect(parseEstimate('1h30m')).toBe(5400);
    expect(parseEstimate(' 1h 30m ')).toBe(5400);
    expect(parseEstimate('1.5d')).toBe(12 * 3600);
    expect(parseEstimate('1w')).toBe(40 * 3600);
    expect(parseEstimate('2H')).toBe(7200);
  });

  it('refuses numbers without units, zero and trailing junk with a message that shows the format', () => {
    for (const bad of ['3', '', '0h', 'h', '3h and a bit', '-2h', '3 hours', '1e3h']) {
      expect(() => parseEstimate(bad), bad).toThrow(/e\.g\. 3h, 90m, 1h30m/);
    }
  });
});

describe('formatHours', () => {
  it('prints hours and minutes', () => {
    expect(formatHours(3 * 3600)).toBe('3h');
    expect(formatHours(5400)).toBe('1h 30m');
    expect(formatHours(45 * 60)).toBe('45m');
    expect(formatHours(29)).toBe('0m');
  });
});
