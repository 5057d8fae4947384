// Bounds a server's memory without cgroups: every few seconds the resident memory of the
// server's whole process tree is summed, and past the limit the server is ended. (Node-based
// servers also get a V8 heap limit, which keeps them from growing there in the first place.)
import { totalResidentBytes } from './process-tree.ts';

export interface MemoryWatchdogOptions {
  /** The processes to measure, asked afresh each time (servers start helpers, e.g. tsserver). */
  processIds: () => number[];
  limitBytes: number;
  intervalMs?: number;
  /** Called once, with the measured bytes, when the limit is passed. */
  onExceeded: (bytes: number) => void;
  /** Told about every measurement (benches read the peak). */
  onSample?: (bytes: number) => void;
}

export function startMemoryWatchdog(options: MemoryWatchdogOptions): { stop(): void; sample(): number } {
  let fired = false;
  const sample = () => totalResidentBytes(options.processIds());
  const check = () => {
    if (fired) return;
    const bytes = sample();
    options.onSample?.(bytes);
    if (bytes > options.limitBytes) {
      fired = true;
      clearInterval(timer);
      options.onExceeded(bytes);
    }
  };
  const timer = setInterval(check, options.intervalMs ?? 2_000);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    sample,
  };
}
