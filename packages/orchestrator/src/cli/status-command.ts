// `baton status [run]`: every run in the repository, or one run's tasks, usage and what waits.
import { Command } from 'commander';
import { openEscalations } from '../store/run-state.ts';
import { renderProgressTable } from './progress-table.ts';
import { resolveRunId, withStore } from './repo-store.ts';
import { runHeadline, runJson, taskRows } from './run-view.ts';
import { colorEnabled, createStyle } from './style.ts';
import { terminalJson, terminalText } from './terminal-text.ts';

export function statusCommand(): Command {
  return new Command('status')
    .description('Show the runs of this repository, or one run: its tasks, usage, escalations and branch.')
    .argument('[run]', 'run id (default: all runs; use "latest" for the newest)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--json', 'print JSON')
    .action(async (runArg: string | undefined, options: { repo?: string; json?: boolean }) => {
      await withStore(options, async ({ store }) => {
        const style = createStyle(colorEnabled());
        if (runArg === undefined) {
          const states = [];
          for (const r of await store.listRuns()) states.push(await store.state(r.runId));
          if (options.json) return void process.stdout.write(`${terminalJson(states.map(runJson), 2)}\n`);
          if (states.length === 0) return void process.stdout.write('no runs yet; start one with baton run "<ticket>"\n');
          for (const state of states) process.stdout.write(`${runHeadline(state, style)}\n`);
          return;
        }
        const state = await store.state(await resolveRunId(store, runArg === 'latest' ? undefined : runArg));
        if (options.json) return void process.stdout.write(`${terminalJson(runJson(state), 2)}\n`);
        const lines = [runHeadline(state, style), `branch baton/${state.runId}  (base ${state.baseCommit.slice(0, 10)})`, ''];
        lines.push(...renderProgressTable(taskRows(state), style));
        const open = openEscalations(state);
        if (open.length > 0) {
          lines.push('', style.yellow(`${open.length} escalation(s) wait for you:`));
          for (const e of open) lines.push(`  ${terminalText(e.id, style)}${e.taskId ? ` (${e.taskId})` : ''}: ${terminalText(e.reason.split('\n')[0]!, style)}  → baton decide ${state.runId} ${e.taskId ?? e.id} accept|rework|reject`);
        }
        if (state.decisions.entries.length > 0) lines.push('', `${state.decisions.entries.length} decision(s) every brief carries: baton decisions ${state.runId}`);
        if (state.phase === 'awaiting_approval') lines.push('', `plan v${state.planVersion} waits for approval: baton plan edit ${state.runId} / baton approve ${state.runId}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
