// Test helper process: opens a store, takes a run's lock, reports it on stdout and waits
// until killed. Used to prove that a lock left by a SIGKILLed process is taken over.
import { openStore } from './open-store.ts';

const [storePath, runId] = process.argv.slice(2);
if (!storePath || !runId) {
  process.stderr.write('usage: lock-holder-child.ts <store path or URL> <run id>\n');
  process.exit(2);
}
const store = await openStore({ location: storePath });
const writer = await store.openWriter(runId);
await writer.append({ type: 'task_started', taskId: 'held', attempt: 1 });
process.stdout.write(`locked ${process.pid}\n`);
// Keep the process alive until the test kills it.
setInterval(() => {}, 1 << 30);
