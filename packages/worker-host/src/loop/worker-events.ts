// What a worker reports while it runs: one tagged event per model call, tool call and result,
// and its outcome. The orchestrator records them with the task; `baton worker --json` prints them.
import type { ModelUsage, StopReason } from '../model/model-client.ts';
import type { BudgetLimit } from './budget.ts';

export type WorkerEvent =
  | { type: 'model_call'; model: string; scripted: boolean; usage: ModelUsage; costUsd: number; durationMs: number; stopReason: StopReason; text: string }
  | { type: 'tool_call'; id: string; name: string; argsSummary: string }
  | { type: 'tool_result'; id: string; name: string; isError: boolean; summary: string; durationMs: number }
  | { type: 'context_trimmed'; removedMessages: number }
  /** scope 'worker': this worker's own limit; 'run': the run's shared budget (see run-budget.ts). */
  | { type: 'budget_exhausted'; limit: BudgetLimit; scope: 'worker' | 'run' }
  | { type: 'outcome'; outcome: WorkerOutcome['kind'] };

export type WorkerOutcome =
  | { kind: 'completed'; summary: string; usage: ModelUsage; costUsd: number; turns: number }
  | { kind: 'budget_exhausted'; which: BudgetLimit; scope: 'worker' | 'run'; usage: ModelUsage; costUsd: number; turns: number }
  | { kind: 'failed'; error: string; fault: 'model' | 'provider' | 'tools' | 'baton'; usage: ModelUsage; costUsd: number; turns: number }
  | { kind: 'cancelled'; usage: ModelUsage; costUsd: number; turns: number };
