// pyright: plain LSP, with pull diagnostics (textDocument/diagnostic) for any file of the
// workspace, opened or not. Right after it starts, pyright answers workspace/symbol with nothing
// until it has read its configuration and found the workspace's files; a diagnostics request
// waits for that, so the first call of a server makes one and everything after finds it ready.
import { DocumentDiagnosticRequest, WorkspaceSymbolRequest, type SymbolInformation, type WorkspaceSymbol } from 'vscode-languageserver-protocol';
import { messageText, refreshIfOpen, severityName, type Dialect, type RawDiagnostic, type RawSymbol } from './dialect.ts';
import type { RunningServer } from './managed-server.ts';
import { kindName } from './symbol-kinds.ts';

const READY_MEMO = 'pyright.ready';

export const pyrightDialect: Dialect = {
  async ready(server, workspace, signal, rel) {
    if (server.memo.has(READY_MEMO)) return;
    const probe = rel ?? (await workspace.listFiles({ extensions: Object.keys(server.spec.languages) }))[0];
    if (probe !== undefined) await pull(server, probe, signal);
    server.memo.set(READY_MEMO, true);
  },

  async workspaceSymbols(server, workspace, query, signal) {
    await pyrightDialect.ready(server, workspace, signal);
    const found = await server.request(WorkspaceSymbolRequest.type, { query }, signal);
    return symbolsOf(found);
  },

  async fileDiagnostics(server, workspace, rel, signal) {
    refreshIfOpen(server, workspace, rel);
    return pull(server, rel, signal);
  },
};

export async function pull(server: RunningServer, rel: string, signal: AbortSignal): Promise<RawDiagnostic[]> {
  const report = await server.request(DocumentDiagnosticRequest.type, { textDocument: { uri: server.uriOf(rel) } }, signal);
  if (report.kind !== 'full') return [];
  return report.items.map(
    (d): RawDiagnostic => ({
      range: d.range,
      severity: severityName(d.severity),
      message: messageText(d.message),
      ...(d.code !== undefined ? { code: String(d.code) } : {}),
      ...(d.source !== undefined ? { source: d.source } : {}),
    }),
  );
}

/** workspace/symbol answers as raw symbols (SymbolInformation or WorkspaceSymbol with a range). */
export function symbolsOf(found: SymbolInformation[] | WorkspaceSymbol[] | null): RawSymbol[] {
  const symbols: RawSymbol[] = [];
  for (const symbol of found ?? []) {
    if (!('range' in symbol.location)) continue; // a WorkspaceSymbol without a range needs resolving; none of ours send them
    symbols.push({ name: symbol.name, kind: kindName(symbol.kind), ...(symbol.containerName ? { container: symbol.containerName } : {}), uri: symbol.location.uri, range: symbol.location.range });
  }
  return symbols;
}
