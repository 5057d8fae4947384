// Errors from the state store, each saying who is at fault and what to do.

export class RunLockedError extends Error {
  override name = 'RunLockedError';
  readonly runId: string;
  readonly holderPid: number;
  readonly holderHost: string;
  constructor(input: { runId: string; holderPid: number; holderHost: string; since: string; liveness: 'alive' | 'unknown' }) {
    const where = input.liveness === 'unknown' ? ` on host ${input.holderHost} (baton cannot check processes there)` : '';
    super(
      `run ${input.runId} is already being driven by process ${input.holderPid}${where} since ${input.since}. ` +
        'Only one baton process may drive a run: wait for it to finish or stop it, then resume the run.',
    );
    this.runId = input.runId;
    this.holderPid = input.holderPid;
    this.holderHost = input.holderHost;
  }
}

export class LockLostError extends Error {
  override name = 'LockLostError';
  readonly runId: string;
  constructor(runId: string) {
    super(`this process no longer holds the lock of run ${runId} (another process took the run over); stop writing to it`);
    this.runId = runId;
  }
}

/** A worker node's claim on a task attempt is no longer live: its writes are refused. */
export class AttemptFencedError extends Error {
  override name = 'AttemptFencedError';
  readonly runId: string;
  readonly taskId: string;
  readonly attempt: number;
  constructor(input: { runId: string; taskId: string; attempt: number; claim: number }) {
    super(
      `this node's claim on task ${input.taskId} attempt ${input.attempt} of run ${input.runId} is no longer live (its lease lapsed, or a newer attempt or claim replaced it); ` +
        'nothing it does for that attempt is recorded or merged',
    );
    this.runId = input.runId;
    this.taskId = input.taskId;
    this.attempt = input.attempt;
  }
}

export class UnknownRunError extends Error {
  override name = 'UnknownRunError';
  readonly runId: string;
  constructor(runId: string) {
    super(`there is no run ${JSON.stringify(runId)} in this repository's baton store; list runs with \`baton runs\``);
    this.runId = runId;
  }
}

export class StoreUsageError extends Error {
  override name = 'StoreUsageError';
}
