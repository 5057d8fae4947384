// Where a definition or reference query points: a position the model gives (path, line, column),
// or a symbol name found through the servers (optionally within one file, optionally qualified by
// its container, "Greeter.say"). Either way the result is an exact position of a name in a
// readable file, with the file's text as baton read it.
import { DocumentSymbolRequest, type Position } from 'vscode-languageserver-protocol';
import { ToolError } from '../tools/tool-error.ts';
import type { CodeIntelCall, ServerHandle } from './code-intel-call.ts';
import { flattenOutline } from './document-outline.ts';
import type { FileText } from './file-text.ts';
import { namePosition } from './symbol-text.ts';

/** Most symbols a name may resolve to before the model is asked to narrow it. */
export const MAX_SYMBOL_TARGETS = 10;

export interface TargetQuery {
  path?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
  symbol?: string | undefined;
}

export interface QueryTarget {
  rel: string;
  handle: ServerHandle;
  text: FileText;
  /** 0-based LSP position of the name. */
  position: Position;
  /** The symbol name, in symbol mode. */
  name?: string;
}

export interface ResolvedTargets {
  targets: QueryTarget[];
  /** More symbols matched than MAX_SYMBOL_TARGETS. */
  truncated: boolean;
}

/** Checks the argument combination before any server is started. */
export function checkTargetQuery(query: TargetQuery): void {
  const positional = query.line !== undefined || query.column !== undefined;
  if (query.symbol !== undefined && positional) {
    throw new ToolError({ code: 'invalid_arguments', message: 'give either symbol (optionally with path) or path, line and column, not both' });
  }
  if (query.symbol === undefined && (query.path === undefined || query.line === undefined || query.column === undefined)) {
    throw new ToolError({ code: 'invalid_arguments', message: 'give path, line and column (1-based, as read_file and search show them), or symbol (a name such as "parseConfig" or "Parser.parse")' });
  }
}

export async function resolveTargets(call: CodeIntelCall, query: TargetQuery, signal: AbortSignal): Promise<ResolvedTargets> {
  checkTargetQuery(query);
  if (query.symbol === undefined) return { targets: [positionTarget(call, query.path!, query.line!, query.column!)], truncated: false };
  const { name, container } = splitQualified(query.symbol);
  const found = query.path !== undefined ? await symbolsInFile(call, query.path, name, container, signal) : await symbolsInWorkspace(call, name, container, signal);
  if (found.length === 0) {
    throw new ToolError({ code: 'symbol_not_found', message: `no symbol named "${query.symbol}" was found${query.path !== undefined ? ` in "${query.path}"` : ' in the files this session may read'}; use find_symbol to see similar names, or give path, line and column` });
  }
  return { targets: found.slice(0, MAX_SYMBOL_TARGETS), truncated: found.length > MAX_SYMBOL_TARGETS };
}

function positionTarget(call: CodeIntelCall, path: string, line: number, column: number): QueryTarget {
  const file = call.requestedFile(path);
  const lines = file.text.lines;
  if (line > lines.length) throw new ToolError({ code: 'bad_position', message: `line ${line} is past the end of "${file.rel}" (${lines.length} lines)` });
  const length = lines[line - 1]!.length;
  if (column > length + 1) throw new ToolError({ code: 'bad_position', message: `column ${column} is past the end of line ${line} of "${file.rel}" (${length} characters); columns are 1-based, as search reports them` });
  return { rel: file.rel, handle: file.handle, text: file.text, position: { line: line - 1, character: column - 1 } };
}

async function symbolsInFile(call: CodeIntelCall, path: string, name: string, container: string | undefined, signal: AbortSignal): Promise<QueryTarget[]> {
  const file = call.requestedFile(path);
  const outline = await call.askAboutFile(file, async (server) => flattenOutline(await server.request(DocumentSymbolRequest.type, { textDocument: { uri: server.uriOf(file.rel) } }, signal)));
  return outline
    .filter((entry) => entry.name === name && (container === undefined || entry.container === container))
    .map((entry) => ({ rel: file.rel, handle: file.handle, text: file.text, position: namePosition(file.text.lines, name, entry.selectionRange), name }));
}

async function symbolsInWorkspace(call: CodeIntelCall, name: string, container: string | undefined, signal: AbortSignal): Promise<QueryTarget[]> {
  const targets: QueryTarget[] = [];
  for (const { handle } of await call.workspaceServers()) {
    const symbols = await call.askWorkspace(handle, (server) => handle.dialect.workspaceSymbols(server, call.workspace, name, signal));
    for (const symbol of symbols) {
      if (symbol.name !== name || (container !== undefined && symbol.container !== container)) continue;
      const rel = call.filter.pathOf(symbol.uri);
      const text = rel === undefined ? undefined : call.filter.textOf(rel);
      if (rel === undefined || text === undefined) continue;
      const position = namePosition(text.lines, name, symbol.range);
      if (targets.some((t) => t.rel === rel && t.position.line === position.line && t.position.character === position.character)) continue;
      targets.push({ rel, handle, text, position, name });
    }
  }
  return targets;
}

/** "Parser.parse" → name "parse" in container "Parser"; a plain name has no container. */
export function splitQualified(symbol: string): { name: string; container: string | undefined } {
  const trimmed = symbol.trim();
  const dot = trimmed.lastIndexOf('.');
  if (dot <= 0 || dot === trimmed.length - 1) return { name: trimmed, container: undefined };
  return { name: trimmed.slice(dot + 1), container: trimmed.slice(0, dot) };
}
