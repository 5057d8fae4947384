// Test helper process: opens a store, takes a run's lock, reports it on stdout and waits
// until killed. Used to prove that a lock left by a SIGKILLed process is taken over.
import { openRunStore } from './run-store.ts';

const [storePath, runId] = process.argv.slice(2);
if (!storePath || !runId) {
  process.stderr.write('usage: lock-holder-child.ts <store path> <run id>\n');
  process.exit(2);
}
const store = openRunStore({ path: storePath });
const writer = store.openWriter(runId);
writer.append({ type: 'task_started', taskId: 'held', attempt: 1 });
process.stdout.write(`locked ${process.pid}\n`);
// Keep the process alive until the test kills it.
setInterval(() => {}, 1 << 30);
