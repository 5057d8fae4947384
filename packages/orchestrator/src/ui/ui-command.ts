// `baton ui [--port N]`: serves the dashboard for the repository's runs on 127.0.0.1 and
// prints the one-time URL that signs the browser in.
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/load-config.ts';
import { openRunStore } from '../store/open-store.ts';
import type { RunStore } from '../store/run-store.ts';
import { addStoreOption, openStoreFor, repoTopLevel } from '../cli/repo-store.ts';
import { startDashboardServer } from './dashboard-server.ts';
import { seedScriptedRuns } from './scripted-run-fixture.ts';
import { storeDashboardSource } from './store-source.ts';

function intOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

export function uiCommand(): Command {
  const command = new Command('ui')
    .description('Serve the web dashboard on 127.0.0.1: runs, task graphs, diffs, escalations and plan editing.')
    .option('--port <n>', 'port to listen on (default: a free one)', intOption('--port', 0, 65535), 0)
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--poll-ms <n>', 'how often live pages look for new events', intOption('--poll-ms', 50, 60_000), 1000)
    .option('--demo', 'serve a built-in scripted run instead of the repository (nothing is written)');
  return addStoreOption(command)
    .action(async (options: { port: number; repo?: string; store?: string; pollMs: number; demo?: boolean }) => {
      let store: RunStore;
      let knownTests: string[] | undefined;
      if (options.demo) {
        store = openRunStore({ path: ':memory:' });
        await seedScriptedRuns(store);
      } else {
        const opened = await openStoreFor({ repo: options.repo, store: options.store });
        store = opened.store;
        // Outside a clone (a PostgreSQL store read from another machine) there is no config to name the suites.
        knownTests = await repoTopLevel(opened.repo).then(async (repo) => Object.keys((await loadConfig(repo)).config.tests), () => undefined);
      }
      const server = await startDashboardServer({
        source: storeDashboardSource({ store, ...(knownTests && knownTests.length > 0 ? { knownTests } : {}) }),
        port: options.port,
        pollMs: options.pollMs,
        user: process.env['USER'] ?? 'human',
      });
      process.stdout.write(`baton dashboard${options.demo ? ' (demo: scripted run)' : ''} on ${server.origin}\nopen: ${server.url}\n(the link signs this browser in; keep it private. Ctrl-C stops the server.)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await store.close();
    });
}
