// The `openai` SDK client both OpenAI adapters use. Everything the SDK would otherwise read
// from process.env (base URL, organization, project, admin key) is given explicitly, so keys
// and endpoints come only from the environment the caller passed to createModelClient; its own
// retries are off because withRetries does ours.
import OpenAI from 'openai';

export function openAISdk(options: { apiKey: string; baseURL?: string | undefined; organization?: string | undefined; project?: string | undefined; timeoutMs?: number | undefined }): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? 'https://api.openai.com/v1',
    organization: options.organization ?? null,
    project: options.project ?? null,
    adminAPIKey: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 600_000,
  });
}
