// `baton run "<ticket>"`: plan, show the plan with its estimate, wait for approval (or --yes),
// execute with live progress, and end with a summary. The user's branch, index and working
// tree are never touched; the result is the branch baton/<run>.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { loadConfig } from '../config/load-config.ts';
import { createRun } from '../run/orchestrate.ts';
import { WORKFLOW_NAMES, type WorkflowName } from '../workflows/workflow.ts';
import { EXIT_CODES_HELP } from './exit-codes.ts';
import { executeWithProgress } from './execute-with-progress.ts';
import { planStage } from './plan-stage.ts';
import { openStoreFor } from './repo-store.ts';
import { clusterFor, resolveRunRemote, type ClusterFlags } from './cluster-options.ts';
import { describeModels, runModels } from './run-models.ts';
import { colorEnabled, createStyle } from './style.ts';
import { startRunTelemetry, type RunTelemetry } from '../telemetry/start-telemetry.ts';
import { addEstimateOption, addRunPrOptions, estimateSeconds, openPullRequestAfterRun, recordEstimate, type RunPilotFlags } from './run-pilot-options.ts';

export interface RunFlags extends RunPilotFlags, ClusterFlags {
  repo?: string;
  store?: string;
  ticketFile?: string;
  workflow: WorkflowName;
  planner?: string;
  worker?: string;
  reviewer?: string;
  maxWorkers?: string;
  budgetTokens?: string;
  budgetUsd?: string;
  runId?: string;
  yes?: boolean;
  planOnly?: boolean;
  json?: boolean;
}

export function addRunOptions(command: Command): Command {
  return addEstimateOption(command)
    .option('--repo <dir>', 'repository to work on (default: the current directory)')
    .option('--ticket-file <file>', 'read the ticket from a file (markdown) instead of the argument')
    .addOption(new Option('--workflow <name>', 'planning template').choices(WORKFLOW_NAMES).default('feature'))
    .option('--planner <provider:model>', 'orchestrator model for planning (overrides baton.config.json)')
    .option('--worker <provider:model>', 'model for workers')
    .option('--reviewer <provider:model>', 'model for reviews (default: the planner)')
    .option('--max-workers <n>', 'tasks running at once')
    .option('--budget-tokens <n>', 'run-wide token budget')
    .option('--budget-usd <x>', 'run-wide cost budget in USD')
    .option('--run-id <id>', 'choose the run id (default: a timestamp)')
    .option('--on-nodes', 'run the tasks on worker nodes (baton node) through the job queue; needs a PostgreSQL store (--store)')
    .option('--remote <name|url>', 'with --on-nodes: the git remote the run\'s commits travel through (default: cluster.remote in baton.config.json, else origin)')
    .option('--json', 'print the final run state as JSON instead of progress');
}

export function runCommand(): Command {
  const command = new Command('run')
    .description('Plan a ticket, show the plan for approval, then run it: parallel workers, review, merge onto baton/<run>.')
    .argument('[ticket]', 'what to do, e.g. "Add CSV export to the admin user list"');
  addRunOptions(command).option('-y, --yes', 'approve the plan without asking').option('--plan-only', 'stop after planning (same as baton plan)');
  addRunPrOptions(command);
  command.addHelpText('after', EXIT_CODES_HELP);
  command.action(async (ticketArg: string | undefined, flags: RunFlags) => {
    try {
      process.exitCode = await runTicket(ticketArg, flags);
    } catch (error) {
      throw withDoctorHint(error);
    }
  });
  return command;
}

export async function runTicket(ticketArg: string | undefined, flags: RunFlags): Promise<number> {
  const ticket = flags.ticketFile ? (await readFile(flags.ticketFile, 'utf8')).trim() : ticketArg?.trim();
  if (!ticket) throw new UsageError('give a ticket: baton run "<what to do>" or --ticket-file FILE');
  const estimate = estimateSeconds(flags);
  const { repo, store, location } = await openStoreFor(flags);
  const style = createStyle(colorEnabled());
  const say = (text: string) => void (flags.json ? process.stderr : process.stdout).write(`${text}\n`);
  let telemetry: RunTelemetry | undefined;
  try {
    const { config } = await loadConfig(repo);
    const models = await runModels(config, flags, { cwd: process.cwd(), repo });
    const maxWorkers = flags.maxWorkers !== undefined ? positiveInt('--max-workers', flags.maxWorkers) : config.maxWorkers;
    const budgets = {
      ...(config.budgets.tokens !== undefined ? { tokens: config.budgets.tokens } : {}),
      ...(config.budgets.usd !== undefined ? { usd: config.budgets.usd } : {}),
      ...(config.budgets.wallSeconds !== undefined ? { wallSeconds: config.budgets.wallSeconds } : {}),
      ...(flags.budgetTokens !== undefined ? { tokens: positiveInt('--budget-tokens', flags.budgetTokens) } : {}),
      ...(flags.budgetUsd !== undefined ? { usd: positiveNumber('--budget-usd', flags.budgetUsd) } : {}),
    };
    say(style.dim(`models: ${describeModels(models)}`));
    const onNodes = flags.onNodes ?? config.cluster.onNodes;
    if (onNodes && store.kind !== 'postgres') throw new UsageError('--on-nodes needs a PostgreSQL store shared with the worker nodes: pass --store postgres://… (or set BATON_STORE_URL)');
    const distributed = onNodes ? { remote: await resolveRunRemote(repo, flags, config) } : undefined;
    if (distributed) say(style.dim(`tasks run on worker nodes (baton node --store …); commits travel through ${distributed.remote}`));
    const writer = await createRun({ repo, store, ticket, ...(distributed ? { distributed } : {}), workflow: flags.workflow, maxWorkers, budgets, autoApprove: flags.yes === true && flags.planOnly !== true, ...(flags.runId ? { runId: flags.runId } : {}) });
    telemetry = await startRunTelemetry({ store, runId: writer.runId, exportAfterSeq: 0 });
    let stage;
    try {
      await recordEstimate(writer, estimate);
      stage = await planStage({ repo, store, writer, config, planner: models.planner, say, style, askOnTerminal: true, ...(flags.planOnly ? { planOnly: true } : {}) });
    } catch (error) {
      await writer.release();
      throw error;
    }
    if (stage.next === 'exit') {
      await writer.release();
      return stage.code;
    }
    const cluster = await clusterFor({ store, location, runId: writer.runId, config, flags, cwd: process.cwd(), repo });
    const exitCode = await executeWithProgress({ repo, store, writer, config, models, json: flags.json === true, cluster });
    return await openPullRequestAfterRun({ repo, store, runId: writer.runId, config, flags, exitCode, say });
  } finally {
    await telemetry?.close();
    await store.close();
  }
}

/** Errors of the machine, the config or a model (not of the ticket or a flag) point to baton doctor. */
export function withDoctorHint(error: unknown): unknown {
  if (error instanceof Error && DOCTOR_ERRORS.has(error.name) && !error.message.includes('baton doctor')) {
    error.message = `${error.message}\n(baton doctor checks the machine, the config and each model, and says how to fix what is wrong)`;
  }
  return error;
}
const DOCTOR_ERRORS = new Set(['ModelError', 'ModelSetupError', 'GitError', 'ConfigError']);

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

function positiveNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got "${value}"`);
  return n;
}
