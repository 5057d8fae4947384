// Test helper process: creates a run in a store and appends events to it, to show that
// several processes can drive different runs of one repository at the same time.
import { openStore } from './open-store.ts';

const [storePath, runId, countText] = process.argv.slice(2);
if (!storePath || !runId || !countText) {
  process.stderr.write('usage: append-child.ts <store path or URL> <run id> <events>\n');
  process.exit(2);
}
const store = await openStore({ location: storePath });
const writer = await store.createRun({ runId, ticket: 'concurrent', workflow: 'feature', baseCommit: 'base', maxWorkers: 1 });
for (let i = 1; i <= Number(countText); i++) await writer.append({ type: 'task_event', taskId: 'work', attempt: 1, kind: 'tool_call', name: `call${i}` });
await writer.release();
await store.close();
process.stdout.write('done\n');
