// Connects an SDK client to a tool session through the SDK's in-memory transport.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createToolServer, type ToolSessionOptions } from '../server/create-tool-server.ts';

export async function connectInMemory(options: ToolSessionOptions): Promise<{ client: Client; close: () => Promise<void> }> {
  const server = createToolServer(options);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'baton-test', version: '0.0.0' });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
