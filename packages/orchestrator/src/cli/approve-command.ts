// `baton approve <run>`: approves the latest plan version so `baton resume` (or the waiting
// `baton run`) executes it.
import { Command } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { resolveRunId, withStore } from './repo-store.ts';

export function approveCommand(): Command {
  return new Command('approve')
    .description('Approve the latest plan version of a run (read it first with baton status / baton plan edit).')
    .argument('[run]', 'run id (default: the newest run)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--json', 'print {run, version} as JSON')
    .action(async (runArg: string | undefined, options: { repo?: string; json?: boolean }) => {
      await withStore(options, async ({ store }) => {
        const runId = await resolveRunId(store, runArg);
        const state = await store.state(runId);
        if (state.planVersion === 0) {
          const why = state.phase === 'finished' ? 'its planning failed' : 'its planning has not finished (or was interrupted)';
          throw new UsageError(`run ${runId} has no plan to approve: ${why}. Plan it again with baton resume ${runId}, or write the plan by hand with baton plan edit ${runId}`);
        }
        if (state.approvedVersion === state.planVersion) throw new UsageError(`plan v${state.planVersion} of run ${runId} is already approved`);
        const writer = await store.openWriter(runId);
        try {
          await writer.approvePlan({ version: state.planVersion, by: process.env['USER'] ?? 'human' });
        } finally {
          await writer.release();
        }
        if (options.json) return void process.stdout.write(`${JSON.stringify({ run: runId, version: state.planVersion })}\n`);
        process.stdout.write(`approved plan v${state.planVersion} of run ${runId}; execute it with: baton resume ${runId}\n`);
      });
    });
}
