// baton serve vs a bare SDK Streamable HTTP server, in one run so machine noise hits both:
// (1) read_file per-call latency on an open session, (2) opening and holding many sessions
// at once (time per session and heap per session). baton's extra work: bearer-token lookup,
// grant-bound session table, Host/Origin checks, grant and path checks, audit records.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHttpToolHost } from '@baton/mcp-tools';
import { startMinimalHttpServer } from './lib/minimal-http-server.ts';
import { formatMs, interleave, median, percentile } from './lib/stats.ts';

const CALLS = Number(process.env.BENCH_HTTP_CALLS ?? 400);
const SESSIONS = Number(process.env.BENCH_HTTP_SESSIONS ?? 300);
const BATCH = 20;

const dir = await mkdtemp(path.join(tmpdir(), 'baton-bench-http-'));
const lines = Array.from({ length: 200 }, (_, i) => `export const value${i} = ${i}; // line ${i + 1}`);
await writeFile(path.join(dir, 'sample.ts'), `${lines.join('\n')}\n`);

let audited = 0;
const baton = await startHttpToolHost({ root: dir, onToolCall: () => void audited++ });
const bare = await startMinimalHttpServer(dir);
const grantToken = () => baton.grants.mint({ tools: ['read_file'], read: ['**'], expires_in_s: 3600 }).token;

async function connect(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'bench', version: '0' });
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

function batchOf(client: Client): () => Promise<number> {
  return async () => {
    const started = performance.now();
    for (let i = 0; i < BATCH; i++) {
      const result = await client.callTool({ name: 'read_file', arguments: { path: 'sample.ts' } });
      if (result.isError) throw new Error(`read failed: ${JSON.stringify(result.content)}`);
    }
    return (performance.now() - started) / BATCH;
  };
}

// (1) per-call latency
const batonClient = await connect(baton.url, grantToken());
const bareClient = await connect(bare.url);
for (let i = 0; i < 3; i++) {
  await batchOf(batonClient)();
  await batchOf(bareClient)();
}
const calls = await interleave(Math.ceil(CALLS / BATCH), batchOf(batonClient), batchOf(bareClient));
console.log(`read_file per call over Streamable HTTP (${CALLS} calls each, 200-line file)`);
console.log(`  baton serve:     median ${formatMs(median(calls.a))}, p95 ${formatMs(percentile(calls.a, 95))}`);
console.log(`  bare SDK server: median ${formatMs(median(calls.b))}, p95 ${formatMs(percentile(calls.b, 95))}`);
console.log(`  ratio (median) ${(median(calls.a) / median(calls.b)).toFixed(3)}x; audit records written: ${audited}`);
await batonClient.close();
await bareClient.close();

// (2) sessions held at once: open SESSIONS sessions on each, one call on each, keep them open.
async function holdSessions(url: string, token: () => string | undefined): Promise<{ msPerSession: number; heapPerSessionKb: number; clients: Client[] }> {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const clients: Client[] = [];
  for (let i = 0; i < SESSIONS; i += 25) {
    const batch = await Promise.all(Array.from({ length: Math.min(25, SESSIONS - i) }, () => connect(url, token())));
    clients.push(...batch);
  }
  await Promise.all(clients.map((c) => c.callTool({ name: 'read_file', arguments: { path: 'sample.ts' } })));
  const msPerSession = (performance.now() - started) / SESSIONS;
  globalThis.gc?.();
  const heapPerSessionKb = (process.memoryUsage().heapUsed - heapBefore) / SESSIONS / 1024;
  return { msPerSession, heapPerSessionKb, clients };
}
const heldBare = await holdSessions(bare.url, () => undefined);
const heldBaton = await holdSessions(baton.url, grantToken);
console.log(`\n${SESSIONS} sessions opened and held at once (client and server in this process; heap includes both sides)`);
console.log(`  baton serve:     ${formatMs(heldBaton.msPerSession)} per session, ${heldBaton.heapPerSessionKb.toFixed(0)} KiB heap per session, ${baton.sessionCount()} sessions live`);
console.log(`  bare SDK server: ${formatMs(heldBare.msPerSession)} per session, ${heldBare.heapPerSessionKb.toFixed(0)} KiB heap per session`);
console.log(`  ratio: time ${(heldBaton.msPerSession / heldBare.msPerSession).toFixed(3)}x, heap ${(heldBaton.heapPerSessionKb / heldBare.heapPerSessionKb).toFixed(3)}x`);
await Promise.all([...heldBaton.clients, ...heldBare.clients].map((c) => c.close()));
await baton.close();
await bare.close();
