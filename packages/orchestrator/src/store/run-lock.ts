// One writer per run: a lock row naming the holding process. A second live process gets
// RunLockedError; a lock left by a dead process (kill -9, crash) is taken over.
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { currentProcessIdentity, processLiveness, type ProcessIdentity } from './process-liveness.ts';
import { immediateTransaction } from './store-schema.ts';
import { holderOf, type AcquiredLock, type LockHolder, type LockRow } from './store-backend.ts';
import { LockLostError, RunLockedError } from './store-errors.ts';

export type { AcquiredLock, LockHolder } from './store-backend.ts';


export function readLockHolder(db: DatabaseSync, runId: string): LockHolder | undefined {
  const row = db.prepare('SELECT token, pid, host, start_ticks, acquired_at FROM run_locks WHERE run_id = ?').get(runId) as LockRow | undefined;
  return row ? holderOf(row) : undefined;
}

export function acquireRunLock(db: DatabaseSync, runId: string, identity: ProcessIdentity = currentProcessIdentity()): AcquiredLock {
  return immediateTransaction(db, () => {
    const row = db.prepare('SELECT token, pid, host, start_ticks, acquired_at FROM run_locks WHERE run_id = ?').get(runId) as LockRow | undefined;
    let takenOverFrom: LockHolder | undefined;
    if (row) {
      const holder = holderOf(row);
      const liveness = processLiveness(holder);
      if (liveness !== 'dead') throw new RunLockedError({ runId, holderPid: holder.pid, holderHost: holder.host, since: holder.acquiredAt, liveness });
      takenOverFrom = holder;
      db.prepare('DELETE FROM run_locks WHERE run_id = ? AND token = ?').run(runId, row.token);
    }
    const token = randomUUID();
    db.prepare('INSERT INTO run_locks (run_id, token, pid, host, start_ticks, acquired_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      runId,
      token,
      identity.pid,
      identity.host,
      identity.startTicks ?? null,
      new Date().toISOString(),
    );
    return takenOverFrom ? { token, takenOverFrom } : { token };
  });
}

/** Throws LockLostError unless the token still holds the run's lock. Call inside the write transaction. */
export function assertLockHeld(db: DatabaseSync, runId: string, token: string): void {
  const row = db.prepare('SELECT token FROM run_locks WHERE run_id = ?').get(runId) as { token: string } | undefined;
  if (row?.token !== token) throw new LockLostError(runId);
}

export function releaseRunLock(db: DatabaseSync, runId: string, token: string): void {
  db.prepare('DELETE FROM run_locks WHERE run_id = ? AND token = ?').run(runId, token);
}
