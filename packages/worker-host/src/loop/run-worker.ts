// The agent loop: ask the model, run the tools it calls through the worker's grant, feed the
// results back, until it answers without tool calls or a budget ends it. Small on purpose.
import { emptyUsage, modelLabel, type ChatMessage, type ModelClient, type ModelUsage, type ToolResult, type ToolSpec } from '../model/model-client.ts';
import { addUsage, exhaustedLimit, newSpent, type WorkerBudget } from './budget.ts';
import { RunBudgetExhaustedError } from './run-budget.ts';
import { clipToolOutput, trimConversation } from './context.ts';
import type { WorkerEvent, WorkerOutcome } from './worker-events.ts';

/** The worker's tools: exactly what its grant allows, however they are reached (MCP over HTTP or stdio). */
export interface WorkerTools {
  specs: ToolSpec[];
  call(name: string, args: unknown, signal: AbortSignal): Promise<{ content: string; isError: boolean }>;
}

export interface RunWorkerOptions {
  model: ModelClient;
  tools: WorkerTools;
  /** The role's instructions (system prompt). */
  system: string;
  brief: string;
  /** This worker's own limits, checked before every model call. */
  budget: WorkerBudget;
  signal?: AbortSignal;
  onEvent?: (event: WorkerEvent) => void;
  costOf?: (usage: ModelUsage) => number;
  maxOutputTokens?: number;
  /** Conversation size (approximate tokens) above which the oldest exchanges are dropped. */
  contextTokens?: number;
  now?: () => number;
}

export async function runWorker(options: RunWorkerOptions): Promise<WorkerOutcome> {
  const { model, tools, budget } = options;
  const signal = options.signal ?? new AbortController().signal;
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => {});
  const spent = newSpent(now());
  const usage = emptyUsage();
  const messages: ChatMessage[] = [{ role: 'user', content: options.brief }];
  const known = new Set(tools.specs.map((t) => t.name));
  const totals = () => ({ usage: { ...usage }, costUsd: spent.costUsd, turns: spent.turns });
  const finish = (outcome: WorkerOutcome): WorkerOutcome => (emit({ type: 'outcome', outcome: outcome.kind }), outcome);

  for (;;) {
    if (signal.aborted) return finish({ kind: 'cancelled', ...totals() });
    const limit = exhaustedLimit(budget, spent, now());
    if (limit) {
      emit({ type: 'budget_exhausted', limit, scope: 'worker' });
      return finish({ kind: 'budget_exhausted', which: limit, scope: 'worker', ...totals() });
    }
    const removed = trimConversation(messages, options.contextTokens ?? 150_000);
    if (removed > 0) emit({ type: 'context_trimmed', removedMessages: removed });

    const started = now();
    let turn;
    try {
      turn = await model.complete({ system: options.system, messages, tools: tools.specs, maxOutputTokens: options.maxOutputTokens ?? 8_000, signal });
    } catch (error) {
      if (signal.aborted) return finish({ kind: 'cancelled', ...totals() });
      // The model was wrapped in the run's shared budget (budgetedModel) and it refused the call.
      if (error instanceof RunBudgetExhaustedError) {
        emit({ type: 'budget_exhausted', limit: error.resource, scope: 'run' });
        return finish({ kind: 'budget_exhausted', which: error.resource, scope: 'run', ...totals() });
      }
      return finish({ kind: 'failed', error: error instanceof Error ? error.message : String(error), fault: model.scripted ? 'model' : 'provider', ...totals() });
    }
    const cost = options.costOf?.(turn.usage) ?? 0;
    addUsage(spent, turn.usage, cost);
    for (const key of ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const) usage[key] += turn.usage[key];
    emit({ type: 'model_call', model: modelLabel(model), scripted: model.scripted, usage: turn.usage, costUsd: cost, durationMs: now() - started, stopReason: turn.stopReason, text: turn.text });
    messages.push({ role: 'assistant', text: turn.text, toolCalls: turn.toolCalls, ...(turn.providerState !== undefined ? { providerState: turn.providerState } : {}) });

    if (turn.toolCalls.length === 0) {
      if (turn.stopReason === 'max_tokens') {
        messages.push({ role: 'user', content: 'Your answer was cut off at the output limit. Continue, more briefly.' });
        continue;
      }
      return finish({ kind: 'completed', summary: turn.text.trim(), ...totals() });
    }

    const results: ToolResult[] = [];
    for (const call of turn.toolCalls) {
      if (signal.aborted) return finish({ kind: 'cancelled', ...totals() });
      spent.toolCalls += 1;
      emit({ type: 'tool_call', id: call.id, name: call.name, argsSummary: JSON.stringify(call.arguments ?? {}).slice(0, 300) });
      const callStarted = now();
      const result = await runOne(call, known, tools, signal);
      results.push({ callId: call.id, content: clipToolOutput(result.content), isError: result.isError });
      emit({ type: 'tool_result', id: call.id, name: call.name, isError: result.isError, summary: result.content.split('\n')[0]!.slice(0, 200), durationMs: now() - callStarted });
    }
    messages.push({ role: 'tool', results });
  }
}

async function runOne(call: { name: string; arguments: unknown; invalidArguments?: string }, known: ReadonlySet<string>, tools: WorkerTools, signal: AbortSignal): Promise<{ content: string; isError: boolean }> {
  if (call.invalidArguments !== undefined) {
    return { content: `The arguments of your ${call.name} call were not valid JSON (${call.invalidArguments}). Send the call again with a JSON object.`, isError: true };
  }
  if (!known.has(call.name)) {
    return { content: `There is no tool named ${call.name}. Your tools are: ${[...known].join(', ')}.`, isError: true };
  }
  try {
    return await tools.call(call.name, call.arguments ?? {}, signal);
  } catch (error) {
    return { content: `The ${call.name} call failed before it ran: ${error instanceof Error ? error.message : String(error)}. Check the arguments against the tool's schema.`, isError: true };
  }
}
