// What the run engine needs from the world, as plain async functions: a workspace per task
// attempt, a worker that edits it through its grant, tests, a reviewer, and integration
// onto the run branch. The engine owns the order and the record; these own the mechanics.
import type { Task } from '../plan/plan-schema.ts';
import type { ChangedFile } from '../review/scope-check.ts';
import type { DecisionEntry } from '../decisions/decision-log.ts';
import type { RunEventInput } from '../store/run-event.ts';
import type { ReviewRecord } from '../store/run-state.ts';
import type { AttemptWork } from './attempt-work.ts';
import type { AttemptWorkInput } from './local-attempts.ts';

/** Events a port reports while it works; the engine appends them to the run's log. */
export type EmitEvent = (event: RunEventInput) => void;

export interface TaskWorkspace {
  /** Absolute path of a checkout the worker may change. */
  readonly dir: string;
  /** Task branch, `baton-tasks/<run>/<task>` (git cannot hold `baton/<run>` and `baton/<run>/<task>` at once). */
  readonly branch: string;
}

export interface WorkspacePort {
  /** A fresh checkout of `fromCommit` for one attempt of a task. */
  create(input: { runId: string; task: Task; attempt: number; fromCommit: string }): Promise<TaskWorkspace>;
  /** Commits everything the worker changed; undefined when nothing changed. */
  commit(input: { workspace: TaskWorkspace; message: string }): Promise<{ commit: string; changed: ChangedFile[]; diff: string } | undefined>;
  remove(workspace: TaskWorkspace): Promise<void>;
}

export type WorkerResult =
  | { kind: 'completed'; summary: string }
  /** scope 'worker': the task's own limit ran out; 'run': the run's shared budget is spent. */
  | { kind: 'budget_exhausted'; which: string; scope: 'worker' | 'run' }
  | { kind: 'failed'; error: string }
  | { kind: 'cancelled' };

export interface WorkerPort {
  /** Runs one worker attempt on the workspace, with only the task's grant. */
  run(input: { runId: string; task: Task; attempt: number; brief: string; workspace: TaskWorkspace; emit: EmitEvent; signal: AbortSignal }): Promise<WorkerResult>;
}

export interface SuiteResult {
  suite: string;
  passed: boolean;
  summary: string;
  durationMs: number;
}

export interface TestPort {
  /** Runs named suites in a checkout (sandboxed); unknown names fail with a clear summary. */
  run(input: { dir: string; suites: readonly string[]; signal: AbortSignal }): Promise<SuiteResult[]>;
}

export type ReviewVerdict = {
  decision: 'accept' | 'rework' | 'escalate';
  reasons: string[];
  feedback?: string;
  /** With an accept: key decisions the work fixes, for the run's decisions log. */
  decisions?: string[];
};

/** What is reviewed: a task's diff with its test results, or a read-only task's findings. */
export type ReviewedWork = { kind: 'diff'; diff: string; testSummaries: readonly string[] } | { kind: 'findings'; findings: string };

export interface ReviewInput {
  runId: string;
  task: Task;
  attempt: number;
  ticket: string;
  work: ReviewedWork;
  /** The reviewing model's own earlier verdicts on this task, oldest first. */
  earlier: readonly ReviewRecord[];
  /** The run's decisions log as it is now. */
  decisions: readonly Pick<DecisionEntry, 'id' | 'text'>[];
  emit: EmitEvent;
  signal: AbortSignal;
}

export interface ReviewPort {
  /** The model's review of a task's work against its brief (for diffs, scope and tests are checked by the engine first). */
  review(input: ReviewInput): Promise<ReviewVerdict>;
}

export type IntegrationResult =
  | { kind: 'merged'; commit: string; resolvedBy: 'clean' | 'merge_worker' }
  | { kind: 'conflict'; files: string[]; reason: string };

export interface IntegrationPort {
  /** Puts the run branch at `tip` before work starts (after a crash: the last recorded merge). */
  prepare(runId: string, tip: string): Promise<void>;
  /** The run branch's current tip. */
  tip(runId: string): Promise<string>;
  /** Applies a task commit onto the run branch (asking a merge worker on conflict), serialized by the engine. */
  integrate(input: { runId: string; task: Task; taskCommit: string; emit: EmitEvent; signal: AbortSignal }): Promise<IntegrationResult>;
  /** Moves the run branch back to `commit` (a merge whose tests failed is undone). */
  reset(input: { runId: string; commit: string }): Promise<void>;
  /** A checkout of the run branch tip to run tests in. */
  checkoutDir(runId: string): Promise<string>;
}

/** Does a task attempt up to the review gate: in this process (localAttempts) or on worker nodes. */
export interface AttemptPort {
  work(input: AttemptWorkInput): Promise<AttemptWork>;
}

export interface EnginePorts {
  /** Where attempts are done; default: here, with the workspaces, worker and tests below. */
  attempts?: AttemptPort;
  workspaces: WorkspacePort;
  worker: WorkerPort;
  tests: TestPort;
  reviewer: ReviewPort;
  integration: IntegrationPort;
}
