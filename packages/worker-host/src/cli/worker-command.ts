// `baton worker`: one worker, standalone, against any baton tool server (Streamable HTTP with a
// grant token, or a baton-tools stdio command). Prints its events as it goes and its outcome.
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { runWorker } from '../loop/run-worker.ts';
import type { WorkerEvent } from '../loop/worker-events.ts';
import { connectTools, type ToolConnection } from '../mcp/connect-tools.ts';
import { createModelClient } from '../model/create-model-client.ts';
import { costUsd, ModelIdError } from '../model/model-id.ts';
import { ScriptError } from '../model/scripted-client.ts';
import { roleFor, rolePrompt, ROLES } from '../roles/roles.ts';

interface WorkerFlags {
  connect?: string;
  token?: string;
  model: string;
  brief: string;
  role: string;
  maxTurns: string;
  maxTokens: string;
  maxCostUsd?: string;
  json?: boolean;
}

export function workerCommand(): Command {
  return new Command('worker')
    .description('Run one worker against a baton tool server: --connect URL --token T (baton serve), or a stdio server command after --, e.g. -- baton-tools --root DIR --write "src/**"')
    .argument('[command...]', 'a stdio tool server to start (after --): the command and its arguments')
    .option('--connect <url>', 'Streamable HTTP MCP endpoint, e.g. http://127.0.0.1:PORT/mcp')
    .option('--token <token>', 'grant token for --connect (or $BATON_GRANT_TOKEN)')
    .requiredOption('--model <provider:model>', 'model id, e.g. anthropic:claude-haiku-4-5 or scripted:script.yaml')
    .requiredOption('--brief <file>', 'the task brief (markdown)')
    .option('--role <role>', `role prompt: ${ROLES.join(', ')}`, 'implementation')
    .option('--max-turns <n>', 'model calls at most', '40')
    .option('--max-tokens <n>', 'input + output tokens at most', '400000')
    .option('--max-cost-usd <x>', 'cost at most (USD)')
    .option('--json', 'print events and the outcome as JSON lines')
    .addHelpText('after', '\nExit codes: 0 completed, 1 failed, 2 usage error, 4 budget exhausted, 130 cancelled.')
    .action(async (command: string[], flags: WorkerFlags) => {
      const connection = toolConnection(flags, command);
      const brief = await readFile(flags.brief, 'utf8').catch(() => {
        throw new UsageError(`cannot read --brief ${flags.brief}`);
      });
      const model = await createModelClient(flags.model, { env: process.env }).catch((error: unknown) => {
        if (error instanceof ModelIdError || error instanceof ScriptError) throw new UsageError(error.message);
        throw error;
      });
      const print = (value: unknown, text: string) => process.stdout.write(flags.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
      if (model.scripted && !flags.json) print(null, `model ${flags.model} is SCRIPTED (replays a script, not a live model)`);
      const tools = await connectTools(connection);
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const outcome = await runWorker({
          model,
          tools,
          system: rolePrompt(roleFor(flags.role)),
          brief,
          budget: { maxTurns: positive(flags.maxTurns, '--max-turns'), maxTokens: positive(flags.maxTokens, '--max-tokens'), ...(flags.maxCostUsd ? { maxCostUsd: Number(flags.maxCostUsd) } : {}) },
          signal: controller.signal,
          costOf: (usage) => costUsd(flags.model, usage),
          onEvent: (event: WorkerEvent) => print(event, describe(event)),
        });
        print({ type: 'result', ...outcome }, outcome.kind === 'completed' ? `\n${outcome.summary}` : `\nworker ${outcome.kind}${'error' in outcome ? `: ${outcome.error}` : ''}`);
        process.exitCode = outcome.kind === 'completed' ? 0 : outcome.kind === 'budget_exhausted' ? 4 : outcome.kind === 'cancelled' ? 130 : 1;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await tools.close();
      }
    });
}

function toolConnection(flags: WorkerFlags, stdio: string[]): ToolConnection {
  if (flags.connect && stdio.length > 0) throw new UsageError('use either --connect or a stdio command after --, not both');
  if (flags.connect) {
    const token = flags.token ?? process.env['BATON_GRANT_TOKEN'];
    if (!token) throw new UsageError('--connect needs --token or $BATON_GRANT_TOKEN (a grant token from POST /grants)');
    return { kind: 'http', url: flags.connect, token };
  }
  if (stdio.length > 0) return { kind: 'stdio', command: stdio[0]!, args: stdio.slice(1) };
  throw new UsageError('say where the tools are: --connect URL --token T, or -- <stdio tool server command...>');
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

function describe(event: WorkerEvent): string {
  switch (event.type) {
    case 'model_call':
      return `model ${event.model}${event.scripted ? ' (scripted)' : ''}: ${event.usage.inputTokens}+${event.usage.outputTokens} tokens, ${event.stopReason}${event.text ? ` — ${event.text.split('\n')[0]!.slice(0, 120)}` : ''}`;
    case 'tool_call':
      return `  → ${event.name} ${event.argsSummary.slice(0, 120)}`;
    case 'tool_result':
      return `  ${event.isError ? '✗' : '✓'} ${event.name}: ${event.summary.slice(0, 120)}`;
    case 'context_trimmed':
      return `  (dropped ${event.removedMessages} old messages to stay within the context budget)`;
    case 'budget_exhausted':
      return `budget exhausted: ${event.scope === 'run' ? "the run's " : ''}${event.limit}`;
    case 'outcome':
      return `outcome: ${event.outcome}`;
  }
}
