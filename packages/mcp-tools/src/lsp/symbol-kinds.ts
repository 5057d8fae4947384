// Symbol kinds as models see them: LSP's numbered SymbolKind as lowercase names, and tsserver's
// own kind strings mapped onto the same names.

export const SYMBOL_KINDS = [
  'file', 'module', 'namespace', 'package', 'class', 'method', 'property', 'field', 'constructor', 'enum', 'interface', 'function', 'variable',
  'constant', 'string', 'number', 'boolean', 'array', 'object', 'key', 'null', 'enum_member', 'struct', 'event', 'operator', 'type_parameter',
] as const;
export type SymbolKindName = (typeof SYMBOL_KINDS)[number];

/** LSP SymbolKind (1-based) → name; unknown numbers read as "variable". */
export function kindName(kind: number): SymbolKindName {
  return SYMBOL_KINDS[kind - 1] ?? 'variable';
}

export function kindNumber(name: SymbolKindName): number {
  return SYMBOL_KINDS.indexOf(name) + 1;
}

const TSSERVER_KINDS = new Map<string, SymbolKindName>([
  ['module', 'module'],
  ['class', 'class'],
  ['local class', 'class'],
  ['interface', 'interface'],
  ['type', 'interface'],
  ['enum', 'enum'],
  ['enum member', 'enum_member'],
  ['var', 'variable'],
  ['local var', 'variable'],
  ['let', 'variable'],
  ['const', 'constant'],
  ['using', 'variable'],
  ['function', 'function'],
  ['local function', 'function'],
  ['method', 'method'],
  ['getter', 'property'],
  ['setter', 'property'],
  ['property', 'property'],
  ['accessor', 'property'],
  ['constructor', 'constructor'],
  ['call', 'method'],
  ['index', 'method'],
  ['construct', 'constructor'],
  ['parameter', 'variable'],
  ['type parameter', 'type_parameter'],
  ['alias', 'variable'],
]);

/** A tsserver kind ("local function", "enum member", …) as a symbol kind name. */
export function tsserverKind(kind: string): SymbolKindName {
  return TSSERVER_KINDS.get(kind) ?? 'variable';
}
