// `baton resume <run>`: continues a run after approval, a human decision, a stop or a crash,
// wherever it stopped. A run killed (or failed) while planning is planned again; a plan that
// `baton run --yes` did not get to approve is approved; finished tasks are not re-run, in-flight
// ones restart from fresh workspaces, and work the reviewer accepted is integrated without
// being redone. Resuming a run that already succeeded finishes its cleanup and changes nothing else.
import { Command } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { loadConfig } from '../config/load-config.ts';
import { cleanUpRun } from '../run/orchestrate.ts';
import { RunLockedError } from '../store/store-errors.ts';
import type { RunStore } from '../store/run-store.ts';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.ts';
import { executeWithProgress } from './execute-with-progress.ts';
import { approvalStage, planStage, type StageResult } from './plan-stage.ts';
import { openStoreFor, resolveRunId } from './repo-store.ts';
import { clusterFor } from './cluster-options.ts';
import { describeModels, runModels } from './run-models.ts';
import { colorEnabled, createStyle } from './style.ts';
import { startRunTelemetry } from '../telemetry/start-telemetry.ts';

interface ResumeFlags {
  repo?: string;
  store?: string;
  planner?: string;
  worker?: string;
  reviewer?: string;
  json?: boolean;
}

export function resumeCommand(): Command {
  return new Command('resume')
    .description('Continue a run wherever it stopped: planning, plan approval, after you answered escalations, or after the process stopped or was killed.')
    .argument('[run]', 'run id (default: the newest run)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--planner <provider:model>', 'orchestrator model (overrides baton.config.json)')
    .option('--worker <provider:model>', 'model for workers')
    .option('--reviewer <provider:model>', 'model for reviews')
    .option('--json', 'print the final run state as JSON instead of progress')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (runArg: string | undefined, flags: ResumeFlags) => {
      const { repo, store, location } = await openStoreFor(flags);
      try {
        process.exitCode = await resumeRun(repo, store, location, await resolveRunId(store, runArg), flags);
      } finally {
        await store.close();
      }
    });
}

async function resumeRun(repo: string, store: RunStore, location: string, runId: string, flags: ResumeFlags): Promise<number> {
  const style = createStyle(colorEnabled());
  const say = (text: string) => void (flags.json ? process.stderr : process.stdout).write(`${text}\n`);
  const before = await store.state(runId);
  if (before.phase === 'finished' && before.outcome === 'succeeded') return finishCleanup(repo, store, runId, say);
  if (before.planVersion > 0 && before.approvedVersion === undefined && !before.autoApprove) {
    say(`run ${runId} waits for plan approval: read it with baton plan edit ${runId} --print, then baton approve ${runId} && baton resume ${runId}`);
    return EXIT.waitingForHuman;
  }
  const { config } = await loadConfig(repo);
  const models = await runModels(config, flags, { cwd: process.cwd(), repo });
  const { writer, resume } = await store.resumeRun(runId);
  // This process sends what the run does from here on, and the spans its resume closed.
  const telemetry = await startRunTelemetry({ store, runId, exportAfterSeq: before.lastSeq });
  try {
    return await continueRun({ repo, store, location, runId, flags, before, writer, resume, config, models, say, style });
  } finally {
    await telemetry.close();
  }
}

async function continueRun(input: {
  repo: string;
  store: RunStore;
  location: string;
  runId: string;
  flags: ResumeFlags;
  before: Awaited<ReturnType<RunStore['state']>>;
  writer: Awaited<ReturnType<RunStore['resumeRun']>>['writer'];
  resume: Awaited<ReturnType<RunStore['resumeRun']>>['resume'];
  config: Awaited<ReturnType<typeof loadConfig>>['config'];
  models: Awaited<ReturnType<typeof runModels>>;
  say: (text: string) => void;
  style: ReturnType<typeof createStyle>;
}): Promise<number> {
  const { repo, store, runId, flags, before, writer, resume, config, models, say, style } = input;
  let stage: StageResult;
  try {
    say(style.dim(`models: ${describeModels(models)}`));
    if (before.planVersion === 0) {
      say(`resuming ${runId}: it has no plan yet (planning was interrupted or failed), so it is planned again`);
      stage = await planStage({ repo, store, writer, config, planner: models.planner, say, style, askOnTerminal: false });
    } else {
      say(`resuming ${runId}: ${resume.finished.length} task(s) finished and kept${resume.inFlight.length ? `, restarting ${resume.inFlight.map((t) => t.taskId).join(', ')}` : ''}`);
      stage = await approvalStage({ store, writer, say, askOnTerminal: false });
    }
  } catch (error) {
    await writer.release();
    throw error;
  }
  if (stage.next === 'exit') {
    await writer.release();
    return stage.code;
  }
  const cluster = await clusterFor({ store, location: input.location, runId, config, flags, cwd: process.cwd(), repo });
  return executeWithProgress({ repo, store, writer, config, models, json: flags.json === true, cluster });
}

/** A run that succeeded changes no more; a process killed while cleaning up after it left checkouts or task branches. */
async function finishCleanup(repo: string, store: RunStore, runId: string, say: (text: string) => void): Promise<number> {
  let writer;
  try {
    writer = await store.openWriter(runId);
  } catch (error) {
    if (error instanceof RunLockedError) throw new UsageError(`run ${runId} already succeeded and another process is cleaning up after it; wait for it to finish`);
    throw error;
  }
  try {
    const cleaned = await cleanUpRun(repo, store, writer);
    const what = [cleaned.worktrees.length ? `${cleaned.worktrees.length} checkout(s)` : '', cleaned.branches.length ? `${cleaned.branches.length} task branch(es)` : '', cleaned.locks.length ? `${cleaned.locks.length} stale lock(s)` : ''].filter(Boolean);
    say(`run ${runId} already succeeded (branch baton/${runId})${what.length ? `; removed what its process left behind: ${what.join(', ')}` : '; nothing to do'}`);
    return EXIT.ok;
  } finally {
    await writer.release();
  }
}
