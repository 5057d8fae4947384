// The dashboard's data source on the real run store: reads events, records humans' decisions
// (the same rule as `baton decide`), stores edited or approved plan versions, and changes the
// run's decisions log (the same rule as `baton decisions`).
import { UsageError } from '@baton/mcp-tools';
import { recordDecision } from '../cli/decide-command.ts';
import { DecisionLogError } from '../decisions/decision-change.ts';
import { recordDecisionChange } from '../decisions/record-decision-change.ts';
import { parsePlanFile, renderPlanFile, type PlanFileProblem } from '../plan/plan-file.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import { RunLockedError, StoreUsageError } from '../store/store-errors.ts';
import { DashboardUserError, type DashboardSource, type PlanTextCheck, type PlanTextProblem } from './dashboard-source.ts';

export interface StoreSourceOptions {
  store: RunStore;
  /** Test suite names from baton.config.json; plans naming others are rejected. */
  knownTests?: readonly string[];
}

function problem(p: PlanFileProblem): PlanTextProblem {
  return { line: p.line, column: p.column, path: p.path, message: p.message };
}

async function withWriter<T>(store: RunStore, runId: string, fn: (writer: RunWriter) => Promise<T>): Promise<T> {
  let writer: RunWriter;
  try {
    writer = await store.openWriter(runId);
  } catch (error) {
    if (error instanceof RunLockedError) throw new DashboardUserError(`${error.message} (plan changes need the run's lock; answer the running baton in its terminal, or stop it first)`);
    throw error;
  }
  try {
    return await fn(writer);
  } catch (error) {
    if (error instanceof StoreUsageError) throw new DashboardUserError(error.message);
    throw error;
  } finally {
    await writer.release();
  }
}

export function storeDashboardSource(options: StoreSourceOptions): DashboardSource {
  const { store } = options;
  const validate = (text: string): ReturnType<typeof parsePlanFile> => parsePlanFile(text, options.knownTests ? { knownTests: options.knownTests } : {});
  const check = (text: string): PlanTextCheck => {
    const parsed = validate(text);
    return { ok: parsed.ok, errors: parsed.ok ? [] : parsed.errors.map(problem), warnings: parsed.warnings.map(problem) };
  };
  const editableState = async (runId: string) => {
    if (!(await store.hasRun(runId))) throw new DashboardUserError(`there is no run ${runId}`);
    const state = await store.state(runId);
    if (state.approvedVersion !== undefined) throw new DashboardUserError(`plan v${state.approvedVersion} of run ${runId} is already approved; it can no longer be edited here`);
    if (state.planVersion === 0) throw new DashboardUserError(`run ${runId} has no plan yet`);
    return state;
  };

  return {
    runIds: async () => (await store.listRuns()).map((r) => r.runId),
    events: async (runId, afterSeq) => ((await store.hasRun(runId)) ? await store.events(runId, { afterSeq }) : undefined),
    subscribe: (runId, listener) => store.subscribe(runId, listener),
    async decide(input) {
      if (!(await store.hasRun(input.runId))) throw new DashboardUserError(`there is no run ${input.runId}`);
      try {
        await recordDecision(store, await store.state(input.runId), input.target, input.decision, input.comment, input.by);
      } catch (error) {
        if (error instanceof UsageError) throw new DashboardUserError(error.message);
        throw error;
      }
    },
    async planText(runId) {
      if (!(await store.hasRun(runId))) return undefined;
      const state = await store.state(runId);
      const editable = state.approvedVersion === undefined && state.planVersion > 0 && state.phase !== 'finished';
      const base = { runId, version: state.planVersion, editable, ...(state.approvedVersion !== undefined ? { approvedVersion: state.approvedVersion } : {}) };
      if (!state.plan) return { ...base, text: '' };
      return { ...base, text: renderPlanFile(state.plan, { runId, version: state.planVersion, warnings: state.planWarnings }) };
    },
    validatePlanText: (_runId, text) => check(text),
    async savePlan({ runId, text, by }) {
      await editableState(runId);
      const parsed = validate(text);
      if (!parsed.ok) return { ok: false, errors: parsed.errors.map(problem), warnings: parsed.warnings.map(problem) };
      const warnings = parsed.warnings.map(problem);
      const record = await withWriter(store, runId, (writer) => writer.proposePlan({ plan: parsed.plan, source: 'edited', warnings: parsed.warnings.map((w) => `${w.path}: ${w.message}`), by }));
      return { ok: true, errors: [], warnings, version: record.version };
    },
    async approvePlan({ runId, version, by }) {
      const state = await editableState(runId);
      if (version !== state.planVersion) throw new DashboardUserError(`plan v${version} is not the latest version of run ${runId} (v${state.planVersion}); reload and review the latest one`);
      await withWriter(store, runId, (writer) => writer.approvePlan({ version, by }));
    },
    async changeDecisionLog({ runId, by, ...change }) {
      if (!(await store.hasRun(runId))) throw new DashboardUserError(`there is no run ${runId}`);
      try {
        // The same rule as baton decisions: no lock needed, so a live run's log can be changed.
        await recordDecisionChange(store, runId, { ...change, source: 'human', by });
        return { ok: true };
      } catch (error) {
        if (error instanceof DecisionLogError) return { ok: false, error: error.message };
        throw error;
      }
    },
  };
}
