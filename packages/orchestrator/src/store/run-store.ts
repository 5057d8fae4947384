// The run store: runs, plan versions and the append-only event log, with run state derived
// from the log. One interface over two databases: SQLite beside the repository (the default)
// and PostgreSQL shared by several machines. Anyone may read; writing a run needs its lock
// (RunWriter), a task attempt's live claim (AttemptWriter, on a worker node) or is a human's
// decision.
import { randomBytes, randomUUID } from 'node:crypto';
import { PlanSchema, type Plan } from '../plan/plan-schema.ts';
import type { WorkflowName } from '../workflows/workflow.ts';
import { currentProcessIdentity } from './process-liveness.ts';
import { RunEventSchema, type RunBudgets, type RunEvent, type RunEventInput, type RunEventOf, type StoredEvent } from './run-event.ts';
import { reduceRunEvents, type RunState } from './run-state.ts';
import { resumeInfoOf, type ResumeInfo } from './resume-info.ts';
import type { AttemptFence, ClusterBackend, LockHolder, PlanVersionRecord, RunSummary, SqlExecutor, StoreBackend, WriteAuth } from './store-backend.ts';
import { StoreUsageError, UnknownRunError } from './store-errors.ts';
import { WriteQueue } from './write-queue.ts';

export type { AttemptFence, LockHolder, PlanVersionRecord, RunSummary } from './store-backend.ts';

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
  /** Tasks run on worker nodes through the job queue (`baton node`), their commits pass through this git remote. */
  distributed?: { remote: string };
}

export type EventListener = (event: StoredEvent) => void;

const PLAN_EVENT_TYPES = new Set(['plan_proposed', 'plan_edited', 'plan_approved']);
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

function parseEvent(event: RunEventInput): RunEvent {
  if (PLAN_EVENT_TYPES.has(event.type)) throw new StoreUsageError(`${event.type} events are written by proposePlan/approvePlan so the plan versions stay in step`);
  return RunEventSchema.parse(event);
}

/** One run's live subscribers: events reach them once each, in order, from this process or another. */
class RunFeed {
  readonly listeners = new Set<EventListener>();
  #lastSeq = 0;
  #chain: Promise<void>;
  #readQueued = false;
  readonly #read: (afterSeq: number) => Promise<StoredEvent[]>;
  unwatch: (() => void) | undefined;

  constructor(read: (afterSeq: number) => Promise<StoredEvent[]>, lastSeq: Promise<number>) {
    this.#read = read;
    this.#chain = lastSeq.then(
      (seq) => {
        this.#lastSeq = seq;
      },
      () => undefined,
    );
  }

  /** Events this process stored: delivered as soon as what came before them is. */
  stored(events: readonly StoredEvent[]): Promise<void> {
    return this.#then(async () => {
      if (events[0] !== undefined && events[0].seq > this.#lastSeq + 1) await this.#readNew();
      this.#deliver(events);
    });
  }

  /** Something may have been appended elsewhere: read what is new (once for a burst of notices). */
  changed(): void {
    if (this.#readQueued) return;
    this.#readQueued = true;
    void this.#then(async () => {
      this.#readQueued = false;
      await this.#readNew();
    });
  }

  #then(step: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(step);
    this.#chain = next.catch(() => undefined);
    return next.catch(() => undefined);
  }

  async #readNew(): Promise<void> {
    this.#deliver(await this.#read(this.#lastSeq));
  }

  #deliver(events: readonly StoredEvent[]): void {
    for (const event of events) {
      if (event.seq <= this.#lastSeq) continue;
      this.#lastSeq = event.seq;
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch {
          // A subscriber's failure (a display, a stream) must not fail the write that stored the event.
        }
      }
    }
  }
}

export class RunStore {
  readonly #backend: StoreBackend;
  readonly #now: () => Date;
  readonly #feeds = new Map<string, RunFeed>();

  constructor(options: { backend: StoreBackend; now?: () => Date }) {
    this.#backend = options.backend;
    this.#now = options.now ?? (() => new Date());
  }

  get kind(): StoreBackend['kind'] {
    return this.#backend.kind;
  }

  /** The worker-node operations (task attempts, fencing), on a store that has them (PostgreSQL). */
  get cluster(): ClusterBackend | undefined {
    return this.#backend.cluster;
  }

  /** Where the store is (a path, or a URL without its password). */
  get location(): string {
    return this.#backend.location;
  }

  /** Creates a run and returns the writer that holds its lock. */
  async createRun(input: CreateRunInput): Promise<RunWriter> {
    const runId = input.runId ?? newRunId(this.#now());
    if (!RUN_ID.test(runId)) throw new StoreUsageError(`run id ${JSON.stringify(runId)} must be 1-64 letters, digits, ".", "_" or "-"`);
    if (input.distributed && this.kind !== 'postgres') throw new StoreUsageError('runs on worker nodes need a PostgreSQL store (--store postgres://…); this store is a SQLite file');
    const event = RunEventSchema.parse({
      type: 'run_created',
      ticket: input.ticket,
      workflow: input.workflow,
      baseCommit: input.baseCommit,
      ...(input.baseBranch !== undefined ? { baseBranch: input.baseBranch } : {}),
      budgets: input.budgets ?? {},
      maxWorkers: input.maxWorkers,
      autoApprove: input.autoApprove ?? false,
      ...(input.distributed ? { distributed: input.distributed } : {}),
    });
    // One transaction: a run is never without its first event or its writer's lock, whenever the process dies.
    const { token, stored } = await this.#backend.createRun({
      runId,
      createdAt: this.#now().toISOString(),
      ticket: input.ticket,
      workflow: input.workflow,
      baseCommit: input.baseCommit,
      identity: currentProcessIdentity(),
      event,
    });
    await this.#stored(runId, stored);
    return new RunWriter({ store: this, runId, token });
  }

  /** Takes the run's lock. Throws RunLockedError while another live process holds it. */
  async openWriter(runId: string): Promise<RunWriter> {
    await this.#requireRun(runId);
    const lock = await this.#backend.acquireLock(runId, currentProcessIdentity());
    return new RunWriter({ store: this, runId, token: lock.token, ...(lock.takenOverFrom ? { takenOverFrom: lock.takenOverFrom } : {}) });
  }

  /**
   * Takes the run over to continue it: locks it, records run_resumed (in-flight tasks go back
   * to pending and restart from fresh workspaces) and says what was finished and in flight.
   */
  async resumeRun(runId: string): Promise<{ writer: RunWriter; resume: ResumeInfo }> {
    const writer = await this.openWriter(runId);
    try {
      const resume = await this.resumeInfo(runId);
      await writer.append({ type: 'run_resumed', pid: process.pid, interruptedTasks: resume.inFlight.map((t) => t.taskId) });
      return { writer, resume };
    } catch (error) {
      await writer.release();
      throw error;
    }
  }

  /** Writes the events of one task attempt running on a worker node, while its claim holds. */
  attemptWriter(runId: string, fence: AttemptFence): AttemptWriter {
    return new AttemptWriter({ store: this, runId, fence });
  }

  hasRun(runId: string): Promise<boolean> {
    return this.#backend.hasRun(runId);
  }

  listRuns(): Promise<RunSummary[]> {
    return this.#backend.listRuns();
  }

  /** The run's events in order, optionally only those after a seq (for tailing). */
  events(runId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    return this.#backend.events(runId, options);
  }

  /** Run state derived from the whole event log. */
  async state(runId: string): Promise<RunState> {
    await this.#requireRun(runId);
    return reduceRunEvents(await this.events(runId));
  }

  async resumeInfo(runId: string): Promise<ResumeInfo> {
    return resumeInfoOf(await this.state(runId));
  }

  planVersions(runId: string): Promise<PlanVersionRecord[]> {
    return this.#backend.planVersions(runId);
  }

  planVersion(runId: string, version: number): Promise<PlanVersionRecord | undefined> {
    return this.#backend.planVersion(runId, version);
  }

  lockHolder(runId: string): Promise<LockHolder | undefined> {
    return this.#backend.lockHolder(runId);
  }

  /**
   * Live updates: every event appended to the run from now on, once each and in order, whether
   * this process appended it or (on PostgreSQL) another one did. Returns an unsubscribe function.
   */
  subscribe(runId: string, listener: EventListener): () => void {
    let feed = this.#feeds.get(runId);
    if (!feed) {
      const created = new RunFeed((afterSeq) => this.events(runId, { afterSeq }), this.#lastSeq(runId));
      created.unwatch = this.#backend.watch?.(runId, () => created.changed());
      this.#feeds.set(runId, (feed = created));
    }
    const subscribed = feed;
    subscribed.listeners.add(listener);
    return () => {
      subscribed.listeners.delete(listener);
      if (subscribed.listeners.size === 0 && this.#feeds.get(runId) === subscribed) {
        this.#feeds.delete(runId);
        subscribed.unwatch?.();
      }
    };
  }

  async close(): Promise<void> {
    for (const feed of this.#feeds.values()) feed.unwatch?.();
    this.#feeds.clear();
    await this.#backend.close();
  }

  /**
   * Records a human's decision (an answer to an escalation or an approval) without holding the
   * run's lock: people decide while a run is live, and the engine reads the decision on its next
   * turn. Only human_decision events may be written this way.
   */
  async recordHumanDecision(runId: string, decision: Omit<RunEventOf<'human_decision'>, 'type' | 'by'> & { by?: string }): Promise<StoredEvent> {
    await this.#requireRun(runId);
    const event = RunEventSchema.parse({ type: 'human_decision', ...decision });
    return (await this.write(runId, {}, [event]))[0]!;
  }

  /** @internal used by the writers: one transaction, then live subscribers hear of it. */
  async write(runId: string, auth: WriteAuth, events: readonly RunEvent[], plan?: Parameters<StoreBackend['append']>[0]['plan']): Promise<StoredEvent[]> {
    const stored = await this.#backend.append({ runId, auth, events, writeId: randomUUID(), ...(plan ? { plan } : {}) });
    await this.#stored(runId, stored);
    return stored;
  }

  /** @internal live subscribers hear of events a cluster operation stored. */
  notifyStored(runId: string, stored: readonly StoredEvent[]): Promise<void> {
    return this.#stored(runId, stored);
  }

  /** @internal */
  releaseLock(runId: string, token: string): Promise<void> {
    return this.#backend.releaseLock(runId, token);
  }

  /** @internal */
  nowIso(): string {
    return this.#now().toISOString();
  }

  /** Live subscribers in this process hear of events before the append that stored them returns. */
  async #stored(runId: string, stored: readonly StoredEvent[]): Promise<void> {
    await this.#feeds.get(runId)?.stored(stored);
  }

  #lastSeq(runId: string): Promise<number> {
    return this.#backend.lastSeq(runId);
  }

  async #requireRun(runId: string): Promise<void> {
    if (!(await this.hasRun(runId))) throw new UnknownRunError(runId);
  }
}

/** The only way to write a run: holds its lock, validates every event, keeps appends in order. */
export class RunWriter {
  readonly runId: string;
  readonly takenOverFrom?: LockHolder;
  readonly #store: RunStore;
  readonly #token: string;
  readonly #queue: WriteQueue;
  #released = false;

  constructor(input: { store: RunStore; runId: string; token: string; takenOverFrom?: LockHolder }) {
    this.#store = input.store;
    this.runId = input.runId;
    this.#token = input.token;
    if (input.takenOverFrom) this.takenOverFrom = input.takenOverFrom;
    this.#queue = new WriteQueue((events) => this.#store.write(this.runId, { token: this.#token }, events));
  }

  async append(event: RunEventInput): Promise<StoredEvent> {
    return (await this.appendMany([event]))[0]!;
  }

  /** Appends several events atomically (all or none), after every event appended or queued before. */
  appendMany(events: readonly RunEventInput[]): Promise<StoredEvent[]> {
    this.#assertOpen();
    return this.#queue.push(events.map(parseEvent));
  }

  /**
   * Queues events (stored atomically, in order) without waiting for the database: for callbacks
   * that cannot wait. Invalid events throw here; a failed write is thrown by the next flush().
   */
  enqueue(events: RunEventInput | readonly RunEventInput[]): void {
    this.#assertOpen();
    this.#queue.enqueue((Array.isArray(events) ? events : [events]).map(parseEvent));
  }

  /** Waits until everything appended or queued is stored; throws if a queued write failed. */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  /** Stores a new plan version (proposed by the planner or edited by a human) and its event. */
  async proposePlan(input: { plan: Plan; source: 'proposed' | 'edited'; warnings?: readonly string[]; by?: string }): Promise<PlanVersionRecord> {
    this.#assertOpen();
    const plan = PlanSchema.parse(input.plan);
    const createdAt = this.#store.nowIso();
    const eventFor = (version: number) =>
      RunEventSchema.parse({
        type: input.source === 'proposed' ? 'plan_proposed' : 'plan_edited',
        version,
        plan,
        warnings: input.warnings ?? [],
        ...(input.by !== undefined ? { by: input.by } : {}),
      });
    eventFor(1);
    const [stored] = await this.#queue.exclusive(() => this.#store.write(this.runId, { token: this.#token }, [], { kind: 'propose', source: input.source, plan, createdAt, eventFor }));
    const version = stored && (stored.type === 'plan_proposed' || stored.type === 'plan_edited') ? stored.version : 0;
    return { runId: this.runId, version, source: input.source, plan, createdAt };
  }

  /** Marks a plan version approved (once) and records plan_approved; execution follows that version. */
  async approvePlan(input: { version: number; by?: string }): Promise<StoredEvent> {
    this.#assertOpen();
    const existing = await this.#store.planVersion(this.runId, input.version);
    if (!existing) throw new StoreUsageError(`run ${this.runId} has no plan version ${input.version}; see \`baton plan show\` for the versions`);
    const by = input.by ?? 'human';
    const event = RunEventSchema.parse({ type: 'plan_approved', version: input.version, by });
    const stored = await this.#queue.exclusive(() => this.#store.write(this.runId, { token: this.#token }, [event], { kind: 'approve', version: input.version, by, at: this.#store.nowIso() }));
    return stored[0]!;
  }

  /**
   * Queues a task attempt for worker nodes (PostgreSQL stores): supersedes any older live attempt
   * of the task, records task_dispatched and inserts the job, all in one transaction, after every
   * event queued before it.
   */
  async dispatchAttempt(input: { taskId: string; attempt: number; jobId: string; fromCommit: string; enqueue: (db: SqlExecutor) => Promise<void> }): Promise<StoredEvent> {
    this.#assertOpen();
    const cluster = this.#store.cluster;
    if (!cluster) throw new StoreUsageError('runs on worker nodes need a PostgreSQL store (--store postgres://…); this store is a SQLite file');
    const event = RunEventSchema.parse({ type: 'task_dispatched', taskId: input.taskId, attempt: input.attempt, jobId: input.jobId, fromCommit: input.fromCommit });
    const stored = await this.#queue.exclusive(() =>
      cluster.dispatchAttempt({ runId: this.runId, token: this.#token, taskId: input.taskId, attempt: input.attempt, jobId: input.jobId, events: [event], enqueue: input.enqueue }),
    );
    await this.#store.notifyStored(this.runId, stored);
    return stored[0]!;
  }

  /** Supersedes every unfinished attempt of the run (their nodes' writes are refused from now on). */
  async supersedeAttempts(): Promise<{ taskId: string; attempt: number; jobId: string }[]> {
    this.#assertOpen();
    const cluster = this.#store.cluster;
    if (!cluster) return [];
    return this.#queue.exclusive(() => cluster.supersedeAttempts({ runId: this.runId, token: this.#token }));
  }

  get released(): boolean {
    return this.#released;
  }

  /** Gives the lock back once queued events are stored; the writer cannot be used afterwards. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#queue.exclusive(() => this.#store.releaseLock(this.runId, this.#token)).catch(() => undefined);
  }

  #assertOpen(): void {
    if (this.#released) throw new StoreUsageError(`the writer of run ${this.runId} was released; open a new one with openWriter`);
  }
}

/**
 * Writes the events of one task attempt from the worker node that runs it. Every write checks,
 * in its transaction, that the node's claim on the attempt is still the live one: a node whose
 * claim lapsed (a missed heartbeat, a superseded attempt) has its writes refused, so a late
 * finisher can record nothing, least of all a result.
 */
export class AttemptWriter {
  readonly runId: string;
  readonly fence: AttemptFence;
  readonly #store: RunStore;
  readonly #queue: WriteQueue;

  constructor(input: { store: RunStore; runId: string; fence: AttemptFence }) {
    this.#store = input.store;
    this.runId = input.runId;
    this.fence = input.fence;
    this.#queue = new WriteQueue((events) => this.#store.write(this.runId, { fence: this.fence }, events));
  }

  appendMany(events: readonly RunEventInput[]): Promise<StoredEvent[]> {
    return this.#queue.push(events.map(parseEvent));
  }

  enqueue(events: RunEventInput | readonly RunEventInput[]): void {
    this.#queue.enqueue((Array.isArray(events) ? events : [events]).map(parseEvent));
  }

  flush(): Promise<void> {
    return this.#queue.flush();
  }
}
