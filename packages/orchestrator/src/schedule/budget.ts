// Run-wide budgets: tokens, money and wall time, checked before any task starts. (Each model
// call is held to them as well, by the shared run budget of @baton/worker-host.)
import type { RunBudgets } from '../store/run-event.ts';

export type BudgetResource = 'tokens' | 'usd' | 'wall';

export interface BudgetStatus {
  /** Resources at or over their limit: nothing new may start. */
  exhausted: BudgetResource[];
  /** Resources past the warning fraction of their limit. */
  warnings: BudgetResource[];
  used: { tokens: number; usd: number; wallSeconds: number };
  remaining: { tokens?: number; usd?: number; wallSeconds?: number };
}

export function checkBudget(input: {
  budgets: RunBudgets;
  usage: { totalTokens: number; costUsd: number };
  /** Start of this process's work on the run and now, in ms since the epoch. */
  startedAt: number;
  now: number;
  /** Wall time the run used before startedAt (earlier working stretches, see wallTimeUsedMs). */
  priorWallMs?: number;
  /** Fraction of a limit at which a warning is raised (default 0.8). */
  warnAt?: number;
}): BudgetStatus {
  const warnAt = input.warnAt ?? 0.8;
  const used = { tokens: input.usage.totalTokens, usd: input.usage.costUsd, wallSeconds: ((input.priorWallMs ?? 0) + Math.max(0, input.now - input.startedAt)) / 1000 };
  const status: BudgetStatus = { exhausted: [], warnings: [], used, remaining: {} };
  const check = (resource: BudgetResource, value: number, limit: number | undefined, key: 'tokens' | 'usd' | 'wallSeconds'): void => {
    if (limit === undefined) return;
    status.remaining[key] = Math.max(0, limit - value);
    if (value >= limit) status.exhausted.push(resource);
    else if (value >= limit * warnAt) status.warnings.push(resource);
  };
  check('tokens', used.tokens, input.budgets.tokens, 'tokens');
  check('usd', used.usd, input.budgets.usd, 'usd');
  check('wall', used.wallSeconds, input.budgets.wallSeconds, 'wallSeconds');
  return status;
}
