// search through baton-tools (stdio MCP) vs raw `rg --json` on a large generated tree.
// Both walk the same files with the same flags; the ratio is baton's wall time over rg's.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ensureLargeTree } from './lib/large-tree.ts';
import { interleave, ratioLine } from './lib/stats.ts';
import { ripgrepPath } from '@baton/mcp-tools';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILES = Number(process.env.BENCH_SEARCH_FILES ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const root = await ensureLargeTree({ dir: path.join(here, '.data', `tree-${FILES}`), files: FILES });

function rawRg(query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const args = ['--json', '--hidden', '--no-require-git', '--no-config', '--glob', '!.git', '--ignore-case', '--fixed-strings', '-e', query, '--', '.'];
    const child = spawn(ripgrepPath(), args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    let matches = 0;
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('{"type":"match"')) matches += JSON.parse(line) ? 1 : 0;
    });
    child.on('error', reject);
    child.on('close', () => (matches > 0 ? resolve(performance.now() - started) : reject(new Error('rg found nothing'))));
  });
}

const client = new Client({ name: 'bench', version: '0' });
await client.connect(
  new StdioClientTransport({
    command: process.execPath,
    args: [path.join(here, '..', 'packages', 'mcp-tools', 'bin', 'baton-tools.js'), '--root', root, '--max-results', '100000'],
    stderr: 'ignore',
  }),
);

async function viaMcp(query: string, expected: number): Promise<number> {
  const started = performance.now();
  const result = await client.callTool({ name: 'search', arguments: { query, max_results: 100_000 } });
  const count = (result.structuredContent as { matches: unknown[] }).matches.length;
  if (count !== expected) throw new Error(`baton search found ${count} matches, expected ${expected}`);
  return performance.now() - started;
}

for (const [query, expected] of [['NEEDLE_MARKER', Math.ceil(FILES / 300)], ['COMMON_MARKER', Math.ceil(FILES / 10)]] as const) {
  await viaMcp(query, expected);
  await rawRg(query);
  const { a, b } = await interleave(ROUNDS, () => viaMcp(query, expected), () => rawRg(query));
  console.log(`search over ${FILES} files, ${expected} matches`);
  console.log(ratioLine('  baton search via stdio MCP vs raw rg --json parsed in process', a, b));
}
await client.close();
