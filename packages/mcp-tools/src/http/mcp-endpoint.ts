// The /mcp endpoint: Streamable HTTP through the SDK's transport, one transport and one
// tool server per MCP session. A session is bound to the grant whose token opened it, and
// every later request on it must present a token of that same grant.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCallRecord } from '../audit/tool-call-record.ts';
import type { Grant } from '../grant.ts';
import type { GrantRegistry, GrantStatus } from '../grants/grant-registry.ts';
import type { LanguageServerPool } from '../lsp/server-pool.ts';
import { createToolServer } from '../server/create-tool-server.ts';
import { ALL_TOOLS } from '../tools/registry.ts';
import { ToolError } from '../tools/tool-error.ts';
import type { AnyToolDefinition } from '../tools/tool.ts';
import { requireBearerToken } from './bearer-token.ts';
import { DrainingTransport } from './draining-transport.ts';
import { HttpError, unauthorized } from './http-error.ts';
import type { HostedSession, McpSessionTable } from './mcp-session-table.ts';
import { parseJsonBody, readBody } from './read-body.ts';
import { revocableTools } from './revocable-tools.ts';

export interface HttpSession extends HostedSession {
  readonly transport: DrainingTransport;
}

export interface McpEndpointOptions {
  root: string;
  grants: GrantRegistry;
  sessions: McpSessionTable<HttpSession>;
  tools?: readonly AnyToolDefinition[];
  /** Shared by every session of the host. */
  languageServers?: LanguageServerPool;
  onToolCall: (record: ToolCallRecord) => void;
  now: () => number;
  maxBodyBytes: number;
  maxSessions: number;
  /** How long closing a session waits for calls in flight to answer; default 2 s. */
  drainLimitMs?: number;
}

const REFUSALS = {
  unknown: 'unknown grant token; ask your operator for a grant',
  expired: 'this grant has expired; ask your operator for a new grant',
  revoked: 'this grant was revoked; stop and report to your operator',
} as const;

export function createMcpEndpoint(options: McpEndpointOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { grants, sessions, now } = options;

  async function authenticate(req: IncomingMessage): Promise<Grant> {
    const found = grants.lookup(requireBearerToken(req));
    if (found.status === 'active') return found.grant;
    if (found.status !== 'unknown') await sessions.closeGrant(found.grantId);
    throw unauthorized(REFUSALS[found.status], 'invalid_token');
  }

  async function openSession(grant: Grant, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    if (sessions.size >= options.maxSessions) {
      throw new HttpError({ status: 503, code: 'too_many_sessions', message: `this host holds its maximum of ${options.maxSessions} sessions; close unused sessions and retry`, headers: { 'Retry-After': '5' } });
    }
    const id = randomUUID();
    const closing = new AbortController();
    const transport = new DrainingTransport({
      sessionIdGenerator: () => id,
      onsessioninitialized: () => {
        sessions.add(session);
        // A revocation between authentication and here found no session to close.
        if (grants.status(grant.id) !== 'active') void session.close();
      },
    });
    const session: HttpSession = {
      id,
      grantId: grant.id,
      lastSeenAt: now(),
      transport,
      close: async () => {
        if (!closing.signal.aborted) closing.abort(closedReason(grants.status(grant.id)));
        await settledWithin(transport.drained(), options.drainLimitMs ?? 2_000);
        await transport.close();
      },
    };
    transport.onclose = () => sessions.remove(id);
    const server = createToolServer({
      root: options.root,
      grant,
      sessionId: id,
      onToolCall: options.onToolCall,
      isRevoked: () => grants.status(grant.id) === 'revoked',
      now,
      tools: revocableTools(options.tools ?? ALL_TOOLS, closing.signal),
      ...(options.languageServers ? { languageServers: options.languageServers } : {}),
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    if (transport.sessionId === undefined) await transport.close();
  }

  return async (req, res) => {
    const grant = await authenticate(req);
    const sessionHeader = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader;
    if (sessionId !== undefined) {
      const session = sessions.get(sessionId);
      if (!session) {
        throw new HttpError({ status: 404, code: 'session_not_found', message: 'unknown or closed MCP session; initialize a new one', rpcCode: -32001 });
      }
      if (session.grantId !== grant.id) {
        throw new HttpError({ status: 403, code: 'wrong_grant', message: 'this MCP session was opened with a different grant; use that grant\'s token or open your own session' });
      }
      session.lastSeenAt = now();
      const body = req.method === 'POST' ? parseJsonBody(await readBody(req, options.maxBodyBytes)) : undefined;
      await session.transport.handleRequest(req, res, body);
      return;
    }
    if (req.method !== 'POST') {
      throw new HttpError({ status: 400, code: 'session_required', message: 'missing Mcp-Session-Id header; open a session with an initialize request first' });
    }
    const body = parseJsonBody(await readBody(req, options.maxBodyBytes));
    const initializes = Array.isArray(body) ? body.some((m) => isInitializeRequest(m)) : isInitializeRequest(body);
    if (!initializes) {
      throw new HttpError({ status: 400, code: 'session_required', message: 'missing Mcp-Session-Id header; open a session with an initialize request first' });
    }
    await openSession(grant, req, res, body);
  };
}

function closedReason(status: GrantStatus): ToolError {
  if (status === 'revoked' || status === 'expired') {
    return new ToolError({ code: `grant_${status}`, message: `this session's grant was ${status === 'revoked' ? 'revoked' : 'expired'}; stop and report to your operator`, fault: 'permission' });
  }
  return new ToolError({ code: 'session_closed', message: 'this session was closed by the host; stop and report to your operator', fault: 'permission' });
}

async function settledWithin(promise: Promise<void>, limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
    timer.unref();
  });
  await Promise.race([promise, limit]);
  clearTimeout(timer);
}
