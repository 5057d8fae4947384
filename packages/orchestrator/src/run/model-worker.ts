// The engine's worker: a worker-host agent loop, or an agent CLI (Claude Code, Codex), connected
// over Streamable HTTP to a tool host at the task's workspace that holds only the task's grant.
// Model calls are recorded as task events; tool calls come from the tool host's audit stream,
// whichever agent made them.
import { AGENT_CLI_PACKAGES, connectTools, isAgentCliModel, roleFor, rolePrompt, runAgentCli, runWorker, type AgentCliEvent, type AgentCliModel, type AgentCliOutcome, type ModelClient, type ModelUsage, type RunBudget, type WorkerBudget, type WorkerOutcome } from '@baton/worker-host';
import type { LanguageServerSpec, TestLink } from '@baton/mcp-tools';
import type { Task } from '../plan/plan-schema.ts';
import type { EmitEvent, WorkerPort, WorkerResult } from './engine-ports.ts';
import type { WorkerModel } from './models.ts';
import { openTaskToolSession, type TaskToolSession } from './task-tool-session.ts';

export interface ModelWorkerOptions {
  /** The model (or agent CLI) for a task; the same one may serve every task. */
  modelFor: (task: Task) => WorkerModel;
  budget: WorkerBudget;
  /** The run's shared budget: an agent CLI's every model call is admitted by it (model clients come already wrapped by budgetedModel). */
  runBudget?: RunBudget;
  testCommands: Readonly<Record<string, string>>;
  protectedPaths: readonly string[];
  /** Cost of a call by the model that made it (an agent CLI's calls are priced as `anthropic:` / `openai:` models). */
  costOf: (model: Pick<ModelClient, 'provider' | 'model'>, usage: ModelUsage) => number;
  testTimeoutSeconds?: number;
  /** Paths of the user's checkout the task's tests see read-only in the workspace (workspace.link). */
  testLinks?: readonly TestLink[];
  /** The language servers a task's code-intelligence tools may start (default: the built-in ones). */
  languageServers?: readonly LanguageServerSpec[];
  /** The environment agent CLIs take their credential and model API base URL from; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export function modelWorker(options: ModelWorkerOptions): WorkerPort {
  return {
    async run({ task, attempt, brief, workspace, emit, signal }): Promise<WorkerResult> {
      const model = options.modelFor(task);
      const session = await openTaskToolSession({
        task,
        attempt,
        emit,
        root: workspace.dir,
        testCommands: options.testCommands,
        protectedPaths: options.protectedPaths,
        ...(options.testTimeoutSeconds !== undefined ? { testTimeoutSeconds: options.testTimeoutSeconds } : {}),
        ...(options.testLinks ? { testLinks: options.testLinks } : {}),
        ...(options.languageServers ? { languageServers: options.languageServers } : {}),
      });
      try {
        const run = { task, attempt, brief, cwd: workspace.dir, emit, signal, session };
        return isAgentCliModel(model) ? await runCli(model, run, options) : await runLoop(model, run, options);
      } finally {
        await session.close();
      }
    },
  };
}

interface WorkerRun {
  task: Task;
  attempt: number;
  brief: string;
  cwd: string;
  emit: EmitEvent;
  signal: AbortSignal;
  session: TaskToolSession;
}

function systemPrompt(task: Task): string {
  return rolePrompt(roleFor(task.role === 'worker' ? task.type : task.role));
}

async function runLoop(model: ModelClient, run: WorkerRun, options: ModelWorkerOptions): Promise<WorkerResult> {
  const { task, attempt, emit } = run;
  const label = `${model.provider}:${model.model}`;
  const tools = await connectTools({ kind: 'http', url: run.session.url, token: run.session.token });
  try {
    const outcome = await runWorker({
      model,
      tools,
      system: systemPrompt(task),
      brief: run.brief,
      budget: options.budget,
      signal: run.signal,
      costOf: (usage) => options.costOf(model, usage),
      onEvent: (event) => {
        if (event.type === 'model_call') {
          emit({ type: 'task_event', taskId: task.id, attempt, kind: 'model_call', model: label, usage: event.usage, costUsd: event.costUsd, durationMs: event.durationMs, ...(event.text ? { detail: event.text.slice(0, 4000) } : {}) });
        }
      },
    });
    return workerResult(outcome);
  } finally {
    await tools.close();
  }
}

async function runCli(worker: AgentCliModel, run: WorkerRun, options: ModelWorkerOptions): Promise<WorkerResult> {
  const { task, attempt, emit } = run;
  const title = AGENT_CLI_PACKAGES[worker.provider].title;
  const record = (event: AgentCliEvent) => {
    const base = { type: 'task_event', taskId: task.id, attempt } as const;
    switch (event.type) {
      case 'cli_started':
        return emit({ ...base, kind: 'message', name: 'agent_cli', detail: `${title} ${event.version ?? '(unknown version)'} started (${event.source}: ${event.binary})` });
      case 'model_call':
        return emit({ ...base, kind: 'model_call', model: event.model, usage: event.usage, costUsd: event.costUsd, durationMs: event.durationMs, ...(event.text ? { detail: event.text.slice(0, 4000) } : {}) });
      case 'tool_refused':
        return emit({ ...base, kind: 'error', name: 'refused_tool', isError: true, detail: `the model called ${event.name}, which is not one of baton's tools for this task; ${title} has it switched off and refused the call` });
      case 'cli_notice':
        return emit({ ...base, kind: 'message', name: 'agent_cli', detail: `${title}: ${event.detail}` });
      case 'budget_exhausted':
        return emit({ ...base, kind: 'error', name: 'budget_exhausted', isError: true, detail: `the ${event.scope === 'run' ? "run's " : ''}${event.limit.replace('_', ' ')} budget is spent: baton stopped ${title} and everything it started` });
    }
  };
  const outcome = await runAgentCli({
    cli: worker.located,
    model: worker.model,
    cwd: run.cwd,
    tools: { url: run.session.url, token: run.session.token, names: run.session.tools },
    system: systemPrompt(task),
    brief: run.brief,
    budget: options.budget,
    ...(options.runBudget ? { runBudget: options.runBudget } : {}),
    env: options.env ?? process.env,
    signal: run.signal,
    onEvent: record,
    costOf: (modelId, usage) => {
      const colon = modelId.indexOf(':');
      return options.costOf({ provider: modelId.slice(0, colon), model: modelId.slice(colon + 1) }, usage);
    },
    toolTimeoutSeconds: (options.testTimeoutSeconds ?? 600) + 60,
  });
  return workerResult(outcome);
}

/** The engine's view of how a worker ended, from baton's loop or an agent CLI alike. */
function workerResult(outcome: WorkerOutcome | AgentCliOutcome): WorkerResult {
  switch (outcome.kind) {
    case 'completed':
      return { kind: 'completed', summary: outcome.summary || '(the worker gave no summary)' };
    case 'budget_exhausted':
      return { kind: 'budget_exhausted', which: outcome.which, scope: outcome.scope };
    case 'failed':
      return { kind: 'failed', error: `${outcome.error} (${outcome.fault})` };
    case 'cancelled':
      return { kind: 'cancelled' };
  }
}
