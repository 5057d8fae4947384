// What a database must do to hold baton's runs: the primitives the run store is built on,
// implemented once on SQLite (the embedded default) and once on PostgreSQL (several machines).
// Validation, derived state and the writer's ordering live above this, shared by both.
import type { Plan } from '../plan/plan-schema.ts';
import type { WorkflowName } from '../workflows/workflow.ts';
import type { ProcessIdentity } from './process-liveness.ts';
import type { RunEvent, StoredEvent } from './run-event.ts';

export interface LockHolder extends ProcessIdentity {
  acquiredAt: string;
}

/** A run lock's row, as both databases keep it in `run_locks`. */
export interface LockRow {
  token: string;
  pid: number;
  host: string;
  start_ticks: string | null;
  acquired_at: string;
}

export function holderOf(row: LockRow): LockHolder {
  return { pid: row.pid, host: row.host, acquiredAt: row.acquired_at, ...(row.start_ticks !== null ? { startTicks: row.start_ticks } : {}) };
}

export interface AcquiredLock {
  token: string;
  /** Set when the lock was taken over from a process that died holding it. */
  takenOverFrom?: LockHolder;
}

export interface PlanVersionRecord {
  runId: string;
  version: number;
  source: 'proposed' | 'edited';
  plan: Plan;
  createdAt: string;
  approvedAt?: string;
  approvedBy?: string;
}

export interface RunSummary {
  runId: string;
  createdAt: string;
  ticket: string;
  workflow: WorkflowName;
  baseCommit: string;
  lastSeq: number;
  lastEventAt: string;
  /** Outcome of the last run_finished, unless the run was resumed after it. */
  outcome?: string;
  lockedBy?: LockHolder;
}

/**
 * A task attempt's claim on a worker node (distributed runs): events it writes are stored only
 * while this claim is the attempt's live one, checked in the transaction that stores them.
 */
export interface AttemptFence {
  /** The job queue's name: where the queue keeps the job's claim. */
  queue: string;
  taskId: string;
  attempt: number;
  jobId: string;
  /** The queue's count of claims on the job when this node took it (pg-boss retryCount). */
  claim: number;
}

/** Who is writing: the run's lock holder (token), a node's attempt (fence), or a human (neither). */
export interface WriteAuth {
  token?: string;
  fence?: AttemptFence;
}

export type PlanWrite =
  | { kind: 'propose'; source: 'proposed' | 'edited'; plan: Plan; createdAt: string; eventFor: (version: number) => RunEvent }
  | { kind: 'approve'; version: number; by: string; at: string };

/** Runs SQL on a connection (inside a transaction when the caller holds one): what pg-boss's `db` option takes. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** What runs on worker nodes need of the store beyond StoreBackend (PostgreSQL only). */
export interface ClusterBackend {
  /**
   * Records a new attempt of a task (superseding any older live one), its events and its job,
   * in one transaction, under the run's lock: `enqueue` inserts the job through the executor.
   */
  dispatchAttempt(input: { runId: string; token: string; taskId: string; attempt: number; jobId: string; events: readonly RunEvent[]; enqueue: (db: SqlExecutor) => Promise<void> }): Promise<StoredEvent[]>;
  /** Marks every unfinished attempt of the run superseded (a resumed orchestrator starts them anew). */
  supersedeAttempts(input: { runId: string; token: string }): Promise<{ taskId: string; attempt: number; jobId: string }[]>;
  /**
   * A node takes the attempt its job names, if that job is still its claim and the attempt is
   * live; `events` (given the node that held it before, if any) are stored in the same transaction.
   */
  claimAttempt(input: { runId: string; fence: AttemptFence; node: string; events: (previousNode: string | undefined) => RunEvent[] }): Promise<{ kind: 'claimed'; stored: StoredEvent[] } | { kind: 'superseded' } | { kind: 'finished' }>;
  attemptStatus(runId: string, taskId: string, attempt: number): Promise<{ jobId: string; finished: boolean; superseded: boolean; node?: string; claim?: number } | undefined>;
  jobStatus(queue: string, jobId: string): Promise<{ state: string; retryCount: number; retryLimit: number; output: unknown } | undefined>;
  /** Tokens (input + output) and cost of every model call the run recorded so far, from every process. */
  runSpend(runId: string): Promise<{ tokens: number; costUsd: number }>;
  /** Statements on the store's pool, outside any transaction. */
  executor(): SqlExecutor;
}

export interface StoreBackend {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the store is, as shown to people: a file path, or a URL without its password. */
  readonly location: string;
  createRun(input: { runId: string; createdAt: string; ticket: string; workflow: WorkflowName; baseCommit: string; identity: ProcessIdentity; event: RunEvent }): Promise<{ token: string; stored: StoredEvent[] }>;
  acquireLock(runId: string, identity: ProcessIdentity): Promise<AcquiredLock>;
  releaseLock(runId: string, token: string): Promise<void>;
  /**
   * Appends events (and a plan version change) in one transaction, numbered after the run's
   * last event. `writeId` names the write, so one retried after a lost connection is stored once.
   */
  append(input: { runId: string; auth: WriteAuth; events: readonly RunEvent[]; plan?: PlanWrite; writeId: string }): Promise<StoredEvent[]>;
  hasRun(runId: string): Promise<boolean>;
  listRuns(): Promise<RunSummary[]>;
  events(runId: string, options: { afterSeq?: number; limit?: number }): Promise<StoredEvent[]>;
  planVersions(runId: string): Promise<PlanVersionRecord[]>;
  planVersion(runId: string, version: number): Promise<PlanVersionRecord | undefined>;
  lockHolder(runId: string): Promise<LockHolder | undefined>;
  /** The seq of the run's last event (0 for none). */
  lastSeq(runId: string): Promise<number>;
  /** The worker-node operations, on a store that has them (PostgreSQL). */
  readonly cluster?: ClusterBackend;
  /** Calls onChange when another process may have appended to the run (best effort; readers also poll). */
  watch?(runId: string, onChange: () => void): () => void;
  close(): Promise<void>;
}
