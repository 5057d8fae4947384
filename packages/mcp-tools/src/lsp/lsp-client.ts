// The client side of one LSP connection, over vscode-languageserver-protocol's JSON-RPC: the
// handshake, requests with a time limit and cancellation, the server's own requests answered
// (settings, registrations, progress), and the diagnostics it publishes kept by document.
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  CancellationTokenSource,
  ConfigurationRequest,
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  WorkDoneProgressCreateRequest,
  WorkspaceFoldersRequest,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
  type ProtocolNotificationType,
  type ProtocolRequestType,
  type RequestParam,
  type ServerCapabilities,
} from 'vscode-languageserver-protocol/node';
import type { ServerExit, ServerProcess } from './server-process.ts';
import { settingsSection } from './server-spec.ts';

/** Why a request to a language server did not answer. */
export type LspFailure = 'timeout' | 'cancelled' | 'exited' | 'server_error';

export class LspRequestError extends Error {
  override name = 'LspRequestError';
  readonly failure: LspFailure;
  constructor(failure: LspFailure, message: string) {
    super(message);
    this.failure = failure;
  }
}

export interface PublishedDiagnostics {
  version: number | undefined;
  diagnostics: Diagnostic[];
  /** Increases with every publication on this connection, so a caller can wait for a newer one. */
  seq: number;
}

export interface LspClientOptions {
  process: ServerProcess;
  root: string;
  settings: Readonly<Record<string, unknown>>;
}

const CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    symbol: { symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => (i + 1) as 1) } },
    // Dynamic registration with relative patterns lets typescript-language-server hand tsserver's
    // file watching to us: changes arrive when baton says so, in order with the next request.
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: false, willSave: false },
    definition: { linkSupport: true },
    references: {},
    documentSymbol: { hierarchicalDocumentSymbolSupport: true, symbolKind: { valueSet: Array.from({ length: 26 }, (_, i) => (i + 1) as 1) } },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
  },
  window: { workDoneProgress: true },
  general: { positionEncodings: ['utf-16'] },
};

export class LspClient {
  readonly root: string;
  readonly rootUri: string;
  capabilities: ServerCapabilities = {};
  private readonly connection: ProtocolConnection;
  private readonly process: ServerProcess;
  private readonly published = new Map<string, PublishedDiagnostics>();
  private readonly waiters = new Set<() => void>();
  /** Requests in flight, failed at once when the server exits. */
  private readonly pending = new Set<(exit: ServerExit) => void>();
  private seq = 0;
  /** The last errors and warnings the server logged. */
  readonly errorLog: string[] = [];
  private exit: ServerExit | undefined;
  private readonly exitedPromise: Promise<ServerExit>;

  constructor(options: LspClientOptions) {
    this.process = options.process;
    this.root = options.root;
    this.rootUri = pathToFileURL(options.root).href;
    this.connection = createProtocolConnection(new StreamMessageReader(options.process.stdout), new StreamMessageWriter(options.process.stdin));
    const settings = options.settings;
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => settingsSection(settings, item.section)));
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onRequest(UnregistrationRequest.type, () => undefined);
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    this.connection.onRequest(WorkspaceFoldersRequest.type, () => [{ uri: this.rootUri, name: 'workspace' }]);
    this.connection.onRequest(ShowMessageRequest.type, () => null);
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, () => ({ applied: false, failureReason: 'baton applies no edits from language servers' }));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, { version: params.version, diagnostics: params.diagnostics, seq: ++this.seq });
      for (const wake of [...this.waiters]) wake();
    });
    // Errors and warnings it logs explain a crash to the operator; other notifications go unhandled.
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      if (params.type > 2) return;
      this.errorLog.push(params.message.slice(0, 500));
      if (this.errorLog.length > 5) this.errorLog.shift();
    });
    this.connection.onError(() => {});
    this.exitedPromise = options.process.exited.then((exit) => {
      this.exit = exit;
      for (const fail of [...this.pending]) fail(exit);
      this.connection.dispose();
      for (const wake of [...this.waiters]) wake();
      return exit;
    });
    this.connection.listen();
  }

  /** The server's exit, once it has exited. */
  get exited(): ServerExit | undefined {
    return this.exit;
  }

  get exitPromise(): Promise<ServerExit> {
    return this.exitedPromise;
  }

  async initialize(options: { initializationOptions: unknown; timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    const result = await this.request(
      InitializeRequest.type,
      {
        // No pid: in a sandbox's PID namespace ours names nothing (or another process), and servers
        // that watch it would exit. They end when their stdin closes instead.
        processId: null,
        rootUri: this.rootUri,
        rootPath: this.root,
        workspaceFolders: [{ uri: this.rootUri, name: 'workspace' }],
        capabilities: CLIENT_CAPABILITIES,
        initializationOptions: options.initializationOptions,
        clientInfo: { name: 'baton' },
      },
      { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) },
    );
    this.capabilities = result.capabilities;
    this.notify(InitializedNotification.type, {});
  }

  /** Sends a request; rejects with LspRequestError on the time limit, an abort, the server's exit or its error. */
  request<P, R, PR, E, RO>(type: ProtocolRequestType<P, R, PR, E, RO>, params: RequestParam<P>, options: { timeoutMs: number; signal?: AbortSignal }): Promise<R> {
    if (this.exit) return Promise.reject(exitedError(this.exit));
    const cancel = new CancellationTokenSource();
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      const onExit = (exit: ServerExit) => finish(() => reject(exitedError(exit)));
      const finish = (action: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.pending.delete(onExit);
        action();
      };
      const timer = setTimeout(() => {
        cancel.cancel();
        finish(() => reject(new LspRequestError('timeout', `no answer within ${Math.round(options.timeoutMs / 1000)} s`)));
      }, options.timeoutMs);
      const onAbort = () => {
        cancel.cancel();
        finish(() => reject(new LspRequestError('cancelled', 'the call was cancelled')));
      };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.connection.sendRequest(type, params, cancel.token).then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(this.exit ? exitedError(this.exit) : new LspRequestError('server_error', (error as Error).message))),
      );
      this.pending.add(onExit);
    });
  }

  notify<P, RO>(type: ProtocolNotificationType<P, RO>, params: RequestParam<P>): void {
    if (this.exit) return;
    void this.connection.sendNotification(type, params).catch(() => {});
  }

  /** What the server last published for `uri`. */
  publishedFor(uri: string): PublishedDiagnostics | undefined {
    return this.published.get(uri);
  }

  /** The sequence number of the latest publication, to wait for later ones. */
  get publicationSeq(): number {
    return this.seq;
  }

  /** Resolves when `ready()` holds (checked on every publication), the server exits, or the time is up. */
  waitForPublication(ready: () => boolean, options: { timeoutMs: number; signal?: AbortSignal }): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        this.waiters.delete(check);
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', abort);
        resolve(value);
      };
      const check = () => {
        if (ready()) done(true);
        else if (this.exit) done(false);
      };
      const abort = () => done(false);
      const timer = setTimeout(() => done(ready()), options.timeoutMs);
      options.signal?.addEventListener('abort', abort, { once: true });
      this.waiters.add(check);
      check();
    });
  }

  /** Asks the server to shut down and exit; the caller ends the process if it does not. */
  async shutdown(timeoutMs: number): Promise<void> {
    if (this.exit) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      const answered = await Promise.race([
        this.connection.sendRequest(ShutdownRequest.type).then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
        this.exitedPromise.then(() => false),
      ]);
      if (answered) await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // It will be killed.
    } finally {
      clearTimeout(timer);
    }
  }
}

function exitedError(exit: ServerExit): LspRequestError {
  const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code ?? 'unknown'}`;
  return new LspRequestError('exited', `the language server ${how}`);
}
