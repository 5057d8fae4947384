// The shared store: PostgreSQL, for runs whose processes live on several machines. Appends
// number events under the run row's lock; the run lock is a row naming its holder plus a
// session advisory lock held by the holder's own connection, so a holder that dies (killed,
// or its machine gone) frees the run at once, on whatever host it was. A lost connection
// (PostgreSQL restarting) is retried within a window, each write under its write id, so
// nothing is stored twice or lost; other processes hear of new events through NOTIFY.
import pg from 'pg';
import type { PoolClient } from 'pg';
import type { WorkflowName } from '../workflows/workflow.ts';
import { processLiveness, type ProcessIdentity } from './process-liveness.ts';
import type { RunEvent, StoredEvent } from './run-event.ts';
import { migratePostgres } from './postgres-schema.ts';
import { DEFAULT_RETRY, isTransientPgError, withPgRetry, type RetryPolicy } from './postgres-retry.ts';
import { planRecord } from './sqlite-backend.ts';
import { holderOf, type AcquiredLock, type AttemptFence, type ClusterBackend, type LockHolder, type LockRow, type PlanVersionRecord, type PlanWrite, type RunSummary, type SqlExecutor, type StoreBackend, type WriteAuth } from './store-backend.ts';
import { AttemptFencedError, LockLostError, RunLockedError, StoreUsageError } from './store-errors.ts';
import { redactStoreUrl } from './store-url.ts';

/** First key of baton's advisory locks (the second is the run id's hash). */
const RUN_LOCK_CLASS = 2_140_600_017;
const NOTIFY_CHANNEL = 'baton_events';


export interface PostgresBackendOptions {
  url: string;
  now?: () => Date;
  applicationName?: string;
  retry?: RetryPolicy;
  /** pg-boss's schema, where the fence reads a job's claim (default pgboss). */
  queueSchema?: string;
}

export async function openPostgresBackend(options: PostgresBackendOptions): Promise<PostgresBackend> {
  const backend = new PostgresBackend(options);
  try {
    await backend.migrate();
  } catch (error) {
    await backend.close();
    throw error;
  }
  return backend;
}

type Tx = PoolClient;

export class PostgresBackend implements StoreBackend, ClusterBackend {
  readonly kind = 'postgres' as const;
  readonly location: string;
  readonly #pool: pg.Pool;
  readonly #url: string;
  readonly #now: (() => Date) | undefined;
  readonly #retry: RetryPolicy;
  readonly #applicationName: string;
  readonly #queueSchema: string;
  /** Runs this process holds, with their tokens; their advisory locks live on #lockClient. */
  readonly #held = new Map<string, string>();
  #lockClient: pg.Client | undefined;
  #lockClientReady: Promise<pg.Client> | undefined;
  /** Set while the run locks are being taken again after their connection broke; writes wait for it. */
  #retaking: Promise<void> | undefined;
  #listener: pg.Client | undefined;
  #listening: Promise<void> | undefined;
  readonly #watchers = new Map<string, Set<() => void>>();
  #closed = false;

  constructor(options: PostgresBackendOptions) {
    this.#url = options.url;
    this.location = redactStoreUrl(options.url);
    this.#now = options.now;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#applicationName = options.applicationName ?? 'baton';
    this.#queueSchema = options.queueSchema ?? 'pgboss';
    this.#pool = new pg.Pool({ connectionString: options.url, application_name: this.#applicationName, max: 8, connectionTimeoutMillis: 10_000, keepAlive: true });
    // An idle connection that breaks (a server restart) is dropped from the pool; the next query opens a new one.
    this.#pool.on('error', () => undefined);
  }

  get cluster(): ClusterBackend {
    return this;
  }

  async migrate(): Promise<void> {
    await this.#retrying('preparing the schema', async () => {
      const client = await this.#pool.connect();
      const onError = () => undefined;
      client.on('error', onError);
      try {
        await migratePostgres(client);
      } finally {
        client.off('error', onError);
        client.release();
      }
    });
  }

  async createRun(input: Parameters<StoreBackend['createRun']>[0]): Promise<{ token: string; stored: StoredEvent[] }> {
    const client = await this.#lockConnection();
    const acquired = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [RUN_LOCK_CLASS, input.runId]);
    if (!acquired.rows[0]?.ok) throw new StoreUsageError(`run ${input.runId} already exists; choose another id or resume it`);
    try {
      const token = crypto.randomUUID();
      const writeId = crypto.randomUUID();
      const stored = await this.#transaction('creating the run', async (tx) => {
        const done = await this.#alreadyWritten(tx, input.runId, writeId);
        if (done) return done;
        const inserted = await tx.query('INSERT INTO baton.runs (run_id, created_at, ticket, workflow, base_commit) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [input.runId, input.createdAt, input.ticket, input.workflow, input.baseCommit]);
        if (inserted.rowCount !== 1) throw new StoreUsageError(`run ${input.runId} already exists; choose another id or resume it`);
        await tx.query('INSERT INTO baton.run_locks (run_id, token, pid, host, start_ticks, acquired_at) VALUES ($1, $2, $3, $4, $5, $6)', [input.runId, token, input.identity.pid, input.identity.host, input.identity.startTicks ?? null, new Date().toISOString()]);
        return this.#insert(tx, input.runId, [input.event], writeId);
      });
      this.#held.set(input.runId, token);
      return { token, stored };
    } catch (error) {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [RUN_LOCK_CLASS, input.runId]).catch(() => undefined);
      throw error;
    }
  }

  async acquireLock(runId: string, identity: ProcessIdentity): Promise<AcquiredLock> {
    const existing = this.#held.get(runId);
    if (existing !== undefined) {
      // Advisory locks are per session and re-entrant: a second writer in this process is refused here.
      const holder = await this.lockHolder(runId);
      throw new RunLockedError({ runId, holderPid: holder?.pid ?? process.pid, holderHost: holder?.host ?? identity.host, since: holder?.acquiredAt ?? 'now', liveness: 'alive' });
    }
    const client = await this.#lockConnection();
    // A holder this host can see is dead (killed a moment ago) frees its lock as soon as the server
    // notices its connection closed: that moment is waited for, briefly; a live holder is refused at once.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [RUN_LOCK_CLASS, runId]);
      if (got.rows[0]?.ok) break;
      const holder = await this.lockHolder(runId);
      if (holder && processLiveness(holder) === 'dead' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      throw new RunLockedError({ runId, holderPid: holder?.pid ?? 0, holderHost: holder?.host ?? 'another host', since: holder?.acquiredAt ?? 'a moment ago', liveness: holder && processLiveness(holder) === 'unknown' ? 'unknown' : 'alive' });
    }
    try {
      const token = crypto.randomUUID();
      const takenOverFrom = await this.#transaction('taking the run lock', async (tx) => {
        // The run row first: appends take it too, so none of them straddles the change of holder.
        await tx.query('SELECT 1 FROM baton.runs WHERE run_id = $1 FOR UPDATE', [runId]);
        const row = await tx.query<LockRow>('DELETE FROM baton.run_locks WHERE run_id = $1 RETURNING token, pid, host, start_ticks, acquired_at', [runId]);
        await tx.query('INSERT INTO baton.run_locks (run_id, token, pid, host, start_ticks, acquired_at) VALUES ($1, $2, $3, $4, $5, $6)', [runId, token, identity.pid, identity.host, identity.startTicks ?? null, new Date().toISOString()]);
        // The advisory lock was free, so whoever the row names is gone (its connection closed with it).
        return row.rows[0] ? holderOf(row.rows[0]) : undefined;
      });
      this.#held.set(runId, token);
      return takenOverFrom ? { token, takenOverFrom } : { token };
    } catch (error) {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [RUN_LOCK_CLASS, runId]).catch(() => undefined);
      throw error;
    }
  }

  async releaseLock(runId: string, token: string): Promise<void> {
    if (this.#closed) return;
    await this.#retrying('releasing the run lock', () => this.#pool.query('DELETE FROM baton.run_locks WHERE run_id = $1 AND token = $2', [runId, token]));
    if (this.#held.get(runId) === token) {
      this.#held.delete(runId);
      await this.#lockClient?.query('SELECT pg_advisory_unlock($1, hashtext($2))', [RUN_LOCK_CLASS, runId]).catch(() => undefined);
    }
  }

  async append(input: Parameters<StoreBackend['append']>[0]): Promise<StoredEvent[]> {
    // The lock holder writes only once it holds the run again after a broken connection (or learns it lost it).
    if (input.auth.token !== undefined && this.#retaking) await this.#retaking;
    return this.#transaction('recording events', async (tx) => {
      const done = await this.#alreadyWritten(tx, input.runId, input.writeId);
      if (done) return done;
      await this.#authorize(tx, input.runId, input.auth, input.events);
      const events = [...input.events];
      if (input.plan?.kind === 'propose') events.push(await this.#proposePlan(tx, input.runId, input.plan));
      const stored = await this.#insert(tx, input.runId, events, input.writeId);
      if (input.plan?.kind === 'approve') {
        const result = await tx.query('UPDATE baton.plan_versions SET approved_at = $1, approved_by = $2 WHERE run_id = $3 AND version = $4 AND approved_at IS NULL', [input.plan.at, input.plan.by, input.runId, input.plan.version]);
        if (result.rowCount !== 1) throw new StoreUsageError(`plan version ${input.plan.version} of run ${input.runId} is already approved`);
      }
      return stored;
    });
  }

  async hasRun(runId: string): Promise<boolean> {
    const result = await this.#query<{ x: number }>('checking a run', 'SELECT 1 AS x FROM baton.runs WHERE run_id = $1', [runId]);
    return result.rows.length > 0;
  }

  async listRuns(): Promise<RunSummary[]> {
    const runs = await this.#query<{ run_id: string; created_at: string; ticket: string; workflow: WorkflowName; base_commit: string; last_seq: string; last_at: string | null; end_type: string | null; end_data: string | null }>(
      'listing runs',
      `SELECT r.run_id, r.created_at, r.ticket, r.workflow, r.base_commit, r.last_seq,
              (SELECT at FROM baton.events e WHERE e.run_id = r.run_id AND e.seq = r.last_seq) AS last_at,
              f.type AS end_type, f.data AS end_data
       FROM baton.runs r
       LEFT JOIN LATERAL (SELECT type, data FROM baton.events e WHERE e.run_id = r.run_id AND e.type IN ('run_finished', 'run_resumed') ORDER BY seq DESC LIMIT 1) f ON true
       ORDER BY r.created_at DESC, r.run_id DESC`,
      [],
    );
    const locks = await this.#query<LockRow & { run_id: string }>('listing run locks', 'SELECT run_id, token, pid, host, start_ticks, acquired_at FROM baton.run_locks', []);
    const lockOf = new Map(locks.rows.map((row) => [row.run_id, holderOf(row)]));
    return runs.rows.map((r) => {
      const outcome = r.end_type === 'run_finished' && r.end_data ? (JSON.parse(r.end_data) as { outcome: string }).outcome : undefined;
      const lockedBy = lockOf.get(r.run_id);
      return {
        runId: r.run_id,
        createdAt: r.created_at,
        ticket: r.ticket,
        workflow: r.workflow,
        baseCommit: r.base_commit,
        lastSeq: Number(r.last_seq),
        lastEventAt: r.last_at ?? r.created_at,
        ...(outcome !== undefined ? { outcome } : {}),
        ...(lockedBy ? { lockedBy } : {}),
      };
    });
  }

  async events(runId: string, options: { afterSeq?: number; limit?: number }): Promise<StoredEvent[]> {
    const result = await this.#query<{ seq: string; at: string; data: string }>(
      'reading events',
      'SELECT seq, at, data FROM baton.events WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [runId, options.afterSeq ?? 0, options.limit !== undefined && options.limit >= 0 ? options.limit : null],
    );
    return result.rows.map((row) => ({ ...(JSON.parse(row.data) as RunEvent), runId, seq: Number(row.seq), at: row.at }));
  }

  async planVersions(runId: string): Promise<PlanVersionRecord[]> {
    const result = await this.#query<PlanRowPg>('reading plan versions', 'SELECT version, source, plan, created_at, approved_at, approved_by FROM baton.plan_versions WHERE run_id = $1 ORDER BY version', [runId]);
    return result.rows.map((row) => planRecord(runId, row));
  }

  async planVersion(runId: string, version: number): Promise<PlanVersionRecord | undefined> {
    const result = await this.#query<PlanRowPg>('reading a plan version', 'SELECT version, source, plan, created_at, approved_at, approved_by FROM baton.plan_versions WHERE run_id = $1 AND version = $2', [runId, version]);
    return result.rows[0] ? planRecord(runId, result.rows[0]) : undefined;
  }

  async lockHolder(runId: string): Promise<LockHolder | undefined> {
    const result = await this.#query<LockRow>('reading the run lock', 'SELECT token, pid, host, start_ticks, acquired_at FROM baton.run_locks WHERE run_id = $1', [runId]);
    return result.rows[0] ? holderOf(result.rows[0]) : undefined;
  }

  async lastSeq(runId: string): Promise<number> {
    const result = await this.#query<{ last_seq: string }>('reading a run', 'SELECT last_seq FROM baton.runs WHERE run_id = $1', [runId]);
    return Number(result.rows[0]?.last_seq ?? 0);
  }

  watch(runId: string, onChange: () => void): () => void {
    let set = this.#watchers.get(runId);
    if (!set) this.#watchers.set(runId, (set = new Set()));
    set.add(onChange);
    void this.#listen();
    return () => {
      set.delete(onChange);
      if (set.size === 0) this.#watchers.delete(runId);
    };
  }

  // --- task attempts on worker nodes -------------------------------------------------------

  async dispatchAttempt(input: Parameters<ClusterBackend['dispatchAttempt']>[0]): Promise<StoredEvent[]> {
    const writeId = crypto.randomUUID();
    if (this.#retaking) await this.#retaking;
    return this.#transaction('dispatching a task attempt', async (tx) => {
      const done = await this.#alreadyWritten(tx, input.runId, writeId);
      if (done) return done;
      await this.#authorize(tx, input.runId, { token: input.token }, input.events);
      await tx.query('UPDATE baton.task_attempts SET superseded = true WHERE run_id = $1 AND task_id = $2 AND finished_at IS NULL AND NOT superseded', [input.runId, input.taskId]);
      await tx.query('INSERT INTO baton.task_attempts (run_id, task_id, attempt, job_id, dispatched_at) VALUES ($1, $2, $3, $4, $5)', [input.runId, input.taskId, input.attempt, input.jobId, new Date().toISOString()]);
      await input.enqueue(executorOf(tx));
      return this.#insert(tx, input.runId, input.events, writeId);
    });
  }

  async supersedeAttempts(input: { runId: string; token: string }): Promise<{ taskId: string; attempt: number; jobId: string }[]> {
    return this.#transaction('superseding task attempts', async (tx) => {
      await this.#authorize(tx, input.runId, { token: input.token }, []);
      const result = await tx.query<{ task_id: string; attempt: number; job_id: string }>(
        'UPDATE baton.task_attempts SET superseded = true WHERE run_id = $1 AND finished_at IS NULL AND NOT superseded RETURNING task_id, attempt, job_id',
        [input.runId],
      );
      return result.rows.map((r) => ({ taskId: r.task_id, attempt: r.attempt, jobId: r.job_id }));
    });
  }

  async claimAttempt(input: Parameters<ClusterBackend['claimAttempt']>[0]): ReturnType<ClusterBackend['claimAttempt']> {
    const writeId = crypto.randomUUID();
    return this.#transaction('claiming a task attempt', async (tx) => {
      await tx.query('SELECT last_seq FROM baton.runs WHERE run_id = $1 FOR UPDATE', [input.runId]);
      const row = await this.#attemptRow(tx, input.runId, input.fence);
      if (!row || row.superseded) return { kind: 'superseded' as const };
      if (row.finished_at !== null) return { kind: 'finished' as const };
      if (row.claim !== null && row.claim >= input.fence.claim) return { kind: 'superseded' as const };
      if (!(await this.#jobHeld(tx, input.fence))) return { kind: 'superseded' as const };
      await tx.query('UPDATE baton.task_attempts SET node = $4, claim = $5, claimed_at = $6 WHERE run_id = $1 AND task_id = $2 AND attempt = $3', [input.runId, input.fence.taskId, input.fence.attempt, input.node, input.fence.claim, new Date().toISOString()]);
      const stored = await this.#insert(tx, input.runId, input.events(row.node ?? undefined), writeId);
      return { kind: 'claimed' as const, stored };
    });
  }

  async attemptStatus(runId: string, taskId: string, attempt: number): ReturnType<ClusterBackend['attemptStatus']> {
    const result = await this.#query<{ job_id: string; node: string | null; claim: number | null; finished_at: string | null; superseded: boolean }>(
      'reading a task attempt',
      'SELECT job_id, node, claim, finished_at, superseded FROM baton.task_attempts WHERE run_id = $1 AND task_id = $2 AND attempt = $3',
      [runId, taskId, attempt],
    );
    const row = result.rows[0];
    if (!row) return undefined;
    return { jobId: row.job_id, finished: row.finished_at !== null, superseded: row.superseded, ...(row.node !== null ? { node: row.node } : {}), ...(row.claim !== null ? { claim: row.claim } : {}) };
  }

  async jobStatus(queue: string, jobId: string): ReturnType<ClusterBackend['jobStatus']> {
    const result = await this.#query<{ state: string; retry_count: number; retry_limit: number; output: unknown }>(
      'reading a job',
      `SELECT state, retry_count, retry_limit, output FROM ${this.#queueSchema}.job WHERE name = $1 AND id = $2`,
      [queue, jobId],
    );
    const row = result.rows[0];
    return row ? { state: row.state, retryCount: row.retry_count, retryLimit: row.retry_limit, output: row.output } : undefined;
  }

  async runSpend(runId: string): Promise<{ tokens: number; costUsd: number }> {
    const result = await this.#query<{ tokens: string | null; cost: number | null }>(
      'reading what the run spent',
      `SELECT SUM(COALESCE((d->'usage'->>'inputTokens')::bigint, 0) + COALESCE((d->'usage'->>'outputTokens')::bigint, 0)) AS tokens,
              SUM(COALESCE((d->>'costUsd')::float8, 0)) AS cost
       FROM (SELECT data::jsonb AS d FROM baton.events WHERE run_id = $1 AND type IN ('task_event', 'model_usage')) calls`,
      [runId],
    );
    return { tokens: Number(result.rows[0]?.tokens ?? 0), costUsd: Number(result.rows[0]?.cost ?? 0) };
  }

  executor(): SqlExecutor {
    return { executeSql: (text, values) => this.#query('running a queue statement', text, values ?? []) };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watchers.clear();
    const clients = [this.#lockClient, this.#listener];
    this.#lockClient = undefined;
    this.#listener = undefined;
    await Promise.allSettled(clients.map((c) => c?.end()));
    await this.#pool.end().catch(() => undefined);
  }

  // --- internals ---------------------------------------------------------------------------

  #retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withPgRetry(fn, { what, location: this.location, policy: this.#retry });
  }

  #query<R extends pg.QueryResultRow>(what: string, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    return this.#retrying(what, () => this.#pool.query<R>(text, values));
  }

  /** One transaction, retried whole on a lost connection (callers make it idempotent by write id). */
  #transaction<T>(what: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#retrying(what, async () => {
      const tx = await this.#pool.connect();
      // A connection that breaks between two statements (the server restarting) reports it as an
      // 'error' event on the checked-out client: without a listener it would end the process.
      // The statement that meets the broken connection fails too, and is retried.
      const onError = () => undefined;
      tx.on('error', onError);
      let broken = false;
      try {
        await tx.query('BEGIN');
        const result = await fn(tx);
        await tx.query('COMMIT');
        return result;
      } catch (error) {
        broken = isTransientPgError(error);
        if (!broken) await tx.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        tx.off('error', onError);
        tx.release(broken);
      }
    });
  }

  async #alreadyWritten(tx: Tx, runId: string, writeId: string): Promise<StoredEvent[] | undefined> {
    const result = await tx.query<{ seq: string; at: string; data: string }>('SELECT seq, at, data FROM baton.events WHERE run_id = $1 AND write_id = $2 ORDER BY seq', [runId, writeId]);
    if (result.rows.length === 0) return undefined;
    return result.rows.map((row) => ({ ...(JSON.parse(row.data) as RunEvent), runId, seq: Number(row.seq), at: row.at }));
  }

  /** Takes the run row's lock, then checks the writer may write: the run lock's token, or a node's live claim. */
  async #authorize(tx: Tx, runId: string, auth: WriteAuth, events: readonly RunEvent[]): Promise<void> {
    await tx.query('SELECT last_seq FROM baton.runs WHERE run_id = $1 FOR UPDATE', [runId]);
    if (auth.token !== undefined) {
      const row = await tx.query<{ token: string }>('SELECT token FROM baton.run_locks WHERE run_id = $1', [runId]);
      if (row.rows[0]?.token !== auth.token) throw new LockLostError(runId);
    }
    if (auth.fence) {
      const fence = auth.fence;
      const row = await this.#attemptRow(tx, runId, fence);
      const live = row !== undefined && !row.superseded && row.finished_at === null && row.claim === fence.claim;
      if (!live || !(await this.#jobHeld(tx, fence))) throw new AttemptFencedError({ runId, ...fence });
      if (events.some((e) => e.type === 'attempt_finished')) {
        await tx.query('UPDATE baton.task_attempts SET finished_at = $4 WHERE run_id = $1 AND task_id = $2 AND attempt = $3', [runId, fence.taskId, fence.attempt, new Date().toISOString()]);
      }
    }
  }

  async #attemptRow(tx: Tx, runId: string, fence: AttemptFence) {
    const result = await tx.query<{ job_id: string; node: string | null; claim: number | null; finished_at: string | null; superseded: boolean }>(
      'SELECT job_id, node, claim, finished_at, superseded FROM baton.task_attempts WHERE run_id = $1 AND task_id = $2 AND attempt = $3 FOR UPDATE',
      [runId, fence.taskId, fence.attempt],
    );
    const row = result.rows[0];
    return row && row.job_id === fence.jobId ? row : undefined;
  }

  /** The queue's own lease: the job is active under this very claim (not expired, failed over or retried). */
  async #jobHeld(tx: Tx, fence: AttemptFence): Promise<boolean> {
    const result = await tx.query<{ state: string; retry_count: number }>(`SELECT state, retry_count FROM ${this.#queueSchema}.job WHERE name = $1 AND id = $2 FOR SHARE`, [fence.queue, fence.jobId]);
    const row = result.rows[0];
    return row !== undefined && row.state === 'active' && row.retry_count === fence.claim;
  }

  async #insert(tx: Tx, runId: string, events: readonly RunEvent[], writeId: string): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const seqRow = await tx.query<{ last_seq: string }>('UPDATE baton.runs SET last_seq = last_seq + $2 WHERE run_id = $1 RETURNING last_seq', [runId, events.length]);
    if (!seqRow.rows[0]) throw new StoreUsageError(`there is no run ${runId} in the store at ${this.location}`);
    const first = Number(seqRow.rows[0].last_seq) - events.length + 1;
    const at = this.#now ? this.#now().toISOString() : new Date().toISOString();
    const values: unknown[] = [];
    const rows = events.map((event, i) => {
      const taskId = 'taskId' in event && typeof event.taskId === 'string' ? event.taskId : null;
      values.push(runId, first + i, event.type, at, taskId, JSON.stringify(event), writeId);
      const b = i * 7;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`;
    });
    await tx.query(`INSERT INTO baton.events (run_id, seq, type, at, task_id, data, write_id) VALUES ${rows.join(', ')}`, values);
    await tx.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, runId]);
    return events.map((event, i) => ({ ...event, runId, seq: first + i, at }));
  }

  async #proposePlan(tx: Tx, runId: string, plan: Extract<PlanWrite, { kind: 'propose' }>): Promise<RunEvent> {
    const row = await tx.query<{ v: number | null }>('SELECT MAX(version) AS v FROM baton.plan_versions WHERE run_id = $1', [runId]);
    const version = (row.rows[0]?.v ?? 0) + 1;
    await tx.query('INSERT INTO baton.plan_versions (run_id, version, source, plan, created_at) VALUES ($1, $2, $3, $4, $5)', [runId, version, plan.source, JSON.stringify(plan.plan), plan.createdAt]);
    return plan.eventFor(version);
  }

  /** The connection that holds this process's run locks; reopened (and the locks retaken) after it breaks. */
  #lockConnection(): Promise<pg.Client> {
    if (this.#lockClient) return Promise.resolve(this.#lockClient);
    this.#lockClientReady ??= this.#retrying('connecting for the run lock', async () => {
      const client = new pg.Client({ connectionString: this.#url, application_name: `${this.#applicationName} (run lock)`, keepAlive: true });
      client.on('error', () => undefined);
      await client.connect();
      const lost = () => {
        if (this.#lockClient !== client) return;
        this.#lockClient = undefined;
        this.#lockClientReady = undefined;
        if (!this.#closed && this.#held.size > 0) this.#retaking ??= this.#retakeLocks().finally(() => (this.#retaking = undefined));
      };
      client.on('error', lost);
      client.on('end', lost);
      this.#lockClient = client;
      return client;
    }).finally(() => {
      this.#lockClientReady = undefined;
    });
    return this.#lockClientReady;
  }

  /** After the lock connection broke (PostgreSQL restarted): hold again every run whose lock row is still ours. */
  async #retakeLocks(): Promise<void> {
    try {
      const client = await this.#lockConnection();
      for (const [runId, token] of this.#held) {
        const row = await this.#pool.query<{ token: string }>('SELECT token FROM baton.run_locks WHERE run_id = $1', [runId]);
        if (row.rows[0]?.token !== token) {
          this.#held.delete(runId);
          continue;
        }
        const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [RUN_LOCK_CLASS, runId]);
        // Someone took the run while we were cut off: our token no longer matches once they write, and our writes fail.
        if (!got.rows[0]?.ok) this.#held.delete(runId);
      }
    } catch {
      // The store stayed unreachable for the whole window; writes will say so.
    }
  }

  #listen(): Promise<void> {
    if (this.#listener || this.#closed) return Promise.resolve();
    this.#listening ??= (async () => {
      for (let delay = 100; !this.#closed; delay = Math.min(delay * 2, 2000)) {
        const client = new pg.Client({ connectionString: this.#url, application_name: `${this.#applicationName} (events)`, keepAlive: true });
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
        } catch {
          await client.end().catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, delay));
          continue;
        }
        client.on('notification', (message) => {
          for (const fn of this.#watchers.get(message.payload ?? '') ?? []) fn();
        });
        const lost = () => {
          if (this.#listener !== client) return;
          this.#listener = undefined;
          if (!this.#closed && this.#watchers.size > 0) void this.#listen();
        };
        client.on('error', lost);
        client.on('end', lost);
        if (this.#closed) {
          await client.end().catch(() => undefined);
          return;
        }
        this.#listener = client;
        // Whatever was appended while nobody listened is read now.
        for (const set of this.#watchers.values()) for (const fn of set) fn();
        return;
      }
    })().finally(() => {
      this.#listening = undefined;
    });
    return this.#listening;
  }
}

interface PlanRowPg {
  version: number;
  source: 'proposed' | 'edited';
  plan: string;
  created_at: string;
  approved_at: string | null;
  approved_by: string | null;
}

function executorOf(tx: Tx): SqlExecutor {
  return { executeSql: (text, values) => tx.query(text, values ?? []) };
}
