// `provider:model` → a client, with keys read only from the environment passed in, and our
// bounded retries around every live adapter.
import { anthropicClient } from './anthropic-client.ts';
import type { ModelClient } from './model-client.ts';
import { ModelIdError, parseModelId } from './model-id.ts';
import { openAIChatClient } from './openai-chat-client.ts';
import { openAIResponsesClient } from './openai-responses-client.ts';
import { loadScript, scriptedClient } from './scripted-client.ts';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './with-retries.ts';

export interface CreateModelOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves relative script paths (scripted:<file>). */
  cwd?: string;
  retry?: RetryPolicy;
}

export async function createModelClient(id: string, options: CreateModelOptions): Promise<ModelClient> {
  const { provider, model } = parseModelId(id);
  const retry = options.retry ?? DEFAULT_RETRY;
  switch (provider) {
    case 'scripted': {
      const { resolve, basename } = await import('node:path');
      const file = resolve(options.cwd ?? process.cwd(), model);
      return scriptedClient(await loadScript(file), { label: basename(file) });
    }
    case 'anthropic':
      return withRetries(anthropicClient({ model, apiKey: need(options.env, 'ANTHROPIC_API_KEY', id), ...(options.env['ANTHROPIC_BASE_URL'] ? { baseURL: options.env['ANTHROPIC_BASE_URL'] } : {}) }), retry);
    case 'openai':
      return withRetries(openAIResponsesClient({ model, apiKey: need(options.env, 'OPENAI_API_KEY', id), ...(options.env['OPENAI_BASE_URL'] ? { baseURL: options.env['OPENAI_BASE_URL'] } : {}) }), retry);
    case 'openai-compatible': {
      const baseURL = options.env['OPENAI_BASE_URL'];
      if (!baseURL) throw new ModelIdError(`${id} needs OPENAI_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama)`);
      return withRetries(openAIChatClient({ model, apiKey: options.env['OPENAI_API_KEY'] ?? 'not-needed', baseURL }), retry);
    }
  }
}

function need(env: CreateModelOptions['env'], key: string, id: string): string {
  const value = env[key];
  if (!value) throw new ModelIdError(`${id} needs ${key} in the environment`);
  return value;
}
