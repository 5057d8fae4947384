// baton's tool server over Streamable HTTP: many MCP sessions on one server, each bound to
// the grant whose token opened it, plus the admin API that mints and revokes grants.
// Binds loopback unless told otherwise, and checks Host and Origin on every request.
import { realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuditStream, type AuditStream } from '../audit/audit-stream.ts';
import type { ToolCallRecord } from '../audit/tool-call-record.ts';
import { createGrantRegistry, type GrantRegistry } from '../grants/grant-registry.ts';
import { newSecret } from '../grants/grant-token.ts';
import { createLanguageServerPool, type LanguageServerPool, type LanguageServerPoolOptions } from '../lsp/server-pool.ts';
import type { AnyToolDefinition } from '../tools/tool.ts';
import { createAdminRoutes } from './admin-routes.ts';
import { HttpError, sendJson, sendRestError, sendRpcError } from './http-error.ts';
import { createMcpEndpoint, type HttpSession } from './mcp-endpoint.ts';
import { createMcpSessionTable } from './mcp-session-table.ts';
import { isAllowedHost, isAllowedOrigin, isLoopbackAddress, LOOPBACK_HOSTNAMES, originsFor, urlHostname } from './request-guard.ts';

export interface HttpToolHostOptions {
  /** Repository root the tools are confined to. */
  root: string;
  /** Address to bind; default 127.0.0.1. Anything but loopback needs `allowRemote`. */
  host?: string;
  /** Port to bind; default 0 (the system picks a free one; read `url`). */
  port?: number;
  /** Bearer token of the admin API (at least 22 characters); generated when absent. */
  adminToken?: string;
  /** Permits a non-loopback `host`. Tokens then cross the network in clear text unless a TLS proxy fronts the host. */
  allowRemote?: boolean;
  /** Extra Host header names (without port) to accept, e.g. the name a proxy forwards. */
  allowedHosts?: readonly string[];
  /** Extra Origin values to accept, e.g. `https://ops.example.com`. */
  allowedOrigins?: readonly string[];
  /** A registry to share with other hosts or in-process callers; a new one by default. */
  grants?: GrantRegistry;
  /** Called with the audit record of every tool call (also published on `audit`). */
  onToolCall?: (record: ToolCallRecord) => void;
  /** Tools offered (filtered per grant); default all of baton's tools. */
  tools?: readonly AnyToolDefinition[];
  /**
   * Language servers for the code-intelligence tools: a pool to share (the caller closes it), or
   * options for one of the host's own (closed with the host). Default: the built-in servers.
   */
  languageServers?: LanguageServerPool | LanguageServerPoolOptions;
  /** Clock for grant expiry and idle sessions; default Date.now. */
  now?: () => number;
  /** Largest /mcp request body; default 4 MiB. */
  maxBodyBytes?: number;
  /** Most sessions held at once; default 10,000. */
  maxSessions?: number;
  /** Sessions without a request for this long are closed; default 30 minutes. */
  idleSessionMs?: number;
  /** Told about unexpected failures while answering a request; default stderr. */
  onError?: (error: unknown) => void;
}

export interface HttpToolHost {
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp */
  readonly url: string;
  /** Base URL of the admin API (`POST {baseUrl}/grants`). */
  readonly baseUrl: string;
  readonly adminToken: string;
  /** Whether `adminToken` was generated here (and so must be shown to the operator). */
  readonly adminTokenGenerated: boolean;
  /** The admin API in process: `grants.mint(request)`, `grants.revoke(id)`. */
  readonly grants: GrantRegistry;
  /** Every tool call's audit record, as it happens. */
  readonly audit: AuditStream;
  sessionCount(): number;
  close(): Promise<void>;
}

/** The host's configuration is wrong (bad bind address, weak admin token, missing root): the operator is at fault. */
export class HostConfigError extends Error {
  override name = 'HostConfigError';
}

const ADMIN_BODY_BYTES = 64 * 1024;

export async function startHttpToolHost(options: HttpToolHostOptions): Promise<HttpToolHost> {
  const bindHost = options.host ?? '127.0.0.1';
  if (!isLoopbackAddress(bindHost) && options.allowRemote !== true) {
    throw new HostConfigError(
      `refusing to listen on ${bindHost}: bearer tokens would cross the network unencrypted and any host that can reach it could try them. ` +
        'Use 127.0.0.1 (default), or pass allowRemote (--allow-remote) behind a TLS proxy.',
    );
  }
  if (options.adminToken !== undefined && options.adminToken.length < 22) {
    throw new HostConfigError('the admin token must be at least 22 characters (128 bits of base64); leave it unset to have one generated');
  }
  const root = await realpath(options.root).catch(() => {
    throw new HostConfigError(`root ${options.root} does not exist`);
  });
  const now = options.now ?? Date.now;
  const grants = options.grants ?? createGrantRegistry({ now });
  const audit = createAuditStream({ onListenerError: options.onError ?? reportError });
  if (options.onToolCall) audit.subscribe(options.onToolCall);
  const sessions = createMcpSessionTable<HttpSession>();
  const adminToken = options.adminToken ?? newSecret();
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const sharedPool = isPool(options.languageServers) ? options.languageServers : undefined;
  const languageServers = sharedPool ?? createLanguageServerPool(isPool(options.languageServers) ? {} : (options.languageServers ?? {}));

  const mcp = createMcpEndpoint({
    root,
    grants,
    sessions,
    onToolCall: (record) => audit.publish(record),
    now,
    maxBodyBytes,
    maxSessions: options.maxSessions ?? 10_000,
    ...(options.tools ? { tools: options.tools } : {}),
    languageServers,
  });
  const admin = createAdminRoutes({ adminToken, grants, maxBodyBytes: ADMIN_BODY_BYTES });
  const stopRevocations = grants.onRevoke((grantId) => void sessions.closeGrant(grantId));

  // Filled in once the port is known.
  const hostnames = new Set<string>();
  const origins = new Set<string>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://host.invalid').pathname;
    const isMcp = pathname === '/mcp';
    try {
      if (!isAllowedHost(req.headers.host, hostnames)) {
        throw new HttpError({ status: 403, code: 'host_not_allowed', message: `Host "${req.headers.host ?? ''}" is not this server (DNS-rebinding protection); connect by a name the host accepts` });
      }
      if (!isAllowedOrigin(req.headers.origin, origins)) {
        throw new HttpError({ status: 403, code: 'origin_not_allowed', message: `Origin "${req.headers.origin ?? ''}" may not call this server` });
      }
      if (isMcp) return await mcp(req, res);
      if (pathname === '/healthz' && req.method === 'GET') return sendJson(res, 200, { ok: true });
      if (await admin(req, res, pathname)) return;
      throw new HttpError({ status: 404, code: 'not_found', message: `no route ${req.method ?? ''} ${pathname}; the MCP endpoint is /mcp` });
    } catch (error) {
      const httpError =
        error instanceof HttpError ? error : new HttpError({ status: 500, code: 'internal_error', message: 'internal error in baton (not your fault); see the server log' });
      if (!(error instanceof HttpError)) (options.onError ?? reportError)(error);
      (isMcp ? sendRpcError : sendRestError)(res, httpError);
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = urlHostname(bindHost);
  for (const name of LOOPBACK_HOSTNAMES) hostnames.add(name);
  if (urlHost !== '0.0.0.0' && urlHost !== '[::]') hostnames.add(urlHost);
  for (const name of options.allowedHosts ?? []) hostnames.add(urlHostname(name));
  for (const origin of originsFor(hostnames, port)) origins.add(origin);
  for (const origin of options.allowedOrigins ?? []) origins.add(origin.toLowerCase());

  const idleMs = options.idleSessionMs ?? 30 * 60_000;
  const sweeper = setInterval(() => {
    void sessions.closeStale({ cutoffMs: now() - idleMs, isActive: (id) => grants.status(id) === 'active' });
  }, Math.min(idleMs, 60_000));
  sweeper.unref();

  const baseUrl = `http://${urlHost === '0.0.0.0' || urlHost === '[::]' ? '127.0.0.1' : urlHost}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: `${baseUrl}/mcp`,
    baseUrl,
    adminToken,
    adminTokenGenerated: options.adminToken === undefined,
    grants,
    audit,
    sessionCount: () => sessions.size,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        stopRevocations();
        await sessions.closeAll();
        if (!sharedPool) await languageServers.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        audit.close();
      })();
      return closing;
    },
  };
}

function isPool(value: LanguageServerPool | LanguageServerPoolOptions | undefined): value is LanguageServerPool {
  return value !== undefined && 'serverFor' in value;
}

function reportError(error: unknown): void {
  process.stderr.write(`baton serve: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}
