// read_file per-call latency: baton-tools (grant checks, realpath, binary sniff) vs a
// minimal MCP SDK server that just reads the file, both over stdio, interleaved.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { formatMs, interleave, median, percentile } from './lib/stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CALLS = Number(process.env.BENCH_READ_CALLS ?? 400);
const BATCH = 20;
const dir = await mkdtemp(path.join(tmpdir(), 'baton-bench-read-'));
const lines = Array.from({ length: 200 }, (_, i) => `export const value${i} = ${i}; // line ${i + 1}`);
await writeFile(path.join(dir, 'sample.ts'), `${lines.join('\n')}\n`);

async function connect(args: string[]): Promise<Client> {
  const client = new Client({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' }));
  return client;
}

const baton = await connect([path.join(here, '..', 'packages', 'mcp-tools', 'bin', 'baton-tools.js'), '--root', dir]);
const floor = await connect([path.join(here, 'lib', 'minimal-read-server.ts'), dir]);
const sameShape = await connect([path.join(here, 'lib', 'minimal-read-server.ts'), dir, '--same-shape']);

function batchOf(client: Client): () => Promise<number> {
  return async () => {
    const started = performance.now();
    for (let i = 0; i < BATCH; i++) {
      const result = await client.callTool({ name: 'read_file', arguments: { path: 'sample.ts' } });
      if (result.isError) throw new Error('read failed');
    }
    return (performance.now() - started) / BATCH;
  };
}

for (let i = 0; i < 3; i++) {
  await batchOf(baton)();
  await batchOf(floor)();
  await batchOf(sameShape)();
}
const rounds = Math.ceil(CALLS / BATCH);
const plain = await interleave(rounds, batchOf(baton), batchOf(floor));
const shaped = await interleave(rounds, batchOf(baton), batchOf(sameShape));
console.log(`read_file per call over stdio (${CALLS} calls each, 200-line file)`);
const line = (label: string, xs: number[]) => console.log(`  ${label}: median ${formatMs(median(xs))}, p95 ${formatMs(percentile(xs, 95))}`);
line('baton-tools', [...plain.a, ...shaped.a]);
line('minimal SDK server, plain text result', plain.b);
line('minimal SDK server, same result shape', shaped.b);
console.log(`  ratio vs plain-text floor (median) ${(median(plain.a) / median(plain.b)).toFixed(3)}x`);
console.log(`  ratio vs same-shape floor (median) ${(median(shaped.a) / median(shaped.b)).toFixed(3)}x`);
await baton.close();
await floor.close();
await sameShape.close();
