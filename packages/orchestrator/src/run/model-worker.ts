// The engine's worker: a worker-host agent loop connected over Streamable HTTP to a tool host
// at the task's workspace, holding only the task's grant. Its model calls and tool calls are
// recorded as task events.
import { connectTools, roleFor, rolePrompt, runWorker, type ModelClient, type ModelUsage, type WorkerBudget } from '@baton/worker-host';
import type { Task } from '../plan/plan-schema.ts';
import type { WorkerPort, WorkerResult } from './engine-ports.ts';
import { openTaskToolSession } from './task-tool-session.ts';

export interface ModelWorkerOptions {
  /** The model for a task (by role); the same client may serve every task. */
  modelFor: (task: Task) => ModelClient;
  budget: WorkerBudget;
  testCommands: Readonly<Record<string, string>>;
  protectedPaths: readonly string[];
  costOf: (model: ModelClient, usage: ModelUsage) => number;
  testTimeoutSeconds?: number;
}

export function modelWorker(options: ModelWorkerOptions): WorkerPort {
  return {
    async run({ task, attempt, brief, workspace, emit, signal }): Promise<WorkerResult> {
      const model = options.modelFor(task);
      const label = `${model.provider}:${model.model}`;
      const session = await openTaskToolSession({
        task,
        attempt,
        emit,
        root: workspace.dir,
        testCommands: options.testCommands,
        protectedPaths: options.protectedPaths,
        ...(options.testTimeoutSeconds !== undefined ? { testTimeoutSeconds: options.testTimeoutSeconds } : {}),
      });
      try {
        const tools = await connectTools({ kind: 'http', url: session.url, token: session.token });
        try {
          const outcome = await runWorker({
            model,
            tools,
            system: rolePrompt(roleFor(task.role === 'worker' ? task.type : task.role)),
            brief,
            budget: options.budget,
            signal,
            costOf: (usage) => options.costOf(model, usage),
            onEvent: (event) => {
              if (event.type === 'model_call') {
                emit({
                  type: 'task_event',
                  taskId: task.id,
                  attempt,
                  kind: 'model_call',
                  model: label,
                  usage: event.usage,
                  costUsd: event.costUsd,
                  durationMs: event.durationMs,
                  ...(event.text ? { detail: event.text.slice(0, 4000) } : {}),
                });
              }
            },
          });
          switch (outcome.kind) {
            case 'completed':
              return { kind: 'completed', summary: outcome.summary || '(the worker gave no summary)' };
            case 'budget_exhausted':
              return { kind: 'budget_exhausted', which: outcome.which, scope: outcome.scope };
            case 'failed':
              return { kind: 'failed', error: `${outcome.error} (${outcome.fault})` };
            case 'cancelled':
              return { kind: 'cancelled' };
          }
        } finally {
          await tools.close();
        }
      } finally {
        await session.close();
      }
    },
  };
}
