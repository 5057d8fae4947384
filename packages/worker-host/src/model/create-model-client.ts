// `provider:model` → a client, with keys read only from the environment passed in (never from
// process.env), the model's price attached, and our bounded retries around every live adapter.
import { basename, resolve } from 'node:path';
import { anthropicClient } from './anthropic-client.ts';
import { idleTimeoutFromEnv } from './idle-timeout.ts';
import type { ModelClient } from './model-client.ts';
import { ModelIdError, parseModelId, priceFor, type Price } from './model-id.ts';
import { openAIChatClient } from './openai-chat-client.ts';
import { openAIResponsesClient } from './openai-responses-client.ts';
import { loadScript, scriptedClient } from './scripted-client.ts';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './with-retries.ts';

export interface CreateModelOptions {
  /** Where API keys and base URLs come from: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID. */
  env: Readonly<Record<string, string | undefined>>;
  /** Price overrides (baton.config.json) over DEFAULT_PRICES. */
  prices?: Readonly<Record<string, Price>> | undefined;
  /** Overrides the base URL from the environment (e.g. a fake provider in tests). */
  baseUrl?: string | undefined;
  /** Resolves relative script paths (scripted:<file>); defaults to the process's working directory. */
  cwd?: string | undefined;
  retry?: RetryPolicy | undefined;
  /** Until response headers arrive. */
  timeoutMs?: number | undefined;
  /** Longest silence allowed mid-stream; default: BATON_MODEL_IDLE_TIMEOUT_SECONDS from `env`, else 120 s. */
  idleTimeoutMs?: number | undefined;
}

export async function createModelClient(id: string, options: CreateModelOptions): Promise<ModelClient> {
  const { provider, model } = parseModelId(id);
  const retry = options.retry ?? DEFAULT_RETRY;
  const { env } = options;
  const timeouts = { timeoutMs: options.timeoutMs, idleTimeoutMs: options.idleTimeoutMs ?? idleTimeoutFromEnv(env) };
  const priced = (client: ModelClient): ModelClient => {
    const price = priceFor(id, options.prices);
    return withRetries(price ? { ...client, price } : client, retry);
  };
  switch (provider) {
    case 'scripted': {
      const file = resolve(options.cwd ?? process.cwd(), model);
      return scriptedClient(await loadScript(file), { label: basename(file) });
    }
    case 'anthropic':
      return priced(anthropicClient({ model, apiKey: need(env, 'ANTHROPIC_API_KEY', id), baseURL: options.baseUrl ?? nonEmpty(env['ANTHROPIC_BASE_URL']), ...timeouts }));
    case 'openai':
      return priced(openAIResponsesClient({ model, apiKey: need(env, 'OPENAI_API_KEY', id), baseURL: options.baseUrl ?? nonEmpty(env['OPENAI_BASE_URL']), organization: nonEmpty(env['OPENAI_ORG_ID']), project: nonEmpty(env['OPENAI_PROJECT_ID']), ...timeouts }));
    case 'openai-compatible': {
      const baseURL = options.baseUrl ?? nonEmpty(env['OPENAI_BASE_URL']);
      if (!baseURL) throw new ModelIdError(`${id} needs OPENAI_BASE_URL in the environment, the server's OpenAI-compatible endpoint (e.g. http://127.0.0.1:11434/v1 for Ollama)`);
      // Local servers usually take no key; the SDK insists on one.
      return priced(openAIChatClient({ model, apiKey: nonEmpty(env['OPENAI_API_KEY']) ?? 'not-needed', baseURL, ...timeouts }));
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function need(env: CreateModelOptions['env'], key: string, id: string): string {
  const value = nonEmpty(env[key]);
  if (!value) throw new ModelIdError(`${id} needs ${key} in the environment`);
  return value;
}
