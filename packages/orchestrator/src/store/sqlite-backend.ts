// The embedded store: one SQLite file (WAL) beside the repository, `<git dir>/baton/state.db`.
// node:sqlite is synchronous, so each method does its work at once and returns a settled promise;
// writes take SQLite's write lock up front (BEGIN IMMEDIATE), which orders writers across processes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { PlanSchema } from '../plan/plan-schema.ts';
import type { WorkflowName } from '../workflows/workflow.ts';
import type { RunEvent, StoredEvent } from './run-event.ts';
import { acquireRunLock, assertLockHeld, readLockHolder, releaseRunLock } from './run-lock.ts';
import type { PlanVersionRecord, RunSummary, StoreBackend, WriteAuth, PlanWrite } from './store-backend.ts';
import { immediateTransaction, initStoreSchema, STORE_BUSY_TIMEOUT_MS } from './store-schema.ts';
import { StoreUsageError } from './store-errors.ts';

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

export function openSqliteBackend(options: { path: string; now?: () => Date }): SqliteBackend {
  return new SqliteBackend(options);
}

export class SqliteBackend implements StoreBackend {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  readonly db: DatabaseSync;
  readonly #now: () => Date;

  constructor(options: { path: string; now?: () => Date }) {
    this.location = options.path;
    this.#now = options.now ?? (() => new Date());
    if (options.path !== ':memory:') mkdirSync(path.dirname(options.path), { recursive: true });
    // The busy timeout is set as the file is opened, before any statement can meet a lock.
    this.db = new DatabaseSync(options.path, { timeout: STORE_BUSY_TIMEOUT_MS });
    initStoreSchema(this.db);
  }

  async createRun(input: Parameters<StoreBackend['createRun']>[0]): Promise<{ token: string; stored: StoredEvent[] }> {
    return immediateTransaction(this.db, () => {
      const exists = this.db.prepare('SELECT 1 AS x FROM runs WHERE run_id = ?').get(input.runId);
      if (exists) throw new StoreUsageError(`run ${input.runId} already exists; choose another id or resume it`);
      this.db.prepare('INSERT INTO runs (run_id, created_at, ticket, workflow, base_commit) VALUES (?, ?, ?, ?, ?)').run(input.runId, input.createdAt, input.ticket, input.workflow, input.baseCommit);
      const lock = acquireRunLock(this.db, input.runId, input.identity);
      const stored = this.#insert(input.runId, { token: lock.token }, [input.event]);
      return { token: lock.token, stored };
    });
  }

  async acquireLock(runId: string, identity: Parameters<StoreBackend['acquireLock']>[1]) {
    return acquireRunLock(this.db, runId, identity);
  }

  async releaseLock(runId: string, token: string): Promise<void> {
    if (this.db.isOpen) releaseRunLock(this.db, runId, token);
  }

  async append(input: Parameters<StoreBackend['append']>[0]): Promise<StoredEvent[]> {
    if (input.auth.fence) throw new StoreUsageError('task attempts on worker nodes need a PostgreSQL store (--store postgres://…); this store is a SQLite file');
    return immediateTransaction(this.db, () => {
      const events = [...input.events];
      if (input.plan?.kind === 'propose') events.push(this.#proposePlan(input.runId, input.plan));
      const stored = this.#insert(input.runId, input.auth, events);
      if (input.plan?.kind === 'approve') this.#approvePlan(input.runId, input.plan);
      return stored;
    });
  }

  async hasRun(runId: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 AS x FROM runs WHERE run_id = ?').get(runId) !== undefined;
  }

  async listRuns(): Promise<RunSummary[]> {
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

  async events(runId: string, options: { afterSeq?: number; limit?: number }): Promise<StoredEvent[]> {
    const rows = this.db.prepare('SELECT seq, at, data FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(runId, options.afterSeq ?? 0, options.limit ?? -1) as unknown as EventRow[];
    // Events were validated when appended; reading trusts the store's own rows.
    return rows.map((row) => ({ ...(JSON.parse(row.data) as RunEvent), runId, seq: row.seq, at: row.at }));
  }

  async planVersions(runId: string): Promise<PlanVersionRecord[]> {
    const rows = this.db.prepare('SELECT version, source, plan, created_at, approved_at, approved_by FROM plan_versions WHERE run_id = ? ORDER BY version').all(runId) as unknown as PlanRow[];
    return rows.map((row) => planRecord(runId, row));
  }

  async planVersion(runId: string, version: number): Promise<PlanVersionRecord | undefined> {
    const row = this.db.prepare('SELECT version, source, plan, created_at, approved_at, approved_by FROM plan_versions WHERE run_id = ? AND version = ?').get(runId, version) as PlanRow | undefined;
    return row ? planRecord(runId, row) : undefined;
  }

  async lockHolder(runId: string) {
    return readLockHolder(this.db, runId);
  }

  async lastSeq(runId: string): Promise<number> {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM events WHERE run_id = ?').get(runId) as { seq: number | null };
    return row.seq ?? 0;
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  #insert(runId: string, auth: WriteAuth, events: readonly RunEvent[]): StoredEvent[] {
    if (auth.token !== undefined) assertLockHeld(this.db, runId, auth.token);
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM events WHERE run_id = ?').get(runId) as { seq: number | null };
    const first = (row.seq ?? 0) + 1;
    const at = this.#now().toISOString();
    const insert = this.db.prepare('INSERT INTO events (run_id, seq, type, at, task_id, data) VALUES (?, ?, ?, ?, ?, ?)');
    return events.map((event, i) => {
      const taskId = 'taskId' in event && typeof event.taskId === 'string' ? event.taskId : null;
      insert.run(runId, first + i, event.type, at, taskId, JSON.stringify(event));
      return { ...event, runId, seq: first + i, at };
    });
  }

  #proposePlan(runId: string, plan: Extract<PlanWrite, { kind: 'propose' }>): RunEvent {
    const row = this.db.prepare('SELECT MAX(version) AS v FROM plan_versions WHERE run_id = ?').get(runId) as { v: number | null };
    const version = (row.v ?? 0) + 1;
    this.db.prepare('INSERT INTO plan_versions (run_id, version, source, plan, created_at) VALUES (?, ?, ?, ?, ?)').run(runId, version, plan.source, JSON.stringify(plan.plan), plan.createdAt);
    return plan.eventFor(version);
  }

  #approvePlan(runId: string, plan: Extract<PlanWrite, { kind: 'approve' }>): void {
    const result = this.db.prepare('UPDATE plan_versions SET approved_at = ?, approved_by = ? WHERE run_id = ? AND version = ? AND approved_at IS NULL').run(plan.at, plan.by, runId, plan.version);
    if (result.changes !== 1) throw new StoreUsageError(`plan version ${plan.version} of run ${runId} is already approved`);
  }
}

export function planRecord(runId: string, row: PlanRow): PlanVersionRecord {
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
