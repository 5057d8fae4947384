// Serves one session over stdio: the grant comes from the command line and lives as long
// as the process. Nothing but MCP is written to stdout.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createToolServer, type ToolSessionOptions } from './create-tool-server.ts';

export async function serveStdio(options: ToolSessionOptions): Promise<{ closed: Promise<void> }> {
  const server = createToolServer(options);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  return { closed };
}
