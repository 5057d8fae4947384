// The floor for read_file latency: an MCP SDK server with one tool that reads a file and
// returns it, no checks (synchronously, the fastest way here). With --same-shape it returns
// what baton's read_file returns (numbered text plus structured output under an output
// schema), so the difference left is baton's own checks. Started over stdio by bench/read-file.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { registerSameShapeReadFile } from './same-shape-read-file.ts';
import { z } from 'zod';

const root = process.argv[2] ?? process.cwd();
const sameShape = process.argv.includes('--same-shape');
const server = new McpServer({ name: 'minimal', version: '0' });
if (sameShape) {
  registerSameShapeReadFile(server, root);
} else {
  server.registerTool('read_file', { inputSchema: { path: z.string() } }, async ({ path: rel }) => ({
    content: [{ type: 'text', text: readFileSync(path.join(root, rel), 'utf8') }],
  }));
}
await server.connect(new StdioServerTransport());
