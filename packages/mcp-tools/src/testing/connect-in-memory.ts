// Connects an SDK client to a tool session through the SDK's in-memory transport.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createLanguageServerPool } from '../lsp/server-pool.ts';
import { createToolServer, type ToolSessionOptions } from '../server/create-tool-server.ts';

/** Without `languageServers`, the session gets a pool of its own, closed with the session. */
export async function connectInMemory(options: ToolSessionOptions): Promise<{ client: Client; close: () => Promise<void> }> {
  const languageServers = options.languageServers ?? createLanguageServerPool();
  const server = createToolServer({ ...options, languageServers });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'baton-test', version: '0.0.0' });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
      if (!options.languageServers) await languageServers.close();
    },
  };
}
