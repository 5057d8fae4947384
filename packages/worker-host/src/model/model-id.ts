// Model ids as users write them, `provider:model`, and what a call costs.
import type { ModelUsage } from './model-client.ts';

export const PROVIDERS = ['anthropic', 'openai', 'openai-compatible', 'scripted'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** A model id or its configuration (key, base URL) is wrong: the user's configuration is at fault. */
export class ModelIdError extends Error {
  override name = 'ModelIdError';
  readonly fault = 'config';
}

export function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}

export function parseModelId(id: string): { provider: Provider; model: string } {
  const colon = id.indexOf(':');
  const provider = id.slice(0, colon);
  const model = id.slice(colon + 1).trim();
  if (colon <= 0 || model === '' || !isProvider(provider)) {
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

/**
 * The price of a model: `prices` (e.g. from baton.config.json) over the defaults; an exact id
 * first, else the longest listed id it extends with `-` or `@` (a dated snapshot such as
 * `anthropic:claude-haiku-4-5-20251001` costs what `anthropic:claude-haiku-4-5` costs).
 */
export function priceFor(modelId: string, prices: Readonly<Record<string, Price>> = {}): Price | undefined {
  for (const table of [prices, DEFAULT_PRICES]) {
    const exact = table[modelId];
    if (exact) return exact;
    const base = Object.keys(table)
      .filter((id) => modelId.startsWith(`${id}-`) || modelId.startsWith(`${id}@`))
      .sort((a, b) => b.length - a.length)[0];
    if (base !== undefined) return table[base];
  }
  return undefined;
}

/**
 * Cost in US dollars of one call. `inputTokens` counts all input, cached included; cached reads
 * and writes are charged at their own prices when the model has them. Scripted models cost 0;
 * so do models without a price (local ones, or unknown: callers can check with priceFor).
 */
export function costUsd(modelId: string, usage: ModelUsage, prices: Readonly<Record<string, Price>> = {}): number {
  if (modelId.startsWith('scripted:')) return 0;
  const price = priceFor(modelId, prices);
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
