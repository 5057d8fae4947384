// GitHub's rate limits as its documentation describes them: a 403 or 429 with `retry-after`
// (secondary limits) or with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (the primary
// limit). Short waits are waited out; long ones become an error that says when to try again.
import type { HttpFailure } from './github-errors.ts';

/** Milliseconds until GitHub takes requests again, or undefined when the failure is not a rate limit. */
export function rateLimitDelayMs(failure: HttpFailure, nowMs: number): number | undefined {
  if (failure.status !== 403 && failure.status !== 429) return undefined;
  const retryAfter = Number(failure.headers['retry-after']);
  if (failure.headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  if (String(failure.headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(failure.headers['x-ratelimit-reset']);
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - nowMs) : 60_000;
  }
  // GitHub also signals secondary limits by message alone; its advice is to wait a minute.
  if (/secondary rate limit|rate limit exceeded/i.test(failure.message)) return 60_000;
  return undefined;
}
