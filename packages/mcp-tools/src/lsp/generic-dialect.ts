// Any other LSP server (gopls, rust-analyzer, clangd, …): workspace/symbol as is, and diagnostics
// pulled where the server offers textDocument/diagnostic; otherwise the file is opened and the
// diagnostics it publishes for that version are awaited, until they stop changing briefly.
import { WorkspaceSymbolRequest } from 'vscode-languageserver-protocol';
import { messageText, severityName, type Dialect, type RawDiagnostic } from './dialect.ts';
import { pull, symbolsOf } from './pyright-dialect.ts';

/** A push server's diagnostics count as settled after this long without a new publication. */
const SETTLE_MS = 500;
/** Longest wait for a push server's first publication about a file. */
const PUBLISH_WAIT_MS = 10_000;

export const genericDialect: Dialect = {
  async ready() {
    // Nothing to wait for: a generic server answers when it can.
  },

  async workspaceSymbols(server, _workspace, query, signal) {
    return symbolsOf(await server.request(WorkspaceSymbolRequest.type, { query }, signal));
  },

  async fileDiagnostics(server, workspace, rel, signal) {
    const text = workspace.readText(rel);
    if (!text) return [];
    const sync = server.syncDocument(rel, text.text);
    if (server.client.capabilities.diagnosticProvider) return pull(server, rel, signal);
    const uri = server.uriOf(rel);
    // About the text last sent: for this version when the server says which, else published since it was sent.
    const fresh = () => {
      const published = server.client.publishedFor(uri);
      if (published === undefined) return false;
      return published.version !== undefined ? published.version >= sync.version : published.seq > sync.sentAtSeq;
    };
    // Servers publish on their own schedule: wait for the first publication for this version, then for quiet.
    if (!fresh()) await server.client.waitForPublication(fresh, { timeoutMs: PUBLISH_WAIT_MS, signal });
    for (;;) {
      const seen = server.client.publishedFor(uri)?.seq;
      const changed = await server.client.waitForPublication(() => server.client.publishedFor(uri)?.seq !== seen, { timeoutMs: SETTLE_MS, signal });
      if (!changed || signal.aborted) break;
    }
    return (server.client.publishedFor(uri)?.diagnostics ?? []).map(
      (d): RawDiagnostic => ({ range: d.range, severity: severityName(d.severity), message: messageText(d.message), ...(d.code !== undefined ? { code: String(d.code) } : {}), ...(d.source !== undefined ? { source: d.source } : {}) }),
    );
  },
};
