// `baton resume <run>`: continues a run after approval, a human decision, a stop or a crash.
// Finished tasks are not re-run; in-flight ones restart from fresh workspaces.
import { Command } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { loadConfig } from '../config/load-config.ts';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.ts';
import { executeWithProgress } from './execute-with-progress.ts';
import { openStoreFor, resolveRunId } from './repo-store.ts';
import { describeModels, runModels } from './run-models.ts';
import { colorEnabled, createStyle } from './style.ts';
import { startRunTelemetry } from '../telemetry/start-telemetry.ts';

export function resumeCommand(): Command {
  return new Command('resume')
    .description('Continue a run: after plan approval, after you answered escalations, or after the process stopped or was killed.')
    .argument('[run]', 'run id (default: the newest run)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--planner <provider:model>', 'orchestrator model (overrides baton.config.json)')
    .option('--worker <provider:model>', 'model for workers')
    .option('--reviewer <provider:model>', 'model for reviews')
    .option('--json', 'print the final run state as JSON instead of progress')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (runArg: string | undefined, flags: { repo?: string; planner?: string; worker?: string; reviewer?: string; json?: boolean }) => {
      const { repo, store } = await openStoreFor(flags.repo);
      try {
        const runId = resolveRunId(store, runArg);
        const before = store.state(runId);
        if (before.approvedVersion === undefined) {
          process.stdout.write(`run ${runId} waits for plan approval: baton approve ${runId}\n`);
          process.exitCode = EXIT.waitingForHuman;
          return;
        }
        if (before.phase === 'finished' && before.outcome === 'succeeded') throw new UsageError(`run ${runId} already succeeded (branch baton/${runId})`);
        const { config } = await loadConfig(repo);
        const models = await runModels(config, flags, { cwd: process.cwd(), repo });
        const { writer, resume } = store.resumeRun(runId);
        // This process sends what the run does from here on, and the spans its resume closed.
        const telemetry = await startRunTelemetry({ store, runId, exportAfterSeq: before.lastSeq });
        const style = createStyle(colorEnabled());
        const say = (text: string) => void (flags.json ? process.stderr : process.stdout).write(`${text}\n`);
        say(style.dim(`models: ${describeModels(models)}`));
        say(`resuming ${runId}: ${resume.finished.length} task(s) finished and kept${resume.inFlight.length ? `, restarting ${resume.inFlight.map((t) => t.taskId).join(', ')}` : ''}`);
        try {
          process.exitCode = await executeWithProgress({ repo, store, writer, config, models, json: flags.json === true });
        } finally {
          await telemetry.close();
        }
      } finally {
        store.close();
      }
    });
}
