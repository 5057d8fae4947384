// `baton regressions <run>`: run the test suites on the run's base commit and on its branch,
// and record which tests pass on the base but fail on the branch.
import { Command } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { loadConfig } from '../config/load-config.ts';
import { gitOut } from '../git/run-git.ts';
import { recordPilotEvent } from '../report/record-pilot-event.ts';
import { checkRegressions } from '../report/regression-check.ts';
import { resolveProvisions } from '../workspace/workspace-provisions.ts';
import { runBranchRef } from '../workspace/baton-paths.ts';
import { collect } from '@baton/mcp-tools';
import { resolveRunId, withStore } from './repo-store.ts';

export function regressionsCommand(): Command {
  return new Command('regressions')
    .description("Run the test suites (baton.config.json tests) on the run's base commit and on baton/<run>, sandboxed, and record the tests that pass on the base but fail on the branch.")
    .argument('[run]', 'run id (default: the newest run)')
    .option('--suite <name>', 'only this suite, repeatable (default: every suite in baton.config.json)', collect, [])
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--json', 'print the comparison as JSON')
    .action(async (runArg: string | undefined, flags: { suite: string[]; repo?: string; json?: boolean }) => {
      await withStore(flags, async ({ repo, store }) => {
        const runId = await resolveRunId(store, runArg);
        const { config } = await loadConfig(repo);
        const names = flags.suite.length > 0 ? flags.suite : Object.keys(config.tests);
        if (names.length === 0) throw new UsageError('baton.config.json names no test suites; add "tests": {"unit": "npm test"} or pass --suite');
        const unknown = names.filter((n) => config.tests[n] === undefined);
        if (unknown.length > 0) throw new UsageError(`no test suite named ${unknown.join(', ')} in baton.config.json; known: ${Object.keys(config.tests).join(', ') || 'none'}`);
        const runCommit = await gitOut(['rev-parse', '--verify', runBranchRef(runId)], { cwd: repo }).catch(() => {
          throw new UsageError(`run ${runId} has no branch baton/${runId} in this repository`);
        });
        const check = await checkRegressions({ repo, runId, baseCommit: (await store.state(runId)).baseCommit, runCommit, suites: Object.fromEntries(names.map((n) => [n, config.tests[n]!])), provisions: await resolveProvisions(repo, config.workspace) });
        await recordPilotEvent(store, runId, check);
        if (flags.json) return void process.stdout.write(`${JSON.stringify(check, null, 2)}\n`);
        for (const s of check.suites) process.stdout.write(`${s.suite}: base ${s.base}, branch ${s.run}${s.newlyFailing?.length ? ` (newly failing: ${s.newlyFailing.join(', ')})` : ''}\n`);
        process.stdout.write(check.regressions.length === 0 ? 'no regressions\n' : `${check.regressions.length} regression(s): ${check.regressions.join(', ')}\n`);
        if (check.regressions.length > 0) process.exitCode = 1;
      });
    });
}
