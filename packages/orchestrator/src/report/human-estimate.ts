// Human-only estimates as people write them ("3h", "90m", "1h30m", "1.5d") and back. A day
// is 8 working hours and a week 5 days: the estimate is working time, not calendar time.
import { UsageError } from '@baton/mcp-tools';

const UNIT_SECONDS: Readonly<Record<string, number>> = { w: 5 * 8 * 3600, d: 8 * 3600, h: 3600, m: 60 };
const PART = /(\d+(?:\.\d+)?)\s*([wdhm])/gy;

/** Seconds of working time in `text`, or a usage error saying how to write it. */
export function parseEstimate(text: string): number {
  const compact = text.trim().toLowerCase();
  let seconds = 0;
  let read = 0;
  PART.lastIndex = 0;
  for (let m = PART.exec(compact); m; m = PART.exec(compact)) {
    seconds += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
    read = PART.lastIndex;
    while (compact[read] === ' ') read++;
    PART.lastIndex = read;
  }
  if (compact === '' || read !== compact.length || !(seconds > 0)) {
    throw new UsageError(`"${text}" is not an estimate; write working time with units, e.g. 3h, 90m, 1h30m or 1.5d (a day is 8 hours)`);
  }
  return Math.round(seconds);
}

/** "3h", "1h 30m", "45m": hours and minutes, as people read estimates. */
export function formatHours(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h ${m}m`;
}
