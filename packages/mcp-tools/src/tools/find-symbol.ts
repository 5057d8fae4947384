// find_symbol: declarations whose names match a query, across the workspace, from the language
// servers of the languages the session can read.
import { z } from 'zod';
import { withCodeIntel } from '../lsp/code-intel-call.ts';
import { SYMBOL_KINDS } from '../lsp/symbol-kinds.ts';
import { namePosition, shownContainer, shownName } from '../lsp/symbol-text.ts';
import { acrossServers, notShownSchema, renderNotes, serverProblemsSchema } from './code-intel-shared.ts';
import { defineTool } from './tool.ts';

const input = z.object({
  query: z.string().min(1).max(200).describe('Name or part of a name, e.g. "parseConfig" or "Config" (servers also match camel-case fragments).'),
  kind: z.enum(SYMBOL_KINDS).optional().describe('Only symbols of this kind, e.g. "class", "function", "method", "interface".'),
  max_results: z.number().int().min(1).optional().describe('Most symbols to return (capped by the session limit).'),
});

const symbol = z.object({
  name: z.string(),
  kind: z.enum(SYMBOL_KINDS),
  container: z.string().optional().describe('The class, module or namespace it is declared in.'),
  path: z.string(),
  line: z.number().int().describe('1-based line of the name.'),
  column: z.number().int().describe('1-based column of the name.'),
  text: z.string().describe('The declaration\'s line as it is in the file now.'),
});

const output = z.object({
  symbols: z.array(symbol).describe('Exact name matches first.'),
  truncated: z.boolean(),
  not_shown: notShownSchema,
  servers: z.array(z.string()).describe('Language servers asked (by the languages of the files this session may read).'),
  server_problems: serverProblemsSchema,
});
export type FindSymbolOutput = z.infer<typeof output>;
type Symbol = z.infer<typeof symbol>;

export const findSymbolTool = defineTool({
  name: 'find_symbol',
  title: 'Find symbol',
  description:
    'Find where functions, classes, methods, types and variables are declared, by name, across the repository — using real language servers ' +
    '(TypeScript/JavaScript, Python, and any others the operator configured), so only declarations match, not every mention. Returns each ' +
    'symbol\'s kind, container, path, line and column. Then use goto_definition, find_references or read_file on a result. For plain text, use search.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, ctx) {
    const limit = Math.min(args.max_results ?? ctx.grant.limits.maxResults, ctx.grant.limits.maxResults);
    return withCodeIntel(ctx, async (call) => {
      const servers = await call.workspaceServers();
      const { results, problems } = await acrossServers(
        servers.map((s) => s.handle),
        (handle) => call.askWorkspace(handle, (server) => handle.dialect.workspaceSymbols(server, call.workspace, args.query, ctx.signal)),
      );
      const found: Symbol[] = [];
      for (const raw of results.flat()) {
        if (args.kind !== undefined && raw.kind !== args.kind) continue;
        const rel = call.filter.pathOf(raw.uri);
        const text = rel === undefined ? undefined : call.filter.textOf(rel);
        if (rel === undefined || text === undefined) continue;
        const at = namePosition(text.lines, raw.name, raw.range);
        const location = call.filter.locate(raw.uri, { start: at, end: at });
        if (!location) continue;
        const container = shownContainer(text.text, raw.container);
        found.push({ name: shownName(text.lines, raw.name, raw.range), kind: raw.kind, ...(container ? { container } : {}), path: rel, line: location.line, column: location.column, text: location.text });
      }
      const unique = dedupe(found);
      unique.sort((a, b) => rank(a.name, args.query) - rank(b.name, args.query) || (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));
      const shown = unique.slice(0, limit);
      return {
        symbols: shown,
        truncated: unique.length > limit,
        ...(call.filter.hidden > 0 ? { not_shown: call.filter.hidden } : {}),
        servers: servers.map((s) => s.handle.spec.id),
        ...(problems.length > 0 ? { server_problems: problems } : {}),
      };
    });
  },
  render(out) {
    const lines = out.symbols.map((s) => `${s.kind} ${s.container ? `${s.container}.` : ''}${s.name} — ${s.path}:${s.line}:${s.column}: ${s.text.trim()}`);
    if (lines.length === 0) lines.push(out.servers.length === 0 ? 'No files of a language the language servers handle are readable here; use search.' : 'No symbols matched.');
    lines.push(...renderNotes(out, 'narrow the query or filter by kind'));
    return lines.join('\n');
  },
});

/** 0: exact, 1: exact ignoring case, 2: prefix, 3: contains, 4: other (fuzzy) matches. */
function rank(name: string, query: string): number {
  if (name === query) return 0;
  const lower = name.toLowerCase();
  const q = query.toLowerCase();
  if (lower === q) return 1;
  if (lower.startsWith(q)) return 2;
  return lower.includes(q) ? 3 : 4;
}

function dedupe(symbols: Symbol[]): Symbol[] {
  const seen = new Set<string>();
  return symbols.filter((s) => {
    const key = `${s.path}\0${s.line}\0${s.column}\0${s.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
