// The `baton serve` command: the scoped tools over Streamable HTTP for many sessions at once,
// each bound to a grant minted through the admin API (`POST /grants`).
import { Command } from 'commander';
import { HostConfigError, startHttpToolHost, type HttpToolHost } from '../http/http-tool-host.ts';
import { isLoopbackAddress } from '../http/request-guard.ts';
import { openAuditOption } from './audit-option.ts';
import { collect, UsageError } from './grant-options.ts';
import { languageServerPoolOptions } from './language-servers-option.ts';

interface ServeCommandOptions {
  root: string;
  port: string;
  host: string;
  allowRemote?: boolean;
  allowedHost?: string[];
  allowedOrigin?: string[];
  audit?: string;
  json?: boolean;
  maxSessions?: string;
  languageServers?: string;
}

/** The environment variable that supplies the admin token; it is removed from the environment once read. */
export const ADMIN_TOKEN_ENV = 'BATON_ADMIN_TOKEN';

export function serveCommand(name = 'serve'): Command {
  const command = new Command(name)
    .description('Serve the scoped repository tools over Streamable HTTP at /mcp. Each session is bound to the grant whose token opened it; grants are minted with POST /grants.')
    .option('--root <dir>', 'repository root the tools are confined to', process.cwd())
    .option('--port <n>', 'port to listen on; 0 picks a free port (the URL is printed)', '0')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--allow-remote', 'permit a non-loopback --host (tokens cross the network in clear text: put a TLS proxy in front)')
    .option('--allowed-host <name>', 'extra Host header name to accept, e.g. the name clients use with --allow-remote (repeatable)', collect)
    .option('--allowed-origin <origin>', 'extra browser Origin to accept, e.g. https://ops.example.com (repeatable)', collect)
    .option('--audit <file>', 'append one JSON line per tool call to FILE')
    .option('--json', 'once listening, print {"url", "admin_token"?} as one JSON line on stdout')
    .option('--max-sessions <n>', 'most MCP sessions held at once (default 10000)')
    .option('--language-servers <file>', 'JSON file of extra language servers (gopls, rust-analyzer, …) for the code-intelligence tools');
  command.addHelpText(
    'after',
    `
The admin token comes from $${ADMIN_TOKEN_ENV} (at least 22 characters), or is generated and printed.

Examples:
  $ baton serve --root . --audit .baton/audit.jsonl
  $ curl -s -X POST http://127.0.0.1:PORT/grants -H "Authorization: Bearer $${ADMIN_TOKEN_ENV}" \\
      -d '{"tools":["read_file","search"],"read":["src/**"],"expires_in_s":900}'
      -> {"id":"g…","token":"g….…","expires_at":"…"}; clients send "Authorization: Bearer <token>" to /mcp
  $ curl -s -X DELETE http://127.0.0.1:PORT/grants/<id> -H "Authorization: Bearer $${ADMIN_TOKEN_ENV}"`,
  );
  command.action(async (options: ServeCommandOptions) => {
    const port = parsePort(options.port);
    if (!isLoopbackAddress(options.host) && options.allowRemote !== true) {
      throw new UsageError(
        `refusing --host ${options.host}: grant and admin tokens would cross the network unencrypted, and anyone who can reach the port could try them. ` +
          'Keep the default 127.0.0.1, or pass --allow-remote if a TLS proxy fronts this server.',
      );
    }
    const maxSessions = options.maxSessions === undefined ? undefined : parsePositive('--max-sessions', options.maxSessions);
    const languageServers = languageServerPoolOptions(options.languageServers, { prefix: 'baton serve' });
    const envToken = process.env[ADMIN_TOKEN_ENV];
    // Tools may start child processes (run_tests); the admin token must never reach them.
    delete process.env[ADMIN_TOKEN_ENV];
    const audit = options.audit === undefined ? undefined : openAuditOption(options.audit);
    let host: HttpToolHost;
    try {
      host = await startHttpToolHost({
        root: options.root,
        host: options.host,
        port,
        allowRemote: options.allowRemote === true,
        ...(envToken ? { adminToken: envToken } : {}),
        ...(options.allowedHost ? { allowedHosts: options.allowedHost } : {}),
        ...(options.allowedOrigin ? { allowedOrigins: options.allowedOrigin } : {}),
        ...(audit ? { onToolCall: (record) => audit.write(record) } : {}),
        ...(maxSessions !== undefined ? { maxSessions } : {}),
        languageServers,
      });
    } catch (error) {
      audit?.close();
      throw asUsageError(error, { host: options.host, port });
    }
    process.stderr.write(`baton serve: MCP endpoint ${host.url}\n`);
    process.stderr.write(
      host.adminTokenGenerated
        ? `baton serve: admin token ${host.adminToken} (set ${ADMIN_TOKEN_ENV} to choose one)\n`
        : `baton serve: admin token taken from ${ADMIN_TOKEN_ENV}\n`,
    );
    if (audit) process.stderr.write(`baton serve: audit log ${audit.file}\n`);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ url: host.url, ...(host.adminTokenGenerated ? { admin_token: host.adminToken } : {}) })}\n`);
    }
    const signal = await untilSignal();
    process.stderr.write(`baton serve: ${signal}, closing ${host.sessionCount()} session(s)\n`);
    await host.close();
    audit?.close();
  });
  return command;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got "${value}"`);
  return port;
}

function parsePositive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

function asUsageError(error: unknown, where: { host: string; port: number }): unknown {
  if (error instanceof HostConfigError) return new UsageError(error.message);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') return new UsageError(`port ${where.port} on ${where.host} is in use; choose another --port, or 0 for a free one`);
  if (code === 'EADDRNOTAVAIL' || code === 'EACCES') return new UsageError(`cannot listen on ${where.host}:${where.port} (${String(code)}); check --host and --port`);
  return error;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
