// `baton log <run>`: the run's event log, one line per event (or JSON lines), optionally
// narrowed to one task and followed until the run finishes.
import { Command } from 'commander';
import type { StoredEvent } from '../store/run-event.ts';
import type { RunStore } from '../store/run-store.ts';
import { formatEvent } from './format-event.ts';
import { terminalJson } from './terminal-text.ts';
import { resolveRunId, withStore } from './repo-store.ts';
import { colorEnabled, createStyle } from './style.ts';

const FOLLOW_POLL_MS = 500;

export function logCommand(): Command {
  return new Command('log')
    .description('Print the event log of a run: plan versions, task attempts, model and tool calls, diffs, tests, reviews, merges, decisions.')
    .argument('[run]', 'run id (default: the newest run)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--task <id>', 'only events of this task')
    .option('-f, --follow', 'keep printing new events until the run finishes (Ctrl-C to stop)')
    .option('--json', 'one JSON object per line')
    .action(async (runArg: string | undefined, options: { repo?: string; task?: string; follow?: boolean; json?: boolean }) => {
      await withStore(options, async ({ store }) => {
        const runId = await resolveRunId(store, runArg);
        const style = createStyle(colorEnabled());
        const print = (event: StoredEvent) => {
          if (options.task !== undefined && (!('taskId' in event) || event.taskId !== options.task)) return;
          process.stdout.write(`${options.json ? terminalJson(event) : formatEvent(event, style)}\n`);
        };
        let last = 0;
        const drain = async () => {
          for (const event of await store.events(runId, { afterSeq: last })) {
            print(event);
            last = event.seq;
          }
        };
        await drain();
        if (options.follow) await follow(store, runId, drain);
      });
    });
}

async function follow(store: RunStore, runId: string, drain: () => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  // Other processes (on other machines, with PostgreSQL) write the run: a notification of new
  // events wakes the loop at once where the store sends one; a short poll covers the rest.
  let wake: (() => void) | undefined;
  const unsubscribe = store.subscribe(runId, () => wake?.());
  try {
    while (!stop.signal.aborted && (await store.state(runId)).phase !== 'finished') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FOLLOW_POLL_MS);
        wake = () => (clearTimeout(timer), resolve());
        stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      wake = undefined;
      await drain();
    }
  } finally {
    unsubscribe();
    process.off('SIGINT', onSignal);
  }
}
