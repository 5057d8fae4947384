// baton's exit codes, shared by the commands that run or resume work.
import type { RunOutcome } from '../run/run-engine.ts';

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** Stopped for a human: plan approval, an escalation or an approval gate. */
  waitingForHuman: 3,
  budgetExhausted: 4,
  cancelled: 130,
} as const;

export function exitCodeFor(outcome: RunOutcome): number {
  switch (outcome) {
    case 'succeeded':
      return EXIT.ok;
    case 'escalated':
      return EXIT.waitingForHuman;
    case 'budget_exhausted':
      return EXIT.budgetExhausted;
    case 'cancelled':
      return EXIT.cancelled;
    case 'failed':
      return EXIT.failed;
  }
}

export const EXIT_CODES_HELP = `
Exit codes: 0 succeeded, 1 failed, 2 usage error, 3 waiting for a human (plan approval or an
escalation: see baton escalations), 4 budget exhausted, 130 cancelled.`;
