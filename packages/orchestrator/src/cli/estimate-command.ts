// `baton estimate <run> [duration]`: how long a human alone would have taken for the ticket,
// the pilot's yardstick for the run's time. Set at `baton run --human-estimate`, changed here
// at any time (the newest estimate counts; earlier ones stay in the log).
import { Command, Option } from 'commander';
import { formatHours, parseEstimate } from '../report/human-estimate.ts';
import { latestEvent, recordPilotEvent } from '../report/record-pilot-event.ts';
import { resolveRunId, withStore } from './repo-store.ts';

interface EstimateFlags {
  repo?: string;
  note?: string;
  by: string;
  json?: boolean;
}

export function estimateCommand(): Command {
  return new Command('estimate')
    .description("Set or show the human-only estimate of a run's ticket (working time: 3h, 90m, 1h30m, 1.5d with 8-hour days).")
    .argument('<run>', 'run id')
    .argument('[duration]', 'the estimate; omit it to show the current one')
    .option('--note <text>', 'where the estimate comes from (recorded)')
    .addOption(new Option('--by <name>', 'who estimates (recorded)').default(process.env['USER'] ?? 'human'))
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--json', 'print the estimate as JSON')
    .action(async (runArg: string, duration: string | undefined, flags: EstimateFlags) => {
      const seconds = duration === undefined ? undefined : parseEstimate(duration);
      await withStore(flags, async ({ store }) => {
        const runId = await resolveRunId(store, runArg);
        if (seconds !== undefined) {
          await recordPilotEvent(store, runId, { type: 'human_estimate', seconds, by: flags.by, ...(flags.note !== undefined ? { note: flags.note } : {}) });
        }
        const current = latestEvent(await store.events(runId), 'human_estimate');
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(current ? { run: runId, seconds: current.seconds, by: current.by, at: current.at, ...(current.note !== undefined ? { note: current.note } : {}) } : { run: runId, seconds: null })}\n`);
        } else if (!current) {
          process.stdout.write(`run ${runId} has no human estimate; set one with baton estimate ${runId} 3h\n`);
        } else {
          process.stdout.write(`${seconds !== undefined ? 'recorded: ' : ''}run ${runId}: a human alone would take ${formatHours(current.seconds)} (by ${current.by}, ${current.at})\n`);
        }
      });
    });
}
