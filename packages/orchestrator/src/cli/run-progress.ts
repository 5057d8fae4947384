// Live progress while a run executes: the task table redrawn in place on a terminal, plain
// lines for notable events otherwise (logs, CI, pipes). Driven by the store's events.
import type { StoredEvent } from '../store/run-event.ts';
import type { RunStore } from '../store/run-store.ts';
import { formatEvent } from './format-event.ts';
import { LiveTable } from './progress-table.ts';
import { taskRows } from './run-view.ts';
import type { Style } from './style.ts';

const NOTABLE = new Set(['task_started', 'task_status', 'review_decided', 'merge_result', 'gate_result', 'escalation_raised', 'budget', 'test_result']);

export function showProgress(store: RunStore, runId: string, style: Style, out: NodeJS.WriteStream = process.stdout): () => Promise<void> {
  if (out.isTTY) {
    const table = new LiveTable(out, style);
    // Redraws are serialized (state is read from the store, which takes a moment) and coalesced.
    let drawing: Promise<void> | undefined;
    let again = false;
    let stopped = false;
    const redraw = (): void => {
      if (drawing) {
        again = true;
        return;
      }
      drawing = store
        .state(runId)
        .then((state) => {
          if (!stopped) table.update(taskRows(state));
        }, () => undefined)
        .finally(() => {
          drawing = undefined;
          if (again) {
            again = false;
            redraw();
          }
        });
    };
    redraw();
    const timer = setInterval(redraw, 1000);
    const unsubscribe = store.subscribe(runId, redraw);
    return async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await drawing;
      // The last picture: every task as the run left it.
      table.update(taskRows(await store.state(runId)));
    };
  }
  const unsubscribe = store.subscribe(runId, (event: StoredEvent) => {
    if (NOTABLE.has(event.type)) out.write(`${formatEvent(event, style)}\n`);
  });
  return async () => unsubscribe();
}
