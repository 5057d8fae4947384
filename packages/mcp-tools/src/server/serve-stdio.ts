// Serves one session over stdio: the grant comes from the command line and lives as long
// as the process. Nothing but MCP is written to stdout.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createLanguageServerPool, type LanguageServerPoolOptions } from '../lsp/server-pool.ts';
import { createToolServer, type ToolSessionOptions } from './create-tool-server.ts';

/** Language servers start on first use and stop when the session ends. */
export async function serveStdio(options: ToolSessionOptions & { languageServerOptions?: LanguageServerPoolOptions }): Promise<{ closed: Promise<void> }> {
  const { languageServerOptions, ...session } = options;
  const languageServers = session.languageServers ?? createLanguageServerPool(languageServerOptions);
  const server = createToolServer({ ...session, languageServers });
  const transport = new StdioServerTransport();
  const ended = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  const closed = ended.then(async () => {
    if (!session.languageServers) await languageServers.close();
  });
  return { closed };
}
