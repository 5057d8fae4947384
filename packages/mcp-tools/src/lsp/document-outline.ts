// A file's symbols as one flat outline in source order, from either shape textDocument/
// documentSymbol answers with (a DocumentSymbol tree, or flat SymbolInformation).
import type { DocumentSymbol, Range, SymbolInformation } from 'vscode-languageserver-protocol';
import { kindName, type SymbolKindName } from './symbol-kinds.ts';

export interface OutlineEntry {
  name: string;
  kind: SymbolKindName;
  /** The enclosing symbol's name, when nested. */
  container?: string;
  /** 0 for top level. */
  depth: number;
  /** The whole declaration. */
  range: Range;
  /** The name. */
  selectionRange: Range;
}

export function flattenOutline(found: DocumentSymbol[] | SymbolInformation[] | null | undefined): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  const visit = (symbol: DocumentSymbol, depth: number, container: string | undefined) => {
    entries.push({ name: symbol.name, kind: kindName(symbol.kind), ...(container !== undefined ? { container } : {}), depth, range: symbol.range, selectionRange: symbol.selectionRange });
    for (const child of symbol.children ?? []) visit(child, depth + 1, symbol.name);
  };
  for (const symbol of found ?? []) {
    if ('location' in symbol) {
      entries.push({ name: symbol.name, kind: kindName(symbol.kind), ...(symbol.containerName ? { container: symbol.containerName } : {}), depth: symbol.containerName ? 1 : 0, range: symbol.location.range, selectionRange: symbol.location.range });
    } else {
      visit(symbol, 0, undefined);
    }
  }
  entries.sort((a, b) => a.selectionRange.start.line - b.selectionRange.start.line || a.selectionRange.start.character - b.selectionRange.start.character);
  return entries;
}
