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

function withWriter<T>(store: RunStore, runId: string, fn: (writer: RunWriter) => T): T {
  let writer: RunWriter;
  try {
    writer = store.openWriter(runId);
  } catch (error) {
    if (error instanceof RunLockedError) throw new DashboardUserError(`${error.message} (plan changes need the run's lock; answer the running baton in its terminal, or stop it first)`);
    throw error;
  }
  try {
    return fn(writer);
  } catch (error) {
    if (error instanceof StoreUsageError) throw new DashboardUserError(error.message);
    throw error;
  } finally {
    writer.release();
  }
}

export function storeDashboardSource(options: StoreSourceOptions): DashboardSource {
  const { store } = options;
  const validate = (text: string): ReturnType<typeof parsePlanFile> => parsePlanFile(text, options.knownTests ? { knownTests: options.knownTests } : {});
  const check = (text: string): PlanTextCheck => {
    const parsed = validate(text);
    return { ok: parsed.ok, errors: parsed.ok ? [] : parsed.errors.map(problem), warnings: parsed.warnings.map(problem) };
  };
  const editableState = (runId: string) => {
    if (!store.hasRun(runId)) throw new DashboardUserError(`there is no run ${runId}`);
    const state = store.state(runId);
    if (state.approvedVersion !== undefined) throw new DashboardUserError(`plan v${state.approvedVersion} of run ${runId} is already approved; it can no longer be edited here`);
    if (state.planVersion === 0) throw new DashboardUserError(`run ${runId} has no plan yet`);
    return state;
  };

  return {
    runIds: () => store.listRuns().map((r) => r.runId),
    events: (runId, afterSeq) => (store.hasRun(runId) ? store.events(runId, { afterSeq }) : undefined),
    subscribe: (runId, listener) => store.subscribe(runId, listener),
    decide(input) {
      if (!store.hasRun(input.runId)) throw new DashboardUserError(`there is no run ${input.runId}`);
      try {
        recordDecision(store, store.state(input.runId), input.target, input.decision, input.comment, input.by);
      } catch (error) {
        if (error instanceof UsageError) throw new DashboardUserError(error.message);
        throw error;
      }
    },
    planText(runId) {
      if (!store.hasRun(runId)) return undefined;
      const state = store.state(runId);
      const editable = state.approvedVersion === undefined && state.planVersion > 0 && state.phase !== 'finished';
      const base = { runId, version: state.planVersion, editable, ...(state.approvedVersion !== undefined ? { approvedVersion: state.approvedVersion } : {}) };
      if (!state.plan) return { ...base, text: '' };
      return { ...base, text: renderPlanFile(state.plan, { runId, version: state.planVersion, warnings: state.planWarnings }) };
    },
    validatePlanText: (_runId, text) => check(text),
    savePlan({ runId, text, by }) {
      editableState(runId);
      const parsed = validate(text);
      if (!parsed.ok) return { ok: false, errors: parsed.errors.map(problem), warnings: parsed.warnings.map(problem) };
      const warnings = parsed.warnings.map(problem);
      const record = withWriter(store, runId, (writer) => writer.proposePlan({ plan: parsed.plan, source: 'edited', warnings: parsed.warnings.map((w) => `${w.path}: ${w.message}`), by }));
      return { ok: true, errors: [], warnings, version: record.version };
    },
    approvePlan({ runId, version, by }) {
      const state = editableState(runId);
      if (version !== state.planVersion) throw new DashboardUserError(`plan v${version} is not the latest version of run ${runId} (v${state.planVersion}); reload and review the latest one`);
      withWriter(store, runId, (writer) => writer.approvePlan({ version, by }));
    },
    changeDecisionLog({ runId, by, ...change }) {
      if (!store.hasRun(runId)) throw new DashboardUserError(`there is no run ${runId}`);
      try {
        // The same rule as baton decisions: no lock needed, so a live run's log can be changed.
        recordDecisionChange(store, runId, { ...change, source: 'human', by });
        return { ok: true };
      } catch (error) {
        if (error instanceof DecisionLogError) return { ok: false, error: error.message };
        throw error;
      }
    },
  };
}
