// `baton sync [run]`: bring in what happened after a run — review comments and rounds on its
// pull request, reverts and fix-ups of its commits on the base branch — for `baton report`.
import { Command } from 'commander';
import { syncRun, type SyncResult } from '../report/sync-run.ts';
import { resolveRunId, withStore } from './repo-store.ts';

export function syncCommand(): Command {
  return new Command('sync')
    .description('Fetch the pilot figures that arrive after a run: review comments and rounds on its pull request (GitHub), and reverts or fix-ups of its commits on the base branch.')
    .argument('[run]', 'run id (default: every run that has a pull request or a base branch)')
    .option('--fetch', 'git fetch the base branch from the remote first')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--json', 'print what was found as JSON')
    .action(async (runArg: string | undefined, flags: { fetch?: boolean; repo?: string; json?: boolean }) => {
      await withStore(flags, async ({ repo, store }) => {
        const runs = runArg !== undefined ? [await resolveRunId(store, runArg)] : (await store.listRuns()).map((r) => r.runId).reverse();
        const results: SyncResult[] = [];
        for (const runId of runs) results.push(await syncRun({ repo, store, runId, fetch: flags.fetch === true }));
        if (flags.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        else {
          for (const r of results) {
            const review = r.review ? `#${r.review.number} ${r.review.state}, ${r.review.reviewComments} review comment(s) in ${r.review.reviewRounds} round(s)${r.review.changed ? '' : ' (unchanged)'}` : 'no pull request';
            const scan = r.scanned ? `${r.newFindings} new revert(s)/fix-up(s) on ${r.scanned}` : 'no base branch to scan';
            process.stdout.write(`${r.runId}: ${review}; ${scan}\n`);
            for (const p of r.problems) process.stdout.write(`  problem: ${p}\n`);
          }
        }
        if (results.some((r) => r.problems.length > 0)) process.exitCode = 1;
      });
    });
}
