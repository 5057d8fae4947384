// One language server for one workspace and one read scope, managed: started on first use, shared
// by every call that needs it, stopped when idle, started again after it dies (unless it keeps
// dying), bounded in memory, and with a time limit on every request. A server that hangs or
// crashes turns into a tool error for the call that met it, never a stuck call.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType, type ProtocolRequestType, type RequestParam } from 'vscode-languageserver-protocol/node';
import { ToolError } from '../tools/tool-error.ts';
import { findExecutable } from '../run-tests/toolchain-paths.ts';
import { LspClient, LspRequestError } from './lsp-client.ts';
import { HangJudge } from './hang-judge.ts';
import { startMemoryWatchdog } from './memory-watchdog.ts';
import { OpenDocuments, type SyncResult } from './open-documents.ts';
import { makeServerTmpDir } from './server-tmp-dirs.ts';
import { cpuTicks } from './process-tree.ts';
import type { ServerLauncher, ServerProcess } from './server-process.ts';
import type { LanguageServerSpec } from './server-spec.ts';
import { planWorkspaceView, ViewTooLargeError, type ViewScope } from './workspace-view.ts';

export interface ServerLimits {
  /** Spawn plus the initialize handshake. */
  startTimeoutMs: number;
  /** One request. */
  queryTimeoutMs: number;
  /** A server nobody asked anything for this long is stopped. */
  idleMs: number;
  /** Resident memory of the server's process tree; V8 heaps get 3/4 of it. */
  memoryLimitMb: number;
  /** How often the memory watchdog looks. */
  memoryCheckMs: number;
  /** Crashes within `crashWindowMs` after which the server is not started again for a while. */
  maxCrashes: number;
  crashWindowMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  startTimeoutMs: 60_000,
  queryTimeoutMs: 30_000,
  idleMs: 10 * 60_000,
  memoryLimitMb: 3_072,
  memoryCheckMs: 2_000,
  maxCrashes: 3,
  crashWindowMs: 5 * 60_000,
};


export type ServerEvent =
  | { type: 'lsp.started'; server: string; root: string; pid: number | undefined; sandboxed: boolean; durationMs: number }
  | { type: 'lsp.stopped'; server: string; root: string; reason: 'idle' | 'closed' | 'hung' | 'memory' | 'stale' | 'crashed'; detail?: string }
  | { type: 'lsp.memory'; server: string; root: string; bytes: number };

export interface ManagedServerOptions {
  spec: LanguageServerSpec;
  /** Real path of the workspace root. */
  root: string;
  /** The read scope this server's view is built for (every session it serves reads exactly this). */
  scope: ViewScope;
  launcher: ServerLauncher;
  limits: ServerLimits;
  onEvent?: (event: ServerEvent) => void;
  now?: () => number;
}

export interface FileChange {
  /** Root-relative path. */
  rel: string;
  kind: 'created' | 'changed' | 'deleted';
}

/** A running server as a call sees it. */
export interface RunningServer {
  readonly spec: LanguageServerSpec;
  readonly client: LspClient;
  readonly root: string;
  /** State a dialect keeps for this server process (e.g. which files it opened to load projects). */
  readonly memo: Map<string, unknown>;
  uriOf(rel: string): string;
  /** Sends a request with the query time limit and the call's signal. */
  request<P, R, PR, E, RO>(type: ProtocolRequestType<P, R, PR, E, RO>, params: RequestParam<P>, signal: AbortSignal): Promise<R>;
  /**
   * Makes the server's copy of `rel` read `text` (opening it if needed); returns its version,
   * whether anything was sent, and the client's publication count when that text was last sent.
   * A pinned document stays open (it keeps a project loaded); others close least recently used first.
   */
  syncDocument(rel: string, text: string, options?: { pinned?: boolean }): SyncResult;
  isOpen(rel: string): boolean;
}

interface Running extends RunningServer {
  process: ServerProcess;
  openDocuments: OpenDocuments;
  tmpDir: string;
  stopWatchdog: () => void;
  sampleMemory: () => number;
  stopping: boolean;
  stale: boolean;
  /** Why we ended it, when we did; otherwise its exit is a crash. */
  endedBy?: 'idle' | 'closed' | 'hung' | 'memory' | 'stale';
  memoryDetail?: string;
}

export class ManagedServer {
  readonly spec: LanguageServerSpec;
  readonly root: string;
  private readonly options: ManagedServerOptions;
  private running: Running | undefined;
  private starting: Promise<Running> | undefined;
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly hangs = new HangJudge();
  private crashes: number[] = [];
  private lastExit: string | undefined;
  private closed = false;
  /** Peak resident memory seen by the watchdog, in bytes (benches read it). */
  peakMemoryBytes = 0;
  starts = 0;

  constructor(options: ManagedServerOptions) {
    this.options = options;
    this.spec = options.spec;
    this.root = options.root;
  }

  /** The URI the server knows root-relative `rel` by. */
  uriOf(rel: string): string {
    return pathToFileURL(path.join(this.root, rel)).href;
  }

  get pid(): number | undefined {
    return this.running?.process.pid;
  }

  /** Host pids of the running server's processes (none when not running). */
  processIds(): number[] {
    return this.running?.process.processIds() ?? [];
  }

  /** Current resident memory of the server's process tree in bytes (0 when not running). */
  memoryBytes(): number {
    return this.running?.sampleMemory() ?? 0;
  }

  /** Runs `use` against the running server, starting it first if needed. */
  async use<T>(signal: AbortSignal, use: (server: RunningServer) => Promise<T>): Promise<T> {
    if (this.closed) throw new ToolError({ code: 'language_server_closed', message: 'the tool host is shutting down; language servers are stopped', fault: 'environment' });
    this.inFlight++;
    clearTimeout(this.idleTimer);
    try {
      const running = await this.ensureRunning(signal);
      const cpuBefore = cpuTicks(running.process.processIds());
      try {
        const result = await use(running);
        this.hangs.answered();
        return result;
      } catch (error) {
        throw this.explain(error, running, cpuBefore);
      }
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.armIdleTimer();
    }
  }

  /**
   * Tells a running server about files changed on disk (by apply_diff). Open copies are closed so
   * the server reads the disk again; a change to a file outside the server's view (the view would
   * no longer hide it) makes the server start afresh before its next use.
   */
  filesChanged(changes: readonly FileChange[]): void {
    const running = this.running;
    if (!running || running.stopping) return;
    if (changes.some((c) => c.kind !== 'deleted' && !this.options.scope.canRead(c.rel))) {
      running.stale = true;
      return;
    }
    // What dialects prepared (projects loaded through opened files) is prepared again on next use.
    running.memo.clear();
    for (const change of changes) running.openDocuments.close(change.rel);
    const type = { created: FileChangeType.Created, changed: FileChangeType.Changed, deleted: FileChangeType.Deleted };
    running.client.notify(DidChangeWatchedFilesNotification.type, { changes: changes.map((c) => ({ uri: running.uriOf(c.rel), type: type[c.kind] })) });
  }

  /** Stops the server (politely, then by force) and refuses further use. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const starting = this.starting;
    if (starting) await starting.catch(() => undefined);
    await this.stop('closed');
  }

  private async stop(reason: NonNullable<Running['endedBy']>, detail?: string): Promise<void> {
    const running = this.running;
    if (!running || running.stopping) return;
    running.stopping = true;
    running.endedBy = reason;
    if (detail !== undefined) running.memoryDetail = detail;
    if (reason === 'idle' || reason === 'closed' || reason === 'stale') {
      await running.client.shutdown(2_000);
      const exited = await Promise.race([running.process.exited.then(() => true), delay(2_000).then(() => false)]);
      if (!exited) running.process.kill();
    } else {
      running.process.kill();
    }
    await running.process.exited;
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (!this.running || this.closed) return;
    this.idleTimer = setTimeout(() => void this.stop('idle'), this.options.limits.idleMs);
    this.idleTimer.unref();
  }

  private async ensureRunning(signal: AbortSignal): Promise<Running> {
    if (this.running?.stale && !this.running.stopping) await this.stop('stale');
    if (this.running && !this.running.stopping && !this.running.client.exited) return this.running;
    if (this.running?.stopping) await this.running.process.exited;
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return abortable(this.starting, signal);
  }

  private async start(): Promise<Running> {
    const { spec, limits } = this.options;
    const now = this.options.now ?? Date.now;
    this.crashes = this.crashes.filter((at) => now() - at < limits.crashWindowMs);
    if (this.crashes.length >= limits.maxCrashes) {
      const retryAt = new Date(this.crashes[0]! + limits.crashWindowMs).toISOString();
      throw new ToolError({
        code: 'language_server_crashing',
        message: `the ${spec.id} language server stopped unexpectedly ${this.crashes.length} times in the last ${Math.round(limits.crashWindowMs / 60_000)} minutes (last: ${this.lastExit ?? 'unknown'}); it will not be started again before ${retryAt}. Use search and read_file meanwhile`,
        fault: 'environment',
      });
    }
    if (spec.unavailable) throw new ToolError({ code: 'language_server_unavailable', message: `the ${spec.id} language server cannot run: ${spec.unavailable}`, fault: 'environment' });
    const started = now();
    const memoryLimitMb = spec.memoryLimitMb ?? limits.memoryLimitMb;
    const heapMb = Math.max(64, Math.floor((memoryLimitMb * 3) / 4));
    const tmpDir = makeServerTmpDir();
    let server: ServerProcess | undefined;
    try {
      const argv = this.commandArgv(heapMb);
      let view;
      try {
        view = planWorkspaceView(this.root, this.options.scope, { keepVisible: [...spec.readOnlyPaths, nodeInstallDir()] });
      } catch (error) {
        if (error instanceof ViewTooLargeError) throw new ToolError({ code: 'scope_too_fragmented', message: error.message, fault: 'permission' });
        throw error;
      }
      server = this.options.launcher.launch({ view, argv, envAllow: spec.env, readOnlyPaths: [...spec.readOnlyPaths, nodeInstallDir()], tmpDir });
      const client = new LspClient({ process: server, root: this.root, settings: spec.settings });
      const launched = server;
      try {
        await client.initialize({ initializationOptions: spec.initializationOptions(heapMb), timeoutMs: limits.startTimeoutMs });
      } catch (error) {
        const exit = client.exited ?? (await Promise.race([launched.exited, delay(500).then(() => undefined)]));
        const said = exit?.stderrTail.trim();
        const why = error instanceof LspRequestError && error.failure === 'timeout' ? `did not finish starting within ${Math.round(limits.startTimeoutMs / 1000)} s` : `failed to start (${(error as Error).message})`;
        throw new ToolError({ code: 'language_server_failed', message: `the ${spec.id} language server ${why}${said ? `; it said: ${said.slice(-500)}` : ''}. Use search and read_file meanwhile`, fault: 'environment' });
      }
      const running = this.makeRunning({ client, process: launched, tmpDir, memoryLimitMb });
      this.running = running;
      this.starts++;
      void launched.exited.then((exit) => this.onExit(running, exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`, [exit.stderrTail.trim(), ...client.errorLog].filter(Boolean).join('\n')));
      this.options.onEvent?.({ type: 'lsp.started', server: spec.id, root: this.root, pid: launched.pid, sandboxed: this.options.launcher.sandboxed, durationMs: now() - started });
      return running;
    } catch (error) {
      server?.kill();
      await server?.exited;
      rmSync(tmpDir, { recursive: true, force: true });
      throw error;
    }
  }

  private commandArgv(heapMb: number): string[] {
    const { spec } = this.options;
    const [command, ...args] = spec.command.argv;
    if (spec.command.node) return [process.execPath, `--max-old-space-size=${heapMb}`, command!, ...args];
    // Looked up on the PATH the server will see (baton's Node first, then baton's PATH).
    const pathEnv = [path.dirname(process.execPath), process.env['PATH'] ?? ''].join(path.delimiter);
    const executable = findExecutable(command!, { cwd: this.root, pathEnv });
    if (!executable) {
      throw new ToolError({ code: 'language_server_not_installed', message: `the ${spec.id} language server is configured to run "${command}", which is not installed on this host (not found on PATH); ask your operator to install it`, fault: 'environment' });
    }
    return [executable, ...args];
  }

  private makeRunning(input: { client: LspClient; process: ServerProcess; tmpDir: string; memoryLimitMb: number }): Running {
    const { client, process } = input;
    const spec = this.spec;
    const limits = this.options.limits;
    const uriOf = (rel: string) => pathToFileURL(path.join(this.root, rel)).href;
    const openDocuments = new OpenDocuments({ client, uriOf, languageIdOf: (rel) => languageIdOf(spec, rel) });
    const watchdog = startMemoryWatchdog({
      processIds: () => process.processIds(),
      limitBytes: input.memoryLimitMb * 1024 * 1024,
      intervalMs: limits.memoryCheckMs,
      onSample: (bytes) => {
        this.peakMemoryBytes = Math.max(this.peakMemoryBytes, bytes);
      },
      onExceeded: (bytes) => {
        this.options.onEvent?.({ type: 'lsp.memory', server: spec.id, root: this.root, bytes });
        void this.stop('memory', `it used ${Math.round(bytes / 1024 / 1024)} MiB, over its limit of ${input.memoryLimitMb} MiB`);
      },
    });
    const running: Running = {
      spec,
      client,
      root: this.root,
      memo: new Map(),
      process,
      openDocuments,
      tmpDir: input.tmpDir,
      stopWatchdog: watchdog.stop,
      sampleMemory: watchdog.sample,
      stopping: false,
      stale: false,
      uriOf,
      request: (type, params, signal) => client.request(type, params, { timeoutMs: limits.queryTimeoutMs, signal }),
      isOpen: (rel) => openDocuments.has(rel),
      syncDocument: (rel, text, options) => openDocuments.sync(rel, text, options),
    };
    return running;
  }

  private onExit(running: Running, how: string, stderrTail: string): void {
    running.stopWatchdog();
    rmSync(running.tmpDir, { recursive: true, force: true });
    if (this.running === running) this.running = undefined;
    const reason = running.endedBy ?? 'crashed';
    if (reason === 'crashed' || reason === 'memory' || reason === 'hung') {
      this.crashes.push((this.options.now ?? Date.now)());
      this.lastExit = reason === 'memory' ? `stopped: ${running.memoryDetail}` : reason === 'hung' ? 'stopped: it stopped answering' : how;
    }
    this.options.onEvent?.({ type: 'lsp.stopped', server: this.spec.id, root: this.root, reason, ...(reason === 'memory' && running.memoryDetail ? { detail: running.memoryDetail } : reason === 'crashed' ? { detail: `${how}${stderrTail.trim() ? `; it said: ${stderrTail.trim().slice(-1500)}` : ''}` } : {}) });
  }

  /** Turns what went wrong talking to the server into a tool error the model can act on. */
  private explain(error: unknown, running: Running, cpuBefore: number): unknown {
    if (!(error instanceof LspRequestError)) return error;
    const id = this.spec.id;
    switch (error.failure) {
      case 'cancelled':
        return new ToolError({ code: 'cancelled', message: 'the call was cancelled' });
      case 'timeout': {
        if (this.hangs.timedOut(cpuTicks(running.process.processIds()) - cpuBefore)) {
          void this.stop('hung');
          return new ToolError({ code: 'language_server_timeout', message: `the ${id} language server gave no answer within ${Math.round(this.options.limits.queryTimeoutMs / 1000)} s again; it was stopped and starts afresh on the next call. Use search and read_file meanwhile`, fault: 'environment' });
        }
        return new ToolError({ code: 'language_server_timeout', message: `the ${id} language server gave no answer within ${Math.round(this.options.limits.queryTimeoutMs / 1000)} s (it may still be loading a large project); try again, or use search meanwhile`, fault: 'environment' });
      }
      case 'exited': {
        const why = running.endedBy === 'memory' ? `was stopped: ${running.memoryDetail}` : running.endedBy === 'hung' ? 'was stopped because it stopped answering' : `stopped unexpectedly (${error.message.replace(/^the language server /, '')})`;
        return new ToolError({ code: 'language_server_crashed', message: `the ${id} language server ${why}; it starts afresh on the next call`, fault: 'environment' });
      }
      case 'server_error':
        return new ToolError({ code: 'language_server_error', message: `the ${id} language server could not answer: ${firstLine(error.message)}`, fault: 'environment' });
    }
  }
}

function languageIdOf(spec: LanguageServerSpec, rel: string): string {
  return spec.languages[path.extname(rel).toLowerCase()] ?? 'plaintext';
}

/** The directory baton's Node is installed under (its binary is shown to the sandbox). */
function nodeInstallDir(): string {
  const bin = path.dirname(process.execPath);
  return path.basename(bin) === 'bin' ? path.dirname(bin) : bin;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.slice(0, 300);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Waits for `promise` unless `signal` aborts first (the start goes on for the next caller). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ToolError({ code: 'cancelled', message: 'the call was cancelled' }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ToolError({ code: 'cancelled', message: 'the call was cancelled' }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
