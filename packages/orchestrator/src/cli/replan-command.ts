// `baton replan <run> --reason "..."`: asks the planner model for a new plan for a run that is
// under way. Finished and running tasks are kept exactly; only pending, failed or blocked tasks
// may change. The result is a new plan version that a human approves before `baton resume`.
import { Command } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { loadConfig } from '../config/load-config.ts';
import { decisionRoom } from '../decisions/decision-change.ts';
import { orphanedPlannerDecisionEvents, plannerDecisionEvents } from '../decisions/planner-decisions.ts';
import { gatherRepoMetadata } from '../planner/repo-metadata.ts';
import { planTicket } from '../plan/planner.ts';
import { repairRunCheckouts } from '../workspace/run-checkouts.ts';
import { addRunWorktree, removeRunWorktree } from '../workspace/run-worktrees.ts';
import { asPlannerModel, costOf, resolveModel } from '../run/models.ts';
import { RunLockedError } from '../store/store-errors.ts';
import { EXIT } from './exit-codes.ts';
import { resolveRunId, withStore } from './repo-store.ts';

export function replanCommand(): Command {
  return new Command('replan')
    .description('Ask the planner for a new plan for a run under way; only pending, failed or blocked tasks may change. Approve the new version, then resume.')
    .argument('[run]', 'run id (default: the newest run)')
    .requiredOption('--reason <text>', 'why the plan must change (the planner reads it)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--planner <provider:model>', 'orchestrator model (overrides baton.config.json)')
    .action(async (runArg: string | undefined, flags: { reason: string; repo?: string; planner?: string }) => {
      await withStore(flags, async ({ repo, store }) => {
        const runId = await resolveRunId(store, runArg);
        const state = await store.state(runId);
        if (!state.plan) throw new UsageError(`run ${runId} has no plan yet; plan it with baton plan`);
        const { config } = await loadConfig(repo);
        // Only the planner is needed: flags resolve against the current directory, the config against the repository.
        const idleTimeoutSeconds = config.models.streamIdleTimeoutSeconds;
        const planner = flags.planner !== undefined ? await resolveModel(flags.planner, { cwd: process.cwd(), idleTimeoutSeconds }) : await resolveModel(config.models.planner, { cwd: repo, idleTimeoutSeconds });
        process.stdout.write(`planner ${planner.provider}:${planner.model}${planner.scripted ? ' (SCRIPTED: not a live model)' : ''}\n`);
        let writer;
        try {
          writer = await store.openWriter(runId);
        } catch (error) {
          if (error instanceof RunLockedError) throw new UsageError(`run ${runId} is executing in another process; re-plan after it stops or waits for you`);
          throw error;
        }
        try {
          const orphans = orphanedPlannerDecisionEvents(await store.state(runId));
          if (orphans.length > 0) await writer.appendMany(orphans);
          const decisions = (await store.state(runId)).decisions;
          // The planner reads the run branch as it is now, not the user's working tree.
          await repairRunCheckouts(repo, runId);
          const checkout = await addRunWorktree({ repo, runId, leaf: 'planning', start: { kind: 'detached', commit: `refs/heads/baton/${runId}` } });
          let metadata;
          try {
            metadata = await gatherRepoMetadata({ root: checkout, ticket: state.ticket, readScope: config.defaultReadScope });
          } finally {
            await removeRunWorktree({ repo, dir: checkout });
          }
          const outcome = await planTicket({
            model: asPlannerModel(planner),
            ticket: state.ticket,
            workflow: state.workflow,
            repo: metadata,
            knownTests: Object.keys(config.tests),
            replan: { current: state.plan, statuses: state.tasks, reason: flags.reason },
            decisions: { current: decisions.entries, room: decisionRoom(decisions) },
            onAttempt: (attempt) => {
              if (attempt.problems.length > 0) writer.enqueue({ type: 'plan_invalid', attempt: attempt.attempt, problems: attempt.problems.map((p) => `${p.path}: ${p.message}`) });
            },
          });
          const usage = { inputTokens: outcome.usage.inputTokens, outputTokens: outcome.usage.outputTokens };
          if (outcome.usage.modelCalls > 0) {
            await writer.append({ type: 'model_usage', role: 'planner', model: `${planner.provider}:${planner.model}`, usage, costUsd: costOf(planner, { ...usage, cacheReadTokens: 0, cacheWriteTokens: 0 }, config.prices), calls: outcome.usage.modelCalls });
          }
          if (outcome.kind === 'invalid') {
            process.stderr.write(`the planner produced no valid re-plan:\n${outcome.problems.map((p) => `  ${p.path || '(plan)'}: ${p.message}`).join('\n')}\n`);
            process.exitCode = EXIT.failed;
            return;
          }
          const logged = plannerDecisionEvents({ state: await store.state(runId), decisions: outcome.decisions, by: `${planner.provider}:${planner.model}` });
          if (logged.length > 0) await writer.appendMany(logged);
          const record = await writer.proposePlan({ plan: outcome.plan, source: 'proposed', warnings: outcome.warnings.map((w) => `${w.path}: ${w.message}`), by: `${planner.provider}:${planner.model}` });
          process.stdout.write(`stored re-plan v${record.version} of run ${runId}${logged.length > 0 ? ` with ${logged.length} new decision(s) (baton decisions ${runId})` : ''}; read it with baton plan edit ${runId} --print, then baton approve ${runId} && baton resume ${runId}\n`);
          process.exitCode = EXIT.waitingForHuman;
        } finally {
          await writer.release();
        }
      });
    });
}
