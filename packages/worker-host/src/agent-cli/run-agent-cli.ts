// One task run by an agent CLI instead of baton's own loop. baton writes the CLI a private home
// with its configuration, puts its meter between the CLI and the model API, starts the CLI in
// its own process group in the task's workspace with the brief on stdin, and reads what it
// says. Budgets are the native worker's, checked by the same function before every model call
// the CLI makes; a budget crossed (tokens, cost, time) or a cancelled run stops the whole group.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { addUsage, exhaustedLimit, newSpent, type BudgetLimit, type WorkerBudget } from '../loop/budget.ts';
import { RunBudgetExhaustedError, type CallPermit, type RunBudget } from '../loop/run-budget.ts';
import { emptyUsage, type ModelUsage, type StopReason } from '../model/model-client.ts';
import { AGENT_CLI_PACKAGES, type AgentCliName } from './agent-cli-id.ts';
import { baseEnvFrom, type AgentCliLaunchInput } from './agent-cli-launch.ts';
import { CLAUDE_CODE_CREDENTIALS, claudeCodeLaunch } from './claude-code-launch.ts';
import { cliOutputReader, toolsFailureOnStderr } from './cli-output.ts';
import { CODEX_CREDENTIALS, codexLaunch } from './codex-launch.ts';
import type { LocatedAgentCli } from './locate-agent-cli.ts';
import { startModelMeter, type ModelMeter } from './model-meter.ts';
import { allowedToolNames, disallowedTools, type ModelWire } from './offered-tools.ts';
import { spawnGroup, type GroupProcess } from './process-group.ts';

export type AgentCliEvent =
  | { type: 'cli_started'; cli: AgentCliName; binary: string; source: LocatedAgentCli['source']; version: string | undefined; pid: number | undefined }
  | { type: 'model_call'; model: string; usage: ModelUsage; costUsd: number; durationMs: number; stopReason: StopReason; text: string }
  /** The model called a tool the CLI does not have in baton's configuration; the CLI answered with an error. */
  | { type: 'tool_refused'; name: string }
  | { type: 'cli_notice'; detail: string }
  | { type: 'budget_exhausted'; limit: BudgetLimit; scope: 'worker' | 'run' };

interface Totals {
  usage: ModelUsage;
  costUsd: number;
  turns: number;
}

export type AgentCliOutcome =
  | ({ kind: 'completed'; summary: string } & Totals)
  /** scope 'run': the run's shared budget, not this worker's own limits, is spent. */
  | ({ kind: 'budget_exhausted'; which: BudgetLimit; scope: 'worker' | 'run' } & Totals)
  /** cli: the CLI failed or misbehaved; provider: the model API failed; config: baton's configuration did not hold; environment: no credential, cannot start. */
  | ({ kind: 'failed'; error: string; fault: 'cli' | 'provider' | 'config' | 'environment' } & Totals)
  | ({ kind: 'cancelled' } & Totals);

export interface RunAgentCliOptions {
  cli: LocatedAgentCli;
  model: string;
  /** The task's workspace: the CLI's working directory. */
  cwd: string;
  /** The task's tool host endpoint, its grant's bearer token, and the tools the grant offers. */
  tools: { url: string; token: string; names: readonly string[] };
  /** The role's instructions. */
  system: string;
  brief: string;
  budget: WorkerBudget;
  /** The run's budget, shared with every other model call of the run: each call the CLI makes is admitted by it first and settled after. */
  runBudget?: RunBudget;
  /** baton's environment: the credential and the model API's base URL are read from it, nothing else secret passes. */
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  onEvent?: (event: AgentCliEvent) => void;
  /** Cost of one call, by `anthropic:<model>` / `openai:<model>` id. */
  costOf?: (modelId: string, usage: ModelUsage) => number;
  /** Longest baton tool call the CLI waits for; default 30 minutes. */
  toolTimeoutSeconds?: number;
  /** How long the group gets between SIGTERM and SIGKILL; default 3 s. */
  killGraceMs?: number;
  now?: () => number;
}

/** The credential baton hands a CLI (the first one set, in the CLI's order), or undefined. */
export function agentCliCredential(cli: AgentCliName, env: Readonly<Record<string, string | undefined>>): { name: string; value: string } | undefined {
  const names = cli === 'claude-code' ? CLAUDE_CODE_CREDENTIALS : CODEX_CREDENTIALS;
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name: cli === 'codex' ? 'OPENAI_API_KEY' : name, value };
  }
  return undefined;
}

/** The model API the meter forwards to: the base URL in baton's environment, else the vendor's. */
export function agentCliUpstream(cli: AgentCliName, env: Readonly<Record<string, string | undefined>>): string {
  const configured = (cli === 'claude-code' ? env['ANTHROPIC_BASE_URL'] : env['OPENAI_BASE_URL'])?.trim();
  return configured || (cli === 'claude-code' ? 'https://api.anthropic.com' : 'https://api.openai.com/v1');
}

export function agentCliNeeds(cli: AgentCliName): string {
  return (cli === 'claude-code' ? CLAUDE_CODE_CREDENTIALS : CODEX_CREDENTIALS).join(', ');
}

export async function runAgentCli(options: RunAgentCliOptions): Promise<AgentCliOutcome> {
  const { cli: located, budget } = options;
  const cli = located.cli;
  const pkg = AGENT_CLI_PACKAGES[cli];
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => {});
  const spent = newSpent(now());
  const usage = emptyUsage();
  const totals = (): Totals => ({ usage: { ...usage }, costUsd: spent.costUsd, turns: spent.turns });
  const credential = agentCliCredential(cli, options.env);
  if (!credential) return { kind: 'failed', error: `${cli}:${options.model} needs one of ${agentCliNeeds(cli)} in the environment`, fault: 'environment', ...totals() };

  const wire: ModelWire = cli === 'claude-code' ? 'anthropic' : 'responses';
  const allowed = allowedToolNames(cli, options.tools.names);
  let stopped: AgentCliOutcome | undefined;
  let group: GroupProcess | undefined;
  let lastProviderError: string | undefined;
  const stop = (outcome: AgentCliOutcome) => {
    if (stopped) return;
    stopped = outcome;
    void group?.stop(options.killGraceMs ?? 3000);
  };
  const budgetStop = (limit: BudgetLimit, scope: 'worker' | 'run' = 'worker') => {
    if (stopped) return;
    emit({ type: 'budget_exhausted', limit, scope });
    stop({ kind: 'budget_exhausted', which: limit, scope, ...totals() });
  };
  // Permits of the run's budget for the calls in flight, by the meter's call number.
  const permits = new Map<number, CallPermit>();

  // The first model call waits until the CLI has said whether baton's tools connected (both CLIs
  // say so before they call the model), so a CLI without baton's tools never spends a token.
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const home = await mkdtemp(path.join(tmpdir(), `baton-${cli}-`));
  let meter: ModelMeter | undefined;
  const abort = () => stop({ kind: 'cancelled', ...totals() });
  let wallTimer: NodeJS.Timeout | undefined;
  try {
    if (options.signal?.aborted) return { kind: 'cancelled', ...totals() };
    meter = await startModelMeter({
      upstream: agentCliUpstream(cli, options.env),
      wire,
      now,
      admit: async ({ callId, offeredTools }) => {
        let waited: NodeJS.Timeout | undefined;
        await Promise.race([ready, new Promise<void>((resolve) => (waited = setTimeout(resolve, READY_WAIT_MS)))]);
        clearTimeout(waited);
        if (stopped) return 'the worker is being stopped';
        const extra = disallowedTools(offeredTools, allowed);
        if (extra.length > 0) {
          const error = `${pkg.title} offered its model tools baton did not give it (${extra.join(', ')}); baton stopped it before the call went out`;
          stop({ kind: 'failed', error, fault: 'config', ...totals() });
          return error;
        }
        const limit = exhaustedLimit(budget, spent, now());
        if (limit) {
          budgetStop(limit);
          return `the worker's ${limit.replace('_', ' ')} budget is spent`;
        }
        if (options.runBudget) {
          try {
            permits.set(callId, await options.runBudget.admit(options.signal));
          } catch (error) {
            if (!(error instanceof RunBudgetExhaustedError)) throw error;
            budgetStop(error.resource, 'run');
            return error.message;
          }
          if (stopped) {
            permits.get(callId)?.release();
            return 'the worker is being stopped';
          }
        }
        return undefined;
      },
      onCall: (call) => {
        const permit = permits.get(call.callId);
        permits.delete(call.callId);
        if (!call.complete) {
          permit?.release();
          lastProviderError = call.error ?? 'the model stream ended early';
          emit({ type: 'cli_notice', detail: `model call failed: ${lastProviderError}` });
          return 'release';
        }
        // Priced and shown as the model the CLI asked for (an answer may name a dated snapshot).
        const model = call.requestedModel ?? call.model ?? options.model;
        const cost = options.costOf?.(`${pkg.provider}:${model}`, call.usage) ?? 0;
        addUsage(spent, call.usage, cost);
        spent.toolCalls += call.toolCalls.length;
        for (const key of ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const) usage[key] += call.usage[key];
        emit({ type: 'model_call', model: `${cli}:${model}`, usage: call.usage, costUsd: cost, durationMs: call.durationMs, stopReason: call.stopReason, text: call.text });
        for (const name of call.toolCalls) if (!allowed.has(name)) emit({ type: 'tool_refused', name });
        // Tool calls pending past a token, cost or tool-call budget would spend more: the CLI
        // never sees them and is stopped. (Turns are checked before the next call, as in baton's loop.)
        permit?.settle({ tokens: call.usage.inputTokens + call.usage.outputTokens, costUsd: cost });
        const limit = call.toolCalls.length > 0 ? exhaustedLimit(budget, spent, now()) : undefined;
        if (limit && limit !== 'turns') {
          budgetStop(limit);
          return 'withhold';
        }
        const runLimit = call.toolCalls.length > 0 ? options.runBudget?.exhausted() : undefined;
        if (runLimit) {
          budgetStop(runLimit, 'run');
          return 'withhold';
        }
        return stopped ? 'withhold' : 'release';
      },
    });

    const input: AgentCliLaunchInput = {
      model: options.model,
      meterUrl: meter.url,
      tools: options.tools,
      instructions: options.system,
      home,
      budget,
      credential,
      toolTimeoutSeconds: options.toolTimeoutSeconds ?? 1800,
      baseEnv: baseEnvFrom(options.env),
    };
    const launch = cli === 'claude-code' ? claudeCodeLaunch(input) : codexLaunch(input);
    for (const dir of [path.join(home, 'home'), ...launch.files.map((f) => path.dirname(f.path))]) await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const file of launch.files) await writeFile(file.path, file.content, { mode: 0o600 });

    group = spawnGroup(located.binary, launch.args, { cwd: options.cwd, env: launch.env });
    const started = group;
    let spawnError: string | undefined;
    started.child.once('error', (error) => (spawnError = error.message));
    emit({ type: 'cli_started', cli, binary: located.binary, source: located.source, version: located.version, pid: started.child.pid });
    options.signal?.addEventListener('abort', abort, { once: true });
    if (budget.maxWallMs !== undefined) wallTimer = setTimeout(() => budgetStop('wall_time'), Math.max(0, budget.maxWallMs - (now() - spent.startedAt)));

    started.child.stdin.on('error', () => undefined);
    started.child.stdin.end(options.brief);
    let stderr = '';
    started.child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString('utf8')).slice(-8000)));
    const read = cliOutputReader(cli);
    let final: Extract<ReturnType<typeof read>[number], { kind: 'final' }> | undefined;
    const lines = createInterface({ input: started.child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      for (const activity of read(line)) {
        if (activity.kind === 'ready') {
          if (!activity.toolsConnected) stop({ kind: 'failed', error: `${pkg.title} could not use baton's tools: ${activity.detail}`, fault: 'config', ...totals() });
          markReady();
        }
        else if (activity.kind === 'notice') emit({ type: 'cli_notice', detail: activity.detail });
        else if (activity.kind === 'final') final = activity;
      }
    });
    const { code, signal } = await started.closed;
    markReady();
    await started.stop(0);
    if (stopped) return { ...stopped, ...totals() };
    if (spawnError) return { kind: 'failed', error: `could not start ${pkg.title} (${located.binary}): ${spawnError}`, fault: 'environment', ...totals() };
    if (final?.ok) return { kind: 'completed', summary: final.summary.trim(), ...totals() };
    if (final && final.reason === 'max_turns') return { kind: 'budget_exhausted', which: 'turns', scope: 'worker', ...totals() };
    if (final && final.reason === 'max_budget') return { kind: 'budget_exhausted', which: 'cost', scope: 'worker', ...totals() };
    const toolsFailure = final ? undefined : toolsFailureOnStderr(cli, stderr);
    if (toolsFailure) return { kind: 'failed', error: `${pkg.title} could not use baton's tools: ${toolsFailure}`, fault: 'config', ...totals() };
    const how = signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`;
    const said = final?.detail ?? lastLines(stderr);
    return { kind: 'failed', error: `${pkg.title} ${how}${said ? `: ${said}` : ''}${lastProviderError ? ` (last model error: ${lastProviderError})` : ''}`, fault: lastProviderError ? 'provider' : 'cli', ...totals() };
  } finally {
    clearTimeout(wallTimer);
    options.signal?.removeEventListener('abort', abort);
    await group?.stop(options.killGraceMs ?? 3000);
    await meter?.close();
    await rm(home, { recursive: true, force: true });
  }
}

/** How long a model call waits for the CLI to report its tools before it goes ahead anyway. */
const READY_WAIT_MS = 15_000;

function lastLines(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('WARNING: proceeding, even though we could not create PATH aliases'))
    .slice(-3)
    .join(' | ')
    .slice(0, 600);
}
