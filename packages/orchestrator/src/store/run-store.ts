// The run store: one SQLite file (WAL) beside the repository, holding runs, plan versions
// and the append-only event log. Anyone may read; writing a run needs its lock (RunWriter).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { PlanSchema, type Plan } from '../plan/plan-schema.ts';
import type { WorkflowName } from '../workflows/workflow.ts';
import { gitOut } from '../git/run-git.ts';
import { RunEventSchema, type RunBudgets, type RunEvent, type RunEventInput, type RunEventOf, type StoredEvent } from './run-event.ts';
import { reduceRunEvents, type RunState } from './run-state.ts';
import { resumeInfoOf, type ResumeInfo } from './resume-info.ts';
import { acquireRunLock, assertLockHeld, readLockHolder, releaseRunLock, type LockHolder } from './run-lock.ts';
import { immediateTransaction, initStoreSchema, STORE_BUSY_TIMEOUT_MS } from './store-schema.ts';
import { StoreUsageError, UnknownRunError } from './store-errors.ts';

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

export interface CreateRunInput {
  /** Defaults to a fresh id like 20250314-101500-a1b2 (safe in branch names). */
  runId?: string;
  ticket: string;
  workflow: WorkflowName;
  baseCommit: string;
  baseBranch?: string;
  budgets?: RunBudgets;
  maxWorkers: number;
  /** Approve the plan without asking (baton run --yes). */
  autoApprove?: boolean;
}

export type EventListener = (event: StoredEvent) => void;

const PLAN_EVENT_TYPES = new Set(['plan_proposed', 'plan_edited', 'plan_approved']);
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface EventRow {
  seq: number;
  at: string;
  data: string;
}

interface PlanRow {
  version: number;
  source: 'proposed' | 'edited';
  plan: string;
  created_at: string;
  approved_at: string | null;
  approved_by: string | null;
}

/** `<git common dir>/baton/state.db`: inside .git, so never committed and shared by worktrees. */
export async function defaultStorePath(repoRoot: string): Promise<string> {
  const commonDir = await gitOut(['rev-parse', '--git-common-dir'], { cwd: repoRoot });
  return path.join(path.resolve(repoRoot, commonDir), 'baton', 'state.db');
}

export function openRunStore(options: { path: string; now?: () => Date }): RunStore {
  return new RunStore(options);
}

export async function openRepoStore(options: { repoRoot: string; path?: string; now?: () => Date }): Promise<RunStore> {
  const file = options.path ?? (await defaultStorePath(options.repoRoot));
  return new RunStore({ path: file, ...(options.now ? { now: options.now } : {}) });
}

export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export class RunStore {
  readonly path: string;
  readonly db: DatabaseSync;
  readonly #now: () => Date;
  readonly #listeners = new Map<string, Set<EventListener>>();

  constructor(options: { path: string; now?: () => Date }) {
    this.path = options.path;
    this.#now = options.now ?? (() => new Date());
    if (options.path !== ':memory:') mkdirSync(path.dirname(options.path), { recursive: true });
    // The busy timeout is set as the file is opened, before any statement can meet a lock.
    this.db = new DatabaseSync(options.path, { timeout: STORE_BUSY_TIMEOUT_MS });
    initStoreSchema(this.db);
  }

  /** Creates a run and returns the writer that holds its lock. */
  createRun(input: CreateRunInput): RunWriter {
    const runId = input.runId ?? newRunId(this.#now());
    if (!RUN_ID.test(runId)) throw new StoreUsageError(`run id ${JSON.stringify(runId)} must be 1-64 letters, digits, ".", "_" or "-"`);
    const event = RunEventSchema.parse({
      type: 'run_created',
      ticket: input.ticket,
      workflow: input.workflow,
      baseCommit: input.baseCommit,
      ...(input.baseBranch !== undefined ? { baseBranch: input.baseBranch } : {}),
      budgets: input.budgets ?? {},
      maxWorkers: input.maxWorkers,
      autoApprove: input.autoApprove ?? false,
    });
    // One transaction: a run is never without its first event or its writer's lock, whenever the process dies.
    return immediateTransaction(this.db, () => {
      const exists = this.db.prepare('SELECT 1 AS x FROM runs WHERE run_id = ?').get(runId);
      if (exists) throw new StoreUsageError(`run ${runId} already exists; choose another id or resume it`);
      this.db.prepare('INSERT INTO runs (run_id, created_at, ticket, workflow, base_commit) VALUES (?, ?, ?, ?, ?)').run(
        runId,
        this.#now().toISOString(),
        input.ticket,
        input.workflow,
        input.baseCommit,
      );
      const writer = this.openWriter(runId);
      writer.append(event);
      return writer;
    });
  }

  /** Takes the run's lock. Throws RunLockedError while another live process holds it. */
  openWriter(runId: string): RunWriter {
    this.#requireRun(runId);
    const lock = acquireRunLock(this.db, runId);
    return new RunWriter({ store: this, runId, token: lock.token, ...(lock.takenOverFrom ? { takenOverFrom: lock.takenOverFrom } : {}) });
  }

  /**
   * Takes the run over to continue it: locks it, records run_resumed (in-flight tasks go back
   * to pending and restart from fresh workspaces) and says what was finished and in flight.
   */
  resumeRun(runId: string): { writer: RunWriter; resume: ResumeInfo } {
    const writer = this.openWriter(runId);
    try {
      const resume = this.resumeInfo(runId);
      writer.append({ type: 'run_resumed', pid: process.pid, interruptedTasks: resume.inFlight.map((t) => t.taskId) });
      return { writer, resume };
    } catch (error) {
      writer.release();
      throw error;
    }
  }

  hasRun(runId: string): boolean {
    return this.db.prepare('SELECT 1 AS x FROM runs WHERE run_id = ?').get(runId) !== undefined;
  }

  listRuns(): RunSummary[] {
    const rows = this.db
      .prepare(
        `SELECT r.run_id, r.created_at, r.ticket, r.workflow, r.base_commit,
                (SELECT MAX(seq) FROM events e WHERE e.run_id = r.run_id) AS last_seq
         FROM runs r ORDER BY r.created_at DESC, r.run_id DESC`,
      )
      .all() as { run_id: string; created_at: string; ticket: string; workflow: WorkflowName; base_commit: string; last_seq: number | null }[];
    const lastOf = this.db.prepare('SELECT at FROM events WHERE run_id = ? AND seq = ?');
    const endOf = this.db.prepare("SELECT type, data FROM events WHERE run_id = ? AND type IN ('run_finished', 'run_resumed') ORDER BY seq DESC LIMIT 1");
    return rows.map((r) => {
      const lastSeq = r.last_seq ?? 0;
      const last = lastOf.get(r.run_id, lastSeq) as { at: string } | undefined;
      const end = endOf.get(r.run_id) as { type: string; data: string } | undefined;
      const outcome = end?.type === 'run_finished' ? (JSON.parse(end.data) as { outcome: string }).outcome : undefined;
      const lockedBy = readLockHolder(this.db, r.run_id);
      return {
        runId: r.run_id,
        createdAt: r.created_at,
        ticket: r.ticket,
        workflow: r.workflow,
        baseCommit: r.base_commit,
        lastSeq,
        lastEventAt: last?.at ?? r.created_at,
        ...(outcome !== undefined ? { outcome } : {}),
        ...(lockedBy ? { lockedBy } : {}),
      };
    });
  }

  /** The run's events in order, optionally only those after a seq (for tailing). */
  events(runId: string, options: { afterSeq?: number; limit?: number } = {}): StoredEvent[] {
    const rows = this.db
      .prepare('SELECT seq, at, data FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(runId, options.afterSeq ?? 0, options.limit ?? -1) as unknown as EventRow[];
    // Events were validated when appended; reading trusts the store's own rows.
    return rows.map((row) => ({ ...(JSON.parse(row.data) as RunEvent), runId, seq: row.seq, at: row.at }));
  }

  /** Run state derived from the whole event log. */
  state(runId: string): RunState {
    this.#requireRun(runId);
    return reduceRunEvents(this.events(runId));
  }

  resumeInfo(runId: string): ResumeInfo {
    return resumeInfoOf(this.state(runId));
  }

  planVersions(runId: string): PlanVersionRecord[] {
    const rows = this.db.prepare('SELECT version, source, plan, created_at, approved_at, approved_by FROM plan_versions WHERE run_id = ? ORDER BY version').all(runId) as unknown as PlanRow[];
    return rows.map((row) => planRecord(runId, row));
  }

  planVersion(runId: string, version: number): PlanVersionRecord | undefined {
    const row = this.db.prepare('SELECT version, source, plan, created_at, approved_at, approved_by FROM plan_versions WHERE run_id = ? AND version = ?').get(runId, version) as PlanRow | undefined;
    return row ? planRecord(runId, row) : undefined;
  }

  lockHolder(runId: string): LockHolder | undefined {
    return readLockHolder(this.db, runId);
  }

  /** In-process live updates for events appended through this store object. Returns an unsubscribe function. */
  subscribe(runId: string, listener: EventListener): () => void {
    let set = this.#listeners.get(runId);
    if (!set) this.#listeners.set(runId, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /**
   * Records a human's decision (an answer to an escalation or an approval) without holding the
   * run's lock: people decide while a run is live, and the engine reads the decision on its next
   * turn. Only human_decision events may be written this way.
   */
  recordHumanDecision(runId: string, decision: Omit<RunEventOf<'human_decision'>, 'type' | 'by'> & { by?: string }): StoredEvent {
    this.#requireRun(runId);
    const event = RunEventSchema.parse({ type: 'human_decision', ...decision });
    return this.insertEvents(runId, undefined, [event])[0]!;
  }

  /** @internal used by RunWriter (with its lock token) and recordHumanDecision (without). */
  insertEvents(runId: string, token: string | undefined, events: readonly RunEvent[], extra?: (seqOf: (i: number) => number) => void): StoredEvent[] {
    const stored = immediateTransaction(this.db, () => {
      if (token !== undefined) assertLockHeld(this.db, runId, token);
      const row = this.db.prepare('SELECT MAX(seq) AS seq FROM events WHERE run_id = ?').get(runId) as { seq: number | null };
      const first = (row.seq ?? 0) + 1;
      const at = this.#now().toISOString();
      const insert = this.db.prepare('INSERT INTO events (run_id, seq, type, at, task_id, data) VALUES (?, ?, ?, ?, ?, ?)');
      const out: StoredEvent[] = events.map((event, i) => {
        const taskId = 'taskId' in event && typeof event.taskId === 'string' ? event.taskId : null;
        insert.run(runId, first + i, event.type, at, taskId, JSON.stringify(event));
        return { ...event, runId, seq: first + i, at };
      });
      extra?.((i) => first + i);
      return out;
    });
    const listeners = this.#listeners.get(runId);
    if (listeners) for (const event of stored) for (const listener of listeners) listener(event);
    return stored;
  }

  /** @internal */
  nowIso(): string {
    return this.#now().toISOString();
  }

  #requireRun(runId: string): void {
    if (!this.hasRun(runId)) throw new UnknownRunError(runId);
  }
}

function planRecord(runId: string, row: PlanRow): PlanVersionRecord {
  return {
    runId,
    version: row.version,
    source: row.source,
    plan: PlanSchema.parse(JSON.parse(row.plan)),
    createdAt: row.created_at,
    ...(row.approved_at !== null ? { approvedAt: row.approved_at } : {}),
    ...(row.approved_by !== null ? { approvedBy: row.approved_by } : {}),
  };
}

/** The only way to write a run: holds its lock, validates every event, stamps seq and time. */
export class RunWriter {
  readonly runId: string;
  readonly takenOverFrom?: LockHolder;
  readonly #store: RunStore;
  readonly #token: string;
  #released = false;

  constructor(input: { store: RunStore; runId: string; token: string; takenOverFrom?: LockHolder }) {
    this.#store = input.store;
    this.runId = input.runId;
    this.#token = input.token;
    if (input.takenOverFrom) this.takenOverFrom = input.takenOverFrom;
  }

  append(event: RunEventInput): StoredEvent {
    return this.appendMany([event])[0]!;
  }

  /** Appends several events atomically (all or none). */
  appendMany(events: readonly RunEventInput[]): StoredEvent[] {
    this.#assertOpen();
    const parsed = events.map((e) => {
      if (PLAN_EVENT_TYPES.has(e.type)) throw new StoreUsageError(`${e.type} events are written by proposePlan/approvePlan so the plan versions stay in step`);
      return RunEventSchema.parse(e);
    });
    return this.#store.insertEvents(this.runId, this.#token, parsed);
  }

  /** Stores a new plan version (proposed by the planner or edited by a human) and its event. */
  proposePlan(input: { plan: Plan; source: 'proposed' | 'edited'; warnings?: readonly string[]; by?: string }): PlanVersionRecord {
    this.#assertOpen();
    const plan = PlanSchema.parse(input.plan);
    const db = this.#store.db;
    const row = db.prepare('SELECT MAX(version) AS v FROM plan_versions WHERE run_id = ?').get(this.runId) as { v: number | null };
    const version = (row.v ?? 0) + 1;
    const event = RunEventSchema.parse({
      type: input.source === 'proposed' ? 'plan_proposed' : 'plan_edited',
      version,
      plan,
      warnings: input.warnings ?? [],
      ...(input.by !== undefined ? { by: input.by } : {}),
    });
    const createdAt = this.#store.nowIso();
    this.#store.insertEvents(this.runId, this.#token, [event], () => {
      db.prepare('INSERT INTO plan_versions (run_id, version, source, plan, created_at) VALUES (?, ?, ?, ?, ?)').run(this.runId, version, input.source, JSON.stringify(plan), createdAt);
    });
    return { runId: this.runId, version, source: input.source, plan, createdAt };
  }

  /** Marks a plan version approved (once) and records plan_approved; execution follows that version. */
  approvePlan(input: { version: number; by?: string }): StoredEvent {
    this.#assertOpen();
    const db = this.#store.db;
    const existing = this.#store.planVersion(this.runId, input.version);
    if (!existing) throw new StoreUsageError(`run ${this.runId} has no plan version ${input.version}; see \`baton plan show\` for the versions`);
    const by = input.by ?? 'human';
    const event = RunEventSchema.parse({ type: 'plan_approved', version: input.version, by });
    return this.#store.insertEvents(this.runId, this.#token, [event], () => {
      const result = db.prepare('UPDATE plan_versions SET approved_at = ?, approved_by = ? WHERE run_id = ? AND version = ? AND approved_at IS NULL').run(this.#store.nowIso(), by, this.runId, input.version);
      if (result.changes !== 1) throw new StoreUsageError(`plan version ${input.version} of run ${this.runId} is already approved`);
    })[0]!;
  }

  get released(): boolean {
    return this.#released;
  }

  /** Gives the lock back; the writer cannot be used afterwards. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#store.db.isOpen) releaseRunLock(this.#store.db, this.runId, this.#token);
  }

  #assertOpen(): void {
    if (this.#released) throw new StoreUsageError(`the writer of run ${this.runId} was released; open a new one with openWriter`);
  }
}
