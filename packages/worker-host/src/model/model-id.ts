// Model ids as users write them, `provider:model`, and what a call costs.
import type { ModelUsage } from './model-client.ts';

export const PROVIDERS = ['anthropic', 'openai', 'openai-compatible', 'scripted'] as const;
export type Provider = (typeof PROVIDERS)[number];

export class ModelIdError extends Error {
  override name = 'ModelIdError';
}

export function parseModelId(id: string): { provider: Provider; model: string } {
  const colon = id.indexOf(':');
  const provider = id.slice(0, colon) as Provider;
  const model = id.slice(colon + 1);
  if (colon <= 0 || model === '' || !PROVIDERS.includes(provider)) {
    throw new ModelIdError(`model id "${id}" must be provider:model with provider one of ${PROVIDERS.join(', ')} (e.g. anthropic:claude-opus-4-6, scripted:path/to/script.yaml)`);
  }
  return { provider, model };
}

/** US dollars per million tokens. */
export interface Price {
  input: number;
  output: number;
  cacheRead?: number | undefined;
  cacheWrite?: number | undefined;
}

/** List prices at the time of writing; override any of them in baton.config.json. */
export const DEFAULT_PRICES: Readonly<Record<string, Price>> = {
  'anthropic:claude-opus-4-6': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'anthropic:claude-sonnet-4-6': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic:claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'openai:gpt-5.3-codex': { input: 1.25, output: 10, cacheRead: 0.125 },
  'openai:gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025 },
};

/** Cost of one call; scripted and unknown models cost 0 (unknown ones are reported by the caller). */
export function costUsd(modelId: string, usage: ModelUsage, prices: Readonly<Record<string, Price>> = DEFAULT_PRICES): number {
  if (modelId.startsWith('scripted:')) return 0;
  const price = prices[modelId];
  if (!price) return 0;
  const uncachedInput = Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens);
  return (
    (uncachedInput * price.input +
      usage.outputTokens * price.output +
      usage.cacheReadTokens * (price.cacheRead ?? price.input) +
      usage.cacheWriteTokens * (price.cacheWrite ?? price.input)) /
    1_000_000
  );
}
