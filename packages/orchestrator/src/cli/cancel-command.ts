// `baton cancel <run>`: stops a live run (its process gets SIGTERM and records the
// cancellation itself) or marks a stopped one cancelled.
import { Command } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { cleanUpRun } from '../run/orchestrate.ts';
import { processLiveness } from '../store/process-liveness.ts';
import { resolveRunId, withStore } from './repo-store.ts';

export function cancelCommand(): Command {
  return new Command('cancel')
    .description('Cancel a run: a live one is stopped (workers cancelled, nothing merged afterwards); the run branch keeps what was merged.')
    .argument('<run>', 'run id')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .action(async (runArg: string, options: { repo?: string }) => {
      await withStore(options, async ({ repo, store }) => {
        const runId = await resolveRunId(store, runArg);
        const state = await store.state(runId);
        if (state.phase === 'finished') throw new UsageError(`run ${runId} already finished (${state.outcome ?? 'finished'})`);
        const holder = await store.lockHolder(runId);
        if (holder && processLiveness(holder) === 'alive') {
          process.kill(holder.pid, 'SIGTERM');
          process.stdout.write(`asked the process running ${runId} (pid ${holder.pid}) to stop; it records the cancellation\n`);
          return;
        }
        const writer = await store.openWriter(runId);
        try {
          await writer.append({ type: 'run_finished', outcome: 'cancelled', summary: 'cancelled by a human while stopped', branch: `baton/${runId}` });
          // A stopped run may have been killed: what its process left goes with the cancellation.
          await cleanUpRun(repo, store, writer);
        } finally {
          await writer.release();
        }
        process.stdout.write(`run ${runId} cancelled\n`);
      });
    });
}
