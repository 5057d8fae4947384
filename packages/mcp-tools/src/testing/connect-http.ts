// Connects an SDK client to a Streamable HTTP tool host with a grant token.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface ConnectHttpOptions {
  /** The MCP endpoint, e.g. `host.url`. */
  url: string;
  /** A grant token from `grants.mint` or `POST /grants`. */
  token: string;
  clientName?: string;
}

export interface HttpConnection {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** The MCP session id the host assigned. */
  sessionId: string;
  close(): Promise<void>;
}

export async function connectHttp(options: ConnectHttpOptions): Promise<HttpConnection> {
  const transport = new StreamableHTTPClientTransport(new URL(options.url), {
    requestInit: { headers: { Authorization: `Bearer ${options.token}` } },
  });
  const client = new Client({ name: options.clientName ?? 'baton-test', version: '0.0.0' });
  await client.connect(transport);
  const sessionId = transport.sessionId;
  if (sessionId === undefined) throw new Error('the host did not assign an MCP session id');
  return {
    client,
    transport,
    sessionId,
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}
