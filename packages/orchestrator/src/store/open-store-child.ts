// Test helper process: opens a store (as `baton status` or the dashboard would) and says
// whether it could. Used to show that opening waits for another connection's lock instead of
// failing with "database is locked".
import { openRunStore } from './open-store.ts';

const [storePath] = process.argv.slice(2);
if (!storePath) {
  process.stderr.write('usage: open-store-child.ts <store path>\n');
  process.exit(2);
}
process.stdout.write('opening\n');
try {
  await openRunStore({ path: storePath }).close();
  process.stdout.write('opened\n');
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
