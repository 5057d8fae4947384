// The baseline read_file tool for the benchmarks: what baton's read_file returns (numbered
// text plus structured output under an output schema), with no checks at all.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

export function registerSameShapeReadFile(server: McpServer, root: string): void {
  const outputSchema = { path: z.string(), content: z.string(), start_line: z.number(), end_line: z.number(), total_lines: z.number(), truncated: z.boolean() };
  server.registerTool('read_file', { inputSchema: { path: z.string() }, outputSchema }, async ({ path: rel }) => {
    const lines = readFileSync(path.join(root, rel), 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    const numbered = lines.map((line, i) => `${i + 1}\t${line}`).join('\n');
    const structured = { path: rel, content: lines.join('\n'), start_line: 1, end_line: lines.length, total_lines: lines.length, truncated: false };
    return { content: [{ type: 'text', text: numbered }], structuredContent: structured };
  });
}
