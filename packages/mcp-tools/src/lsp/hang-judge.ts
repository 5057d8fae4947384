// When a server that keeps missing its time limit is taken for hung: after two timed-out requests
// during which it used no CPU (stuck: a deadlock, a stopped process), or after five in a row
// whatever it did (busy in a loop rather than loading). A server loading a large project works
// through the limit and is left to finish.

/** CPU clock ticks (1/100 s) a server must use during a timed-out request to count as busy rather than stuck. */
export const BUSY_TICKS = 10;
const IDLE_TIMEOUTS_BEFORE_RESTART = 2;
const TIMEOUTS_BEFORE_RESTART = 5;

export class HangJudge {
  private timeouts = 0;
  private idleTimeouts = 0;

  answered(): void {
    this.timeouts = 0;
    this.idleTimeouts = 0;
  }

  /** Records a timed-out request; true when the server should be replaced. */
  timedOut(cpuTicksUsed: number): boolean {
    this.timeouts++;
    if (cpuTicksUsed < BUSY_TICKS) this.idleTimeouts++;
    if (this.idleTimeouts < IDLE_TIMEOUTS_BEFORE_RESTART && this.timeouts < TIMEOUTS_BEFORE_RESTART) return false;
    this.answered();
    return true;
  }
}
