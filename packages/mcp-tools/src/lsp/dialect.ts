// How baton asks one kind of server for what plain LSP leaves open: symbols across the whole
// workspace (typescript-language-server answers only for the last file opened), and diagnostics
// of a file in its current state (pull where offered, tsserver's synchronous commands, or push).
// Results stay raw here (URIs, LSP ranges); the tools filter and quote them.
import type { MarkupContent, Range } from 'vscode-languageserver-protocol';
import type { FileText } from './file-text.ts';
import type { RunningServer } from './managed-server.ts';
import type { SymbolKindName } from './symbol-kinds.ts';

export interface RawSymbol {
  name: string;
  kind: SymbolKindName;
  container?: string;
  uri: string;
  /** Where the server says the symbol is (its name, or its whole declaration). */
  range: Range;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RawDiagnostic {
  range: Range;
  severity: Severity;
  message: string;
  code?: string;
  source?: string;
}

/** What of the workspace a dialect may look at: the session's readable files, read by descriptor. */
export interface WorkspaceAccess {
  /** Readable files with these extensions (or names), sorted, node_modules and ignored files left out. */
  listFiles(options: { extensions: readonly string[]; names?: readonly string[] }): Promise<string[]>;
  readText(rel: string): FileText | undefined;
}

export interface Dialect {
  /** Symbols whose names match `query`, across the workspace. */
  workspaceSymbols(server: RunningServer, workspace: WorkspaceAccess, query: string, signal: AbortSignal): Promise<RawSymbol[]>;
  /**
   * Diagnostics of `rel` as it is on disk now. `open` says the file was just sent to the server
   * (a file-level call); otherwise the dialect decides whether it must open it.
   */
  fileDiagnostics(server: RunningServer, workspace: WorkspaceAccess, rel: string, signal: AbortSignal): Promise<RawDiagnostic[]>;
  /** Waits until the server can answer about file `rel`, or about the whole workspace when `rel` is absent (some servers answer empty while loading). */
  ready(server: RunningServer, workspace: WorkspaceAccess, signal: AbortSignal, rel?: string): Promise<void>;
}

export function severityName(severity: number | undefined): Severity {
  switch (severity) {
    case 2:
      return 'warning';
    case 3:
      return 'information';
    case 4:
      return 'hint';
    default:
      return 'error';
  }
}

/** Sends the file's current text to the server when it has it open with other text; true when the file is open. */
export function refreshIfOpen(server: RunningServer, workspace: WorkspaceAccess, rel: string): boolean {
  if (!server.isOpen(rel)) return false;
  const text = workspace.readText(rel);
  if (text) server.syncDocument(rel, text.text);
  return true;
}

/** A diagnostic's message as plain text (LSP 3.18 allows markup). */
export function messageText(message: string | MarkupContent): string {
  return typeof message === 'string' ? message : message.value;
}
