// What the dashboard reads and writes, as one small injected interface: the server knows
// nothing about SQLite, so tests run it on an in-memory source and `baton ui` on the store.
import type { StoredEvent } from '../store/run-event.ts';

/** The answers the dashboard offers for an escalation or an approval. */
export const DASHBOARD_DECISIONS = ['accept', 'rework', 'reject'] as const;
export type DashboardDecision = (typeof DASHBOARD_DECISIONS)[number];

export interface DecideInput {
  runId: string;
  /** A task id, or an escalation id for escalations without a task (e.g. a phase gate). */
  target: string;
  decision: DashboardDecision;
  comment?: string;
  by: string;
}

export interface PlanTextProblem {
  /** 1-based, pointing into the edited text. */
  line: number;
  column: number;
  path: string;
  message: string;
}

export interface PlanTextCheck {
  ok: boolean;
  errors: PlanTextProblem[];
  warnings: PlanTextProblem[];
}

export interface PlanText {
  runId: string;
  /** The plan version the text was rendered from (0 when the run has no plan yet). */
  version: number;
  approvedVersion?: number;
  /** Editing is possible only before a plan version is approved. */
  editable: boolean;
  text: string;
}

export type SavePlanResult = PlanTextCheck & { version?: number };

/** A person's change to a run's decisions log. */
export type DecisionLogChange = { action: 'add'; text: string } | { action: 'edit'; id: number; text: string } | { action: 'remove'; id: number; reason?: string };
export type DecisionLogChangeInput = DecisionLogChange & { runId: string; by: string };
export type DecisionLogChangeResult = { ok: true } | { ok: false; error: string };

export interface DashboardSource {
  /** Run ids, newest first. */
  runIds(): string[] | Promise<string[]>;
  /** The run's events after `afterSeq` (0: all), or undefined when there is no such run. */
  events(runId: string, afterSeq: number): StoredEvent[] | undefined | Promise<StoredEvent[] | undefined>;
  /** Optional push of appended events; the server also polls `events`, so this only cuts latency. */
  subscribe?(runId: string, listener: (event: StoredEvent) => void): () => void;
  /** Records a human_decision event. Throws DashboardUserError when nothing waits for it. */
  decide(input: DecideInput): void | Promise<void>;
  /** The readable plan file of the run's latest plan version. */
  planText(runId: string): PlanText | undefined | Promise<PlanText | undefined>;
  validatePlanText(runId: string, text: string): PlanTextCheck | Promise<PlanTextCheck>;
  /** Validates and, when valid, stores the text as a new plan version. */
  savePlan(input: { runId: string; text: string; by: string }): SavePlanResult | Promise<SavePlanResult>;
  approvePlan(input: { runId: string; version: number; by: string }): void | Promise<void>;
  /** Adds, edits or removes an entry of the run's decisions log; a change the log refuses comes back with the reason. */
  changeDecisionLog(input: DecisionLogChangeInput): DecisionLogChangeResult | Promise<DecisionLogChangeResult>;
}

/** The person asked for something that cannot be done now; the message says why (HTTP 409). */
export class DashboardUserError extends Error {
  override name = 'DashboardUserError';
}
