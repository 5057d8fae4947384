// Connects a worker to its tools with an MCP client: Streamable HTTP with the grant's bearer
// token, or a stdio child (baton-tools with its grant flags). The tools the model sees are
// exactly what the server lists for the grant.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { WorkerTools } from '../loop/run-worker.ts';

export type ToolConnection =
  | { kind: 'http'; url: string; token: string }
  | { kind: 'stdio'; command: string; args: string[]; cwd?: string };

/** Variables a stdio tool server may see: nothing secret (no API keys, no tokens). */
const SAFE_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'NO_COLOR'];

export async function connectTools(connection: ToolConnection): Promise<WorkerTools & { close(): Promise<void> }> {
  let transport: Transport;
  if (connection.kind === 'http') {
    transport = new StreamableHTTPClientTransport(new URL(connection.url), { requestInit: { headers: { Authorization: `Bearer ${connection.token}` } } });
  } else {
    const env: Record<string, string> = {};
    for (const key of SAFE_ENV) if (process.env[key] !== undefined) env[key] = process.env[key]!;
    transport = new StdioClientTransport({ command: connection.command, args: connection.args, env, stderr: 'ignore', ...(connection.cwd ? { cwd: connection.cwd } : {}) });
  }
  const client = new Client({ name: 'baton-worker', version: '0.1.0' });
  await client.connect(transport);
  const { tools } = await client.listTools();
  return {
    specs: tools.map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema as Record<string, unknown> })),
    async call(name, args, signal) {
      const result = await client.callTool({ name, arguments: (args ?? {}) as Record<string, unknown> }, undefined, { signal, timeout: 15 * 60_000 });
      const content = Array.isArray(result.content) ? result.content : [];
      const text = content.map((c: { type: string; text?: string }) => (c.type === 'text' ? (c.text ?? '') : `[${c.type} content]`)).join('\n');
      return { content: text, isError: result.isError === true };
    },
    close: () => client.close(),
  };
}
