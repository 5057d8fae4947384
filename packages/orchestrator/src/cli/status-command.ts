// `baton status [run]`: every run in the repository, or one run's tasks, usage and what waits.
import { Command } from 'commander';
import { openEscalations } from '../store/run-state.ts';
import { renderProgressTable } from './progress-table.ts';
import { resolveRunId, withStore } from './repo-store.ts';
import { runHeadline, runJson, taskRows } from './run-view.ts';
import { colorEnabled, createStyle } from './style.ts';

export function statusCommand(): Command {
  return new Command('status')
    .description('Show the runs of this repository, or one run: its tasks, usage, escalations and branch.')
    .argument('[run]', 'run id (default: all runs; use "latest" for the newest)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--json', 'print JSON')
    .action(async (runArg: string | undefined, options: { repo?: string; json?: boolean }) => {
      await withStore(options.repo, ({ store }) => {
        const style = createStyle(colorEnabled());
        if (runArg === undefined) {
          const states = store.listRuns().map((r) => store.state(r.runId));
          if (options.json) return void process.stdout.write(`${JSON.stringify(states.map(runJson), null, 2)}\n`);
          if (states.length === 0) return void process.stdout.write('no runs yet; start one with baton run "<ticket>"\n');
          for (const state of states) process.stdout.write(`${runHeadline(state)}\n`);
          return;
        }
        const state = store.state(resolveRunId(store, runArg === 'latest' ? undefined : runArg));
        if (options.json) return void process.stdout.write(`${JSON.stringify(runJson(state), null, 2)}\n`);
        const lines = [runHeadline(state), `branch baton/${state.runId}  (base ${state.baseCommit.slice(0, 10)})`, ''];
        lines.push(...renderProgressTable(taskRows(state), style));
        const open = openEscalations(state);
        if (open.length > 0) {
          lines.push('', style.yellow(`${open.length} escalation(s) wait for you:`));
          for (const e of open) lines.push(`  ${e.id}${e.taskId ? ` (${e.taskId})` : ''}: ${e.reason.split('\n')[0]}  → baton decide ${state.runId} ${e.taskId ?? e.id} accept|rework|reject`);
        }
        if (state.phase === 'awaiting_approval') lines.push('', `plan v${state.planVersion} waits for approval: baton plan edit ${state.runId} / baton approve ${state.runId}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
