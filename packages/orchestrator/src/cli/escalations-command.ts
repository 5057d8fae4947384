// `baton escalations`: everything in this repository that waits for a human — escalated
// tasks, failed phase gates, tasks that need approval, plans that wait to be approved.
import { Command } from 'commander';
import { openEscalations, type RunState } from '../store/run-state.ts';
import { withStore } from './repo-store.ts';
import { colorEnabled, createStyle } from './style.ts';
import { terminalJson, terminalText } from './terminal-text.ts';

export interface PendingDecision {
  run: string;
  kind: 'escalation' | 'task_approval' | 'plan_approval';
  id: string;
  taskId?: string;
  reason: string;
  options: string[];
  command: string;
}

export function pendingDecisions(state: RunState): PendingDecision[] {
  const out: PendingDecision[] = [];
  if (state.phase === 'awaiting_approval') {
    out.push({ run: state.runId, kind: 'plan_approval', id: `plan-v${state.planVersion}`, reason: `plan v${state.planVersion} waits for approval`, options: ['approve', 'edit'], command: `baton approve ${state.runId}` });
  }
  for (const e of openEscalations(state)) {
    out.push({ run: state.runId, kind: 'escalation', id: e.id, ...(e.taskId ? { taskId: e.taskId } : {}), reason: e.reason, options: e.options, command: `baton decide ${state.runId} ${e.taskId ?? e.id} accept|rework|reject --comment "..."` });
  }
  for (const task of state.plan?.tasks ?? []) {
    const t = state.tasks[task.id];
    if (task.needs_approval && t?.approval === undefined && t?.status === 'pending') {
      out.push({ run: state.runId, kind: 'task_approval', id: task.id, taskId: task.id, reason: `task ${task.id} (${task.title}) needs approval before it starts`, options: ['accept', 'reject'], command: `baton decide ${state.runId} ${task.id} accept|reject` });
    }
  }
  return out;
}

export function escalationsCommand(): Command {
  return new Command('escalations')
    .description('List what waits for a human in this repository: escalated tasks, failed gates, approvals.')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--json', 'print JSON')
    .action(async (options: { repo?: string; json?: boolean }) => {
      await withStore(options, async ({ store }) => {
        const pending = [];
        for (const r of await store.listRuns()) pending.push(...pendingDecisions(await store.state(r.runId)));
        if (options.json) return void process.stdout.write(`${terminalJson(pending, 2)}\n`);
        if (pending.length === 0) return void process.stdout.write('nothing waits for a human\n');
        const style = createStyle(colorEnabled());
        for (const p of pending) {
          process.stdout.write(`${style.yellow(p.kind.replace('_', ' '))} ${style.bold(terminalText(`${p.run} ${p.taskId ?? p.id}`, style))}: ${terminalText(p.reason.split('\n')[0]!, style)}\n  ${style.dim(terminalText(p.command, style))}\n`);
        }
      });
    });
}
