// Turns `provider:model` ids from flags or baton.config.json into model clients, and adapts a
// client to the planner's and reviewer's narrower interface.
import { costUsd, createModelClient, DEFAULT_PRICES, idleTimeoutFromEnv, ModelIdError, ScriptError, type ModelClient, type ModelUsage, type Price } from '@baton/worker-host';
import { UsageError } from '@baton/mcp-tools';
import type { PlannerModel } from '../plan/planner-model.ts';

/**
 * Live models read their keys from the environment (ANTHROPIC_API_KEY, OPENAI_API_KEY,
 * OPENAI_BASE_URL). The stream idle timeout is BATON_MODEL_IDLE_TIMEOUT_SECONDS when set, else
 * `idleTimeoutSeconds` (baton.config.json's models.streamIdleTimeoutSeconds), else 120 s.
 */
export async function resolveModel(id: string, options: { cwd: string; idleTimeoutSeconds?: number | undefined }): Promise<ModelClient> {
  try {
    const idleTimeoutMs = idleTimeoutFromEnv(process.env) ?? (options.idleTimeoutSeconds !== undefined ? Math.round(options.idleTimeoutSeconds * 1000) : undefined);
    return await createModelClient(id, { env: process.env, cwd: options.cwd, idleTimeoutMs });
  } catch (error) {
    if (error instanceof ModelIdError || error instanceof ScriptError) throw new UsageError(error.message);
    throw error;
  }
}

/** The planner and reviewer ask for one structured answer through a tool call. */
export function asPlannerModel(client: ModelClient): PlannerModel {
  return {
    async complete(request) {
      const turn = await client.complete({
        system: request.system,
        messages: request.messages.map((m) => (m.role === 'user' ? { role: 'user' as const, content: m.content } : { role: 'assistant' as const, text: m.content, toolCalls: [] })),
        tools: request.tools,
        maxOutputTokens: request.maxOutputTokens,
      });
      return { text: turn.text, stopReason: turn.stopReason, usage: turn.usage, toolCalls: turn.toolCalls.map((c) => ({ id: c.id, name: c.name, input: c.arguments })) };
    },
  };
}

/** Cost of a call at the built-in list prices, with any from baton.config.json taking precedence. */
export function costOf(client: ModelClient, usage: ModelUsage, overrides: Readonly<Record<string, Price>> = {}): number {
  return costUsd(`${client.provider}:${client.model}`, usage, { ...DEFAULT_PRICES, ...overrides });
}
