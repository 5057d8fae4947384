// `baton decide <run> <task> accept|rework|reject`: a human's answer to an escalation or an
// approval request, recorded as an event the engine applies on its next turn (or on resume).
import { Command, Option } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import type { RunEventOf } from '../store/run-event.ts';
import { openEscalations, type RunState } from '../store/run-state.ts';
import type { RunStore } from '../store/run-store.ts';
import { resolveRunId, withStore } from './repo-store.ts';

export const DECISIONS = ['accept', 'rework', 'reject', 'skip'] as const;
export type Decision = (typeof DECISIONS)[number];

const TO_EVENT: Record<Decision, RunEventOf<'human_decision'>['decision']> = { accept: 'approve', rework: 'retry', reject: 'reject', skip: 'skip' };

/** Records the decision on the open escalation (or approval) of `target` (a task id or escalation id). */
export async function recordDecision(store: RunStore, state: RunState, target: string, decision: Decision, comment: string | undefined, by = 'human'): Promise<RunEventOf<'human_decision'>> {
  const escalation = openEscalations(state).find((e) => e.taskId === target || e.id === target);
  const note = comment !== undefined ? { note: comment } : {};
  if (escalation) {
    const stored = await store.recordHumanDecision(state.runId, { decision: TO_EVENT[decision], escalationId: escalation.id, ...(escalation.taskId ? { taskId: escalation.taskId } : {}), by, ...note });
    return stored as RunEventOf<'human_decision'>;
  }
  const task = state.plan?.tasks.find((t) => t.id === target);
  if (task?.needs_approval && state.tasks[task.id]?.approval === undefined) {
    if (decision !== 'accept' && decision !== 'reject') throw new UsageError(`task ${target} waits for approval: answer accept or reject`);
    return (await store.recordHumanDecision(state.runId, { decision: TO_EVENT[decision], taskId: task.id, by, ...note })) as RunEventOf<'human_decision'>;
  }
  const open = openEscalations(state).map((e) => e.taskId ?? e.id);
  throw new UsageError(`nothing about ${target} waits for a decision in run ${state.runId}${open.length ? `; open: ${open.join(', ')}` : ''}`);
}

export function decideCommand(): Command {
  return new Command('decide')
    .description('Answer an escalation or approval: accept (integrate the diff / approve), rework (another attempt, with your comment), reject, or skip.')
    .argument('<run>', 'run id')
    .argument('<task>', 'task id (or escalation id, e.g. gate-1)')
    .addArgument(new Command().createArgument('<decision>', 'accept | rework | reject | skip').choices(DECISIONS))
    .option('--comment <text>', 'what the worker or the log should know (sent as rework feedback)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .addOption(new Option('--by <name>', 'who decides (recorded)').default(process.env['USER'] ?? 'human'))
    .option('--json', 'print the recorded event as JSON')
    .action(async (runArg: string, target: string, decision: Decision, options: { comment?: string; repo?: string; by: string; json?: boolean }) => {
      await withStore(options, async ({ store }) => {
        const runId = await resolveRunId(store, runArg);
        const event = await recordDecision(store, await store.state(runId), target, decision, options.comment, options.by);
        if (options.json) return void process.stdout.write(`${JSON.stringify(event)}\n`);
        const live = (await store.lockHolder(runId)) !== undefined;
        process.stdout.write(`recorded: ${decision} on ${target} in run ${runId}\n${live ? 'the live run applies it on its next turn\n' : `continue the run with: baton resume ${runId}\n`}`);
      });
    });
}
