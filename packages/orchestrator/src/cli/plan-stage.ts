// The planning stage as `baton run` and `baton resume` drive it: plan the run, show the plan
// (or why planning failed and what to do about it), then approve it — by --yes recorded with
// the run, or by asking on a terminal — or stop for a human.
import type { ModelClient } from '@baton/worker-host';
import type { BatonConfig } from '../config/config-schema.ts';
import { planRun } from '../run/orchestrate.ts';
import { resolveProvisions } from '../workspace/workspace-provisions.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import { askYesNo } from './ask.ts';
import { EXIT } from './exit-codes.ts';
import { renderPlanSummary } from './plan-summary.ts';
import type { Style } from './style.ts';
import { renderWorkspaceSummary } from './workspace-summary.ts';

export type StageResult = { next: 'execute' } | { next: 'exit'; code: number };

export interface PlanStageOptions {
  repo: string;
  store: RunStore;
  writer: RunWriter;
  config: BatonConfig;
  planner: ModelClient;
  say: (text: string) => void;
  style: Style;
  /** Stop once the plan is stored (baton plan). */
  planOnly?: boolean;
  /** Ask for approval on a terminal when the run does not approve by itself. */
  askOnTerminal: boolean;
}

export async function planStage(options: PlanStageOptions): Promise<StageResult> {
  const { store, writer, say, style } = options;
  const runId = writer.runId;
  say(style.dim('planning…'));
  const planned = await planRun(options);
  if (planned.kind === 'failed') {
    say(style.red(`planning failed: ${planned.reason}`));
    for (const problem of planned.problems) say(`  ${problem}`);
    say(`run ${runId} ended ${planned.outcome}; the planner's attempts are in baton log ${runId}. To go on: ${planned.advice}`);
    return { next: 'exit', code: planned.outcome === 'budget_exhausted' ? EXIT.budgetExhausted : EXIT.failed };
  }
  const state = await store.state(runId);
  say(renderPlanSummary(planned.outcome.plan, { maxWorkers: state.maxWorkers, warnings: planned.outcome.warnings.map((w) => `${w.path}: ${w.message}`), style, decisions: state.decisions.entries }));
  // What workspaces get (a setup with the network above all) is part of what the person approves.
  let workspace: string | undefined;
  try {
    workspace = renderWorkspaceSummary(options.config.workspace, await resolveProvisions(options.repo, options.config.workspace), style);
  } catch (error) {
    say(style.red(`workspace settings: ${error instanceof Error ? error.message : String(error)}`));
    say(`the plan is stored; fix baton.config.json, then baton resume ${runId}`);
    return { next: 'exit', code: EXIT.usage };
  }
  if (workspace) say(workspace);
  say(`run ${style.bold(runId)} · branch baton/${runId}`);
  if (options.planOnly) {
    say(`plan v${state.planVersion} waits for approval: baton plan edit ${runId} · baton approve ${runId} · baton resume ${runId}`);
    return { next: 'exit', code: EXIT.waitingForHuman };
  }
  return approvalStage(options);
}

/** The latest plan version gets approved (by the run's --yes, or a human on the terminal), or the run waits. */
export async function approvalStage(options: Pick<PlanStageOptions, 'store' | 'writer' | 'say' | 'askOnTerminal'>): Promise<StageResult> {
  const { store, writer, say } = options;
  const runId = writer.runId;
  const state = await store.state(runId);
  if (state.approvedVersion === state.planVersion) return { next: 'execute' };
  let by: string | undefined = state.autoApprove ? 'human (--yes)' : undefined;
  if (!by) {
    if (!options.askOnTerminal || !process.stdin.isTTY) {
      say(`plan v${state.planVersion} awaits approval${options.askOnTerminal ? ' (no terminal to ask on)' : ''}: baton approve ${runId} && baton resume ${runId}`);
      return { next: 'exit', code: EXIT.waitingForHuman };
    }
    if (!(await askYesNo('Approve this plan and start? [y/N] '))) {
      say(`not started; edit with baton plan edit ${runId}, then baton approve ${runId} && baton resume ${runId}`);
      return { next: 'exit', code: EXIT.waitingForHuman };
    }
    by = process.env['USER'] ?? 'human';
  }
  await writer.approvePlan({ version: state.planVersion, by });
  return { next: 'execute' };
}
