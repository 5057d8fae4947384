// The language servers of one tool host: at most one per (workspace, read scope, server), shared
// by every session with that scope, created on first use. Sessions with different read scopes get
// different servers, because a server's view of the workspace is its session's read scope. The
// host closes the pool when it closes; apply_diff tells the pool about the files it wrote.
import path from 'node:path';
import type { Grant } from '../grant.ts';
import { canRead, mayContainReadable } from '../permissions.ts';
import { sandboxStatus } from '../run-tests/sandbox.ts';
import { ToolError } from '../tools/tool-error.ts';
import type { ToolContext } from '../tools/tool.ts';
import { builtinServerSpecs } from './builtin-servers.ts';
import { directLauncher } from './direct-launcher.ts';
import { DEFAULT_SERVER_LIMITS, ManagedServer, type FileChange, type ServerEvent, type ServerLimits } from './managed-server.ts';
import { sandboxedLauncher } from './sandboxed-launcher.ts';
import type { ServerLauncher } from './server-process.ts';
import type { LanguageServerSpec } from './server-spec.ts';

export interface LanguageServerPoolOptions {
  /** The servers offered; default the built-ins (TypeScript/JavaScript and Python). */
  specs?: readonly LanguageServerSpec[];
  /** How servers start; default the sandbox where bubblewrap works, else none (see allowUnsandboxed). */
  launcher?: ServerLauncher;
  limits?: Partial<ServerLimits>;
  /** Told when servers start and stop (the operator's log, benches). */
  onEvent?: (event: ServerEvent) => void;
}

export interface LanguageServerPool {
  readonly specs: readonly LanguageServerSpec[];
  readonly limits: ServerLimits;
  /** The server for a file, by its extension; undefined when no server handles it. */
  specFor(rel: string): LanguageServerSpec | undefined;
  /** The managed server of `spec` for this session's workspace and read scope. */
  serverFor(ctx: ToolContext, spec: LanguageServerSpec): ManagedServer;
  /** Files written on `root` (by apply_diff): running servers there read them again. */
  filesChanged(root: string, changes: readonly FileChange[]): void;
  /** Every server the pool holds (running or not), for stats. */
  servers(): ManagedServer[];
  close(): Promise<void>;
}

export function createLanguageServerPool(options: LanguageServerPoolOptions = {}): LanguageServerPool {
  const specs = options.specs ?? builtinServerSpecs();
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const servers = new Map<string, ManagedServer>();
  let closed = false;

  const launcherFor = (grant: Grant): ServerLauncher => {
    if (options.launcher) return options.launcher;
    const sandbox = sandboxStatus();
    if (sandbox.available) return sandboxedLauncher(sandbox.bwrap);
    if (!grant.limits.allowUnsandboxedTests) {
      throw new ToolError({ code: 'sandbox_unavailable', message: `language servers run only in a sandbox, and ${sandbox.reason}. An operator can allow unsandboxed tools for this grant (--allow-unsandboxed-tests)`, fault: 'environment' });
    }
    if (!readsEverything(grant)) {
      throw new ToolError({ code: 'sandbox_unavailable', message: `without a sandbox (${sandbox.reason}) a language server would see files outside this session's read scope; it runs unsandboxed only for sessions that may read the whole workspace`, fault: 'environment' });
    }
    return directLauncher();
  };

  return {
    specs,
    limits,
    specFor(rel) {
      const ext = path.posix.extname(rel).toLowerCase();
      return ext === '' ? undefined : specs.find((spec) => Object.hasOwn(spec.languages, ext));
    },
    serverFor(ctx, spec) {
      if (closed) throw new ToolError({ code: 'language_server_closed', message: 'the tool host is shutting down; language servers are stopped', fault: 'environment' });
      // Asked for every session: one that may not run servers unsandboxed is refused even where another started one.
      const launcher = launcherFor(ctx.grant);
      const scopeKey = JSON.stringify(ctx.grant.read);
      const key = `${ctx.root}\0${scopeKey}\0${spec.id}`;
      let server = servers.get(key);
      if (!server) {
        // Scope predicates over a copy of this grant's read globs: every session with this key reads exactly these.
        const reads = { ...ctx.grant, read: [...ctx.grant.read] };
        server = new ManagedServer({
          spec,
          root: ctx.root,
          scope: { canRead: (rel) => canRead(reads, rel), mayContainReadable: (rel) => mayContainReadable(reads, rel) },
          launcher,
          limits,
          ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        });
        servers.set(key, server);
      }
      return server;
    },
    filesChanged(root, changes) {
      if (changes.length === 0) return;
      for (const server of servers.values()) if (server.root === root) server.filesChanged(changes);
    },
    servers: () => [...servers.values()],
    async close() {
      closed = true;
      await Promise.all([...servers.values()].map((server) => server.close()));
    },
  };
}

/** Whether a grant reads the whole workspace: some "**" and no exclusion. */
function readsEverything(grant: Grant): boolean {
  return grant.read.includes('**') && !grant.read.some((glob) => glob.startsWith('!'));
}
