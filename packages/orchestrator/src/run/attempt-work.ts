// What doing a task attempt produced, before the review gate judges it: the worker's ending,
// the commit of its changes (with the task's tests run on it), or nothing. Plain JSON, because
// on a worker node it travels through the store to the orchestrator that reviews and merges.
import { z } from 'zod';

export const ChangedFileSchema = z.object({
  path: z.string(),
  from: z.string().optional(),
  status: z.enum(['added', 'modified', 'deleted', 'renamed', 'copied', 'type_changed']),
});

export const SuiteResultSchema = z.object({ suite: z.string(), passed: z.boolean(), summary: z.string(), durationMs: z.number().min(0) });

export const AttemptWorkSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cancelled') }),
  /** The worker stopped without finishing (its fault or its model's). */
  z.object({ kind: z.literal('worker_failed'), error: z.string() }),
  /** scope 'worker': the task's own limit ran out; 'run': the run's shared budget is spent. */
  z.object({ kind: z.literal('budget_exhausted'), which: z.string(), scope: z.enum(['worker', 'run']) }),
  /** A read-only task finished and changed nothing: its summary is the result. */
  z.object({ kind: z.literal('reported'), summary: z.string() }),
  /** A read-only task changed files anyway. */
  z.object({ kind: z.literal('read_only_changed'), files: z.array(z.string()) }),
  z.object({ kind: z.literal('no_changes'), summary: z.string() }),
  z.object({
    kind: z.literal('committed'),
    summary: z.string(),
    /** The commit of the worker's changes, on top of `fromCommit`. */
    commit: z.string(),
    fromCommit: z.string(),
    changed: z.array(ChangedFileSchema),
    diff: z.string(),
    /** The task's tests on the commit; absent when the scope check already failed, so they were not run. */
    tests: z.array(SuiteResultSchema).optional(),
    /** Where a worker node pushed the commit on the run's git remote. */
    remoteRef: z.string().optional(),
  }),
]);

export type AttemptWork = z.infer<typeof AttemptWorkSchema>;
