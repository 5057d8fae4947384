// `baton node --store postgres://… [--concurrency N]`: a worker node for runs started with
// `baton run --on-nodes`. It runs until stopped (Ctrl-C, SIGTERM); jobs it held when stopped
// come back to the queue for other nodes.
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { startWorkerNode, defaultNodeName } from '../cluster/worker-node.ts';
import { isPostgresUrl } from '../store/store-url.ts';
import { STORE_URL_ENV } from '../store/open-store.ts';

function positive(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError(`${name} must be a whole number from 1 to 256`);
    return n;
  };
}

export function nodeCommand(): Command {
  return new Command('node')
    .description('Run as a worker node: take task jobs of runs started with `baton run --on-nodes` from the shared PostgreSQL store, do them, push their commits to the run\'s git remote.')
    .option('--store <url>', `the shared run store, postgres://… (default: ${STORE_URL_ENV})`)
    .option('--concurrency <n>', 'task attempts at once on this machine', positive('--concurrency'), 2)
    .option('--work-dir <dir>', 'where this node keeps its clones and task workspaces (default: a directory under the system temp dir named after the node)')
    .option('--name <name>', 'how this node is named in runs\' logs and status (default: host name and pid)')
    .addHelpText('after', '\nModel keys (ANTHROPIC_API_KEY, OPENAI_API_KEY, …) and git credentials come from this machine\'s environment; the store never holds them.')
    .action(async (options: { store?: string; concurrency: number; workDir?: string; name?: string }) => {
      const url = options.store ?? process.env[STORE_URL_ENV];
      if (!url || !isPostgresUrl(url)) throw new UsageError(`baton node needs the shared PostgreSQL store: --store postgres://… or ${STORE_URL_ENV}`);
      const name = options.name ?? defaultNodeName();
      const workDir = path.resolve(options.workDir ?? path.join(tmpdir(), `baton-node-${name.replace(/[^A-Za-z0-9._-]/g, '_')}`));
      const node = await startWorkerNode({ url, concurrency: options.concurrency, workDir, name, say: (line) => process.stdout.write(`${line}\n`) });
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      process.stdout.write(`node ${node.name} stopping; jobs in hand go back to the queue\n`);
      await node.close();
    });
}
