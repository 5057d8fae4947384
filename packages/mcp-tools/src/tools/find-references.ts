// find_references: every place that uses the name at a position (or a named symbol), from the
// language server of its language: callers, imports, overrides — not mere text matches.
import { ReferencesRequest } from 'vscode-languageserver-protocol';
import { z } from 'zod';
import { withCodeIntel } from '../lsp/code-intel-call.ts';
import { resolveTargets } from '../lsp/query-target.ts';
import { locationSchema, notShownSchema, renderLocation, renderNotes, sortLocations, targetInput, type LocationOutput } from './code-intel-shared.ts';
import { defineTool } from './tool.ts';

const input = z.object({
  ...targetInput,
  include_declaration: z.boolean().optional().describe('Also list the declaration itself. Default true.'),
  max_results: z.number().int().min(1).optional().describe('Most references to return (capped by the session limit).'),
});

const output = z.object({
  references: z.array(locationSchema).describe('Sorted by path and line.'),
  total: z.number().int().describe('References found that this session may see (more than shown when truncated).'),
  truncated: z.boolean(),
  symbols: z.number().int().describe('How many declarations the query resolved to (a symbol name can match several).'),
  not_shown: notShownSchema,
});
export type FindReferencesOutput = z.infer<typeof output>;

export const findReferencesTool = defineTool({
  name: 'find_references',
  title: 'Find references',
  description:
    'Find every use of a function, method, class, variable or type — its callers, imports and overrides — using a real language server, so ' +
    'unrelated identifiers with the same name are not matched. Give the path, line and column of the name, or a symbol name ("parseConfig", ' +
    '"Parser.parse"). Use it before changing a signature to find everything that must change with it.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, ctx) {
    const limit = Math.min(args.max_results ?? ctx.grant.limits.maxResults, ctx.grant.limits.maxResults);
    return withCodeIntel(ctx, async (call) => {
      const { targets, truncated: tooManySymbols } = await resolveTargets(call, args, ctx.signal);
      const found: LocationOutput[] = [];
      for (const target of targets) {
        const references = await call.askAboutFile(target, (server) =>
          server.request(
            ReferencesRequest.type,
            { textDocument: { uri: server.uriOf(target.rel) }, position: target.position, context: { includeDeclaration: args.include_declaration ?? true } },
            ctx.signal,
          ),
        );
        for (const reference of references ?? []) {
          const at = call.filter.locate(reference.uri, reference.range);
          if (at) found.push(at);
        }
      }
      const all = sortLocations(found);
      return {
        references: all.slice(0, limit),
        total: all.length,
        truncated: all.length > limit || tooManySymbols,
        symbols: targets.length,
        ...(call.filter.hidden > 0 ? { not_shown: call.filter.hidden } : {}),
      };
    });
  },
  render(out) {
    const lines = [`${out.total} reference(s)${out.symbols > 1 ? ` to ${out.symbols} symbols of that name` : ''}:`, ...out.references.map(renderLocation)];
    if (out.references.length === 0) lines[0] = out.not_shown ? 'No references that this session may see.' : 'No references found.';
    lines.push(...renderNotes(out, 'raise max_results, or give a path or a qualified name'));
    return lines.join('\n');
  },
});
