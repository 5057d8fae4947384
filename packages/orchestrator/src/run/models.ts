// Turns `provider:model` ids from flags or baton.config.json into model clients, and adapts a
// client to the planner's and reviewer's narrower interface.
import { AgentCliMissingError, costUsd, createModelClient, DEFAULT_PRICES, idleTimeoutFromEnv, isAgentCliId, ModelIdError, resolveAgentCli, ScriptError, type AgentCliModel, type ModelClient, type ModelUsage, type Price } from '@baton/worker-host';
import { UsageError } from '@baton/mcp-tools';
import type { PlannerModel } from '../plan/planner-model.ts';

/** A model that cannot be set up here (a missing key, CLI or script): the user's to fix, and baton doctor's to check. */
export class ModelSetupError extends UsageError {
  override name = 'ModelSetupError';
}

/** What runs a task: a model through baton's own loop, or an agent CLI (claude-code:, codex:). */
export type WorkerModel = ModelClient | AgentCliModel;

/**
 * Live models read their keys from the environment (ANTHROPIC_API_KEY, OPENAI_API_KEY,
 * OPENAI_BASE_URL). The stream idle timeout is BATON_MODEL_IDLE_TIMEOUT_SECONDS when set, else
 * `idleTimeoutSeconds` (baton.config.json's models.streamIdleTimeoutSeconds), else 120 s.
 */
export async function resolveModel(id: string, options: { cwd: string; idleTimeoutSeconds?: number | undefined }): Promise<ModelClient> {
  if (isAgentCliId(id)) {
    throw new UsageError(`${id} can only run workers: the planner and reviewer answer through baton's own model adapters (e.g. anthropic:claude-opus-4-6, openai:gpt-5.3-codex)`);
  }
  try {
    const idleTimeoutMs = idleTimeoutFromEnv(process.env) ?? (options.idleTimeoutSeconds !== undefined ? Math.round(options.idleTimeoutSeconds * 1000) : undefined);
    return await createModelClient(id, { env: process.env, cwd: options.cwd, idleTimeoutMs });
  } catch (error) {
    if (error instanceof ModelIdError || error instanceof ScriptError) throw new ModelSetupError(error.message);
    throw error;
  }
}

/**
 * A worker: `claude-code:<model>` / `codex:<model>` checked here, before a run is created, for
 * its binary and credential; anything else is a model.
 */
export async function resolveWorker(id: string, options: { cwd: string; idleTimeoutSeconds?: number | undefined }): Promise<WorkerModel> {
  if (!isAgentCliId(id)) return resolveModel(id, options);
  try {
    return resolveAgentCli(id, { env: process.env });
  } catch (error) {
    if (error instanceof ModelIdError || error instanceof AgentCliMissingError) throw new ModelSetupError(error.message);
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
export function costOf(client: Pick<ModelClient, 'provider' | 'model'>, usage: ModelUsage, overrides: Readonly<Record<string, Price>> = {}): number {
  return costUsd(`${client.provider}:${client.model}`, usage, { ...DEFAULT_PRICES, ...overrides });
}
