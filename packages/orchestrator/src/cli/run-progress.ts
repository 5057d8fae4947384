// Live progress while a run executes: the task table redrawn in place on a terminal, plain
// lines for notable events otherwise (logs, CI, pipes). Driven by the store's events.
import type { StoredEvent } from '../store/run-event.ts';
import type { RunStore } from '../store/run-store.ts';
import { formatEvent } from './format-event.ts';
import { LiveTable } from './progress-table.ts';
import { taskRows } from './run-view.ts';
import type { Style } from './style.ts';

const NOTABLE = new Set(['task_started', 'task_status', 'review_decided', 'merge_result', 'gate_result', 'escalation_raised', 'budget', 'test_result']);

export function showProgress(store: RunStore, runId: string, style: Style, out: NodeJS.WriteStream = process.stdout): () => void {
  if (out.isTTY) {
    const table = new LiveTable(out, style);
    const redraw = () => table.update(taskRows(store.state(runId)));
    redraw();
    const timer = setInterval(redraw, 1000);
    const unsubscribe = store.subscribe(runId, redraw);
    return () => {
      clearInterval(timer);
      unsubscribe();
      redraw();
    };
  }
  return store.subscribe(runId, (event: StoredEvent) => {
    if (NOTABLE.has(event.type)) out.write(`${formatEvent(event, style)}\n`);
  });
}
