// document_symbols: the outline of one file (classes, functions, methods, fields, …) with their
// lines, from the language server of its language.
import { DocumentSymbolRequest } from 'vscode-languageserver-protocol';
import { z } from 'zod';
import { withCodeIntel } from '../lsp/code-intel-call.ts';
import { flattenOutline } from '../lsp/document-outline.ts';
import { SYMBOL_KINDS } from '../lsp/symbol-kinds.ts';
import { namePosition, shownContainer, shownName } from '../lsp/symbol-text.ts';
import { defineTool } from './tool.ts';

const input = z.object({
  path: z.string().describe('File relative to the repository root, e.g. "src/parser.ts".'),
});

const entry = z.object({
  name: z.string(),
  kind: z.enum(SYMBOL_KINDS),
  container: z.string().optional(),
  depth: z.number().int().describe('0 for top-level symbols; 1 for their members; and so on.'),
  line: z.number().int().describe('1-based line of the name.'),
  column: z.number().int(),
  end_line: z.number().int().describe('Last line of the declaration.'),
});

const output = z.object({
  path: z.string(),
  symbols: z.array(entry).describe('In source order.'),
  truncated: z.boolean(),
});
export type DocumentSymbolsOutput = z.infer<typeof output>;

export const documentSymbolsTool = defineTool({
  name: 'document_symbols',
  title: 'Document symbols',
  description:
    'Outline one file: its classes, functions, methods, fields, variables and types, nested, each with its line range — from a real language server. ' +
    'Cheaper than reading a large file to find where things are; then read_file the lines you need.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, ctx) {
    const limit = ctx.grant.limits.maxResults;
    return withCodeIntel(ctx, async (call) => {
      const file = call.requestedFile(args.path);
      const outline = await call.askAboutFile(file, async (server) => flattenOutline(await server.request(DocumentSymbolRequest.type, { textDocument: { uri: server.uriOf(file.rel) } }, ctx.signal)));
      const lines = file.text.lines;
      const symbols = outline
        .filter((s) => s.selectionRange.start.line < lines.length)
        .map((s) => {
          const at = namePosition(lines, s.name, s.selectionRange);
          const name = shownName(lines, s.name, s.selectionRange);
          const container = shownContainer(file.text.text, s.container);
          return { name, kind: s.kind, ...(container ? { container } : {}), depth: s.depth, line: at.line + 1, column: at.character + 1, end_line: s.range.end.line + 1 };
        });
      return { path: file.rel, symbols: symbols.slice(0, limit), truncated: symbols.length > limit };
    });
  },
  render(out) {
    if (out.symbols.length === 0) return `${out.path}: no symbols.`;
    const lines = [`${out.path}:`, ...out.symbols.map((s) => `${'  '.repeat(s.depth)}${s.kind} ${s.name} (lines ${s.line}-${s.end_line})`)];
    if (out.truncated) lines.push(`[first ${out.symbols.length} symbols shown]`);
    return lines.join('\n');
  },
});
