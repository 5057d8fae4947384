// Checks of each configured model: one tiny call, showing the tokens it cost, and whether its
// price is known (without one, costs and cost budgets cannot be counted).
import {
  AgentCliMissingError,
  costUsd,
  createModelClient,
  DEFAULT_PRICES,
  describeAgentCli,
  isAgentCliId,
  isProvider,
  ModelError,
  ModelIdError,
  parseModelId,
  priceFor,
  resolveAgentCli,
  ScriptError,
  type Price,
} from '@baton/worker-host';
import type { BatonConfig } from '../config/config-schema.ts';
import type { CheckResult, DoctorCheck } from './doctor-check.ts';

export interface ModelCheckOptions {
  repo: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Longest the tiny call may take. */
  timeoutMs: number;
}

/** The distinct model ids of the config, each with the roles that use it. */
export function configuredModels(config: BatonConfig): { id: string; roles: string[] }[] {
  const byId = new Map<string, string[]>();
  const roles: [string, string | undefined][] = [['planner', config.models.planner], ['worker', config.models.worker], ['reviewer', config.models.reviewer ?? config.models.planner]];
  for (const [role, id] of roles) if (id) byId.set(id, [...(byId.get(id) ?? []), role]);
  return [...byId].map(([id, r]) => ({ id, roles: r }));
}

export function modelCheck(model: { id: string; roles: string[] }, config: BatonConfig, options: ModelCheckOptions): DoctorCheck {
  const name = `model ${model.id} (${model.roles.join(', ')})`;
  return {
    name,
    async run(): Promise<CheckResult> {
      if (isAgentCliId(model.id)) return agentCliCheck(name, model.id, options);
      let provider: string;
      try {
        provider = parseModelId(model.id).provider;
      } catch (error) {
        return { name, status: 'fail', detail: (error as Error).message, fix: 'use provider:model, e.g. anthropic:claude-haiku-4-5, openai:gpt-5-mini, openai-compatible:<model> or scripted:<file>' };
      }
      let client;
      try {
        client = await createModelClient(model.id, { env: options.env, cwd: options.repo, prices: config.prices, retry: { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0 }, timeoutMs: options.timeoutMs });
      } catch (error) {
        if (error instanceof ModelIdError || error instanceof ScriptError) return { name, status: 'fail', detail: error.message, fix: keyAdvice(provider) };
        throw error;
      }
      if (client.scripted) return { name, status: 'ok', detail: 'SCRIPTED: replays a prepared script; no model is called' };
      try {
        const turn = await client.complete({
          system: 'You are a connectivity check. Answer with one word.',
          messages: [{ role: 'user', content: 'Reply with OK.' }],
          tools: [],
          maxOutputTokens: 16,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        const price: Price | undefined = priceFor(model.id, config.prices);
        const cost = price ? costUsd(model.id, turn.usage, { ...DEFAULT_PRICES, ...config.prices }) : null;
        const usage = { inputTokens: turn.usage.inputTokens, outputTokens: turn.usage.outputTokens, costUsd: cost };
        const spent = `${usage.inputTokens} input + ${usage.outputTokens} output tokens${cost === null ? '' : `, $${cost.toFixed(6)}`}`;
        if (!price && isProvider(provider) && provider !== 'openai-compatible') {
          return { name, status: 'warn', detail: `answered (${spent}); its price is unknown`, fix: `add "prices": {"${model.id}": {"input": <USD per million>, "output": <USD per million>}} to baton.config.json so costs and cost budgets count it`, usage };
        }
        return { name, status: 'ok', detail: `answered (${spent})${price ? '' : '; no price (local model: cost counted as 0)'}`, usage };
      } catch (error) {
        if (error instanceof ModelError) return { name, status: 'fail', detail: error.message, fix: modelErrorAdvice(error, provider) };
        if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') return { name, status: 'fail', detail: `no answer within ${Math.round(options.timeoutMs / 1000)} s`, fix: 'check the network path to the provider (or the local server), or raise --model-timeout' };
        throw error;
      }
    },
  };
}

/** An agent CLI worker: its binary is found and runs, and the one credential baton would hand it is set. */
function agentCliCheck(name: string, id: string, options: ModelCheckOptions): CheckResult {
  try {
    const worker = resolveAgentCli(id, { env: options.env });
    const described = describeAgentCli(worker);
    const untested = described.includes('flags may differ');
    return { name, status: untested ? 'warn' : 'ok', detail: `${described}; not called here (the CLI calls its provider itself during a task)`, ...(untested ? { fix: 'install the version baton pins (npm run setup) or check its flags against the README' } : {}) };
  } catch (error) {
    if (error instanceof ModelIdError || error instanceof AgentCliMissingError) return { name, status: 'fail', detail: error.message, fix: 'install the package named above (npm run setup installs both agent CLIs), or point the variable named above at a binary' };
    throw error;
  }
}

function keyAdvice(provider: string): string {
  switch (provider) {
    case 'anthropic':
      return 'export ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a proxy), or choose another model in baton.config.json';
    case 'openai':
      return 'export OPENAI_API_KEY, or choose another model in baton.config.json';
    case 'openai-compatible':
      return 'export OPENAI_BASE_URL with the server\'s OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama';
    case 'scripted':
      return 'fix the script file named above (see examples/scripts/)';
    default:
      return 'check the model id in baton.config.json';
  }
}

function modelErrorAdvice(error: ModelError, provider: string): string {
  if (error.status === 401 || error.status === 403) return `the provider refused the key: ${keyAdvice(provider)}`;
  if (error.status === 404) return 'the provider does not know this model id; check the name in baton.config.json';
  if (error.status === 429) return 'the provider is rate-limiting this key; wait, or use a key with more capacity';
  return 'check the provider status and the network path to it; baton retries such errors during runs';
}
