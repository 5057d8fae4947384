// `baton diff <run> [--task T]`: what the run changed (base..run branch) or what one task's
// accepted commit changed, straight from git. Workers chose the names and lines in it, so
// invisible and direction-changing characters print as `<U+XXXX>` markers unless --raw.
import { Command } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { commitPatch } from '../git/run-git.ts';
import { resolveRunId, withStore } from './repo-store.ts';
import { colorEnabled, createStyle } from './style.ts';
import { terminalText } from './terminal-text.ts';

export function diffCommand(): Command {
  return new Command('diff')
    .description('Show the diff a run produced on its branch baton/<run>, or one task\'s commit.')
    .argument('[run]', 'run id (default: the newest run)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--task <id>', 'only this task\'s latest commit')
    .option('--stat', 'a summary of changed files instead of the patch')
    .option('--raw', "git's text as it is, hidden characters included (e.g. to pipe into git apply)")
    .action(async (runArg: string | undefined, options: { repo?: string; task?: string; stat?: boolean; raw?: boolean }) => {
      await withStore(options, async ({ repo, store }) => {
        const runId = await resolveRunId(store, runArg);
        const state = await store.state(runId);
        const format = options.stat ? ['--stat'] : ['--patch'];
        let args: string[];
        if (options.task !== undefined) {
          const task = state.tasks[options.task];
          if (!task) throw new UsageError(`run ${runId} has no task ${options.task}; tasks: ${state.taskOrder.join(', ')}`);
          const commit = task.mergedCommit ?? task.commit;
          if (!commit) throw new UsageError(`task ${options.task} has no commit yet (status ${task.status})`);
          args = ['show', '--format=medium', ...format, commit];
        } else {
          args = ['diff', ...format, `${state.baseCommit}..refs/heads/baton/${runId}`];
        }
        const result = { stdout: await commitPatch(repo, args) };
        process.stdout.write(options.raw ? result.stdout : terminalText(result.stdout, createStyle(colorEnabled()), { multiline: true }));
      });
    });
}
