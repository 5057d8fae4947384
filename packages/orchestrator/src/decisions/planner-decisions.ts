// The planner's decisions, logged with the plan they came with: appended just before the plan
// version is stored, each naming that version. A planning killed between the two leaves entries
// whose plan never arrived; the next planning of the run removes them first, so planning again
// never logs the same decisions twice.
import type { RunEventInput } from '../store/run-event.ts';
import type { RunState } from '../store/run-state.ts';

/** Events logging what the planner decided with the plan version about to be stored. */
export function plannerDecisionEvents({ state, decisions, by }: { state: RunState; decisions: readonly string[]; by: string }): RunEventInput[] {
  const planVersion = state.planVersion + 1;
  return decisions.map((text) => ({ type: 'decision_logged', text, source: 'planner', by, planVersion }));
}

/** Events removing planner entries whose plan version was never stored (the planning that logged them died). */
export function orphanedPlannerDecisionEvents(state: RunState): RunEventInput[] {
  return state.decisions.entries
    .filter((e) => e.source === 'planner' && e.planVersion !== undefined && e.planVersion > state.planVersion)
    .map((e) => ({ type: 'decision_removed', decisionId: e.id, source: 'planner', by: 'baton', reason: `the planning that logged it stopped before plan v${e.planVersion} was stored; the run is planned again` }));
}
