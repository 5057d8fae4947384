// goto_definition: where the name at a position (or a named symbol) is defined, from the
// language server of the file's language.
import { DefinitionRequest, type Definition, type DefinitionLink, type Location } from 'vscode-languageserver-protocol';
import { z } from 'zod';
import { withCodeIntel } from '../lsp/code-intel-call.ts';
import { resolveTargets } from '../lsp/query-target.ts';
import { locationSchema, notShownSchema, renderLocation, renderNotes, sortLocations, targetInput, type LocationOutput } from './code-intel-shared.ts';
import { defineTool } from './tool.ts';

const input = z.object(targetInput);

const output = z.object({
  definitions: z.array(locationSchema),
  truncated: z.boolean().describe('The symbol name matched more declarations than shown; give a path or a qualified name.'),
  not_shown: notShownSchema,
});
export type GotoDefinitionOutput = z.infer<typeof output>;

export const gotoDefinitionTool = defineTool({
  name: 'goto_definition',
  title: 'Go to definition',
  description:
    'Find where something is defined: give the path, line and column of a name as read_file or search show it (e.g. a call you are reading), ' +
    'or a symbol name ("parseConfig", "Parser.parse"). Answered by a real language server, so imports, re-exports and overloads resolve like in an editor. ' +
    'Returns path, line, column and the line\'s text for each definition.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, ctx) {
    return withCodeIntel(ctx, async (call) => {
      const { targets, truncated } = await resolveTargets(call, args, ctx.signal);
      const definitions: LocationOutput[] = [];
      for (const target of targets) {
        if (target.name !== undefined) {
          // A symbol found by name is itself the declaration.
          const at = call.filter.locate(target.handle.server.uriOf(target.rel), { start: target.position, end: { line: target.position.line, character: target.position.character + target.name.length } });
          if (at) definitions.push(at);
          continue;
        }
        const found = await call.askAboutFile(target, (server) => server.request(DefinitionRequest.type, { textDocument: { uri: server.uriOf(target.rel) }, position: target.position }, ctx.signal));
        for (const location of locationsOf(found)) {
          const at = call.filter.locate(location.uri, location.range);
          if (at) definitions.push(at);
        }
      }
      return { definitions: sortLocations(definitions), truncated, ...(call.filter.hidden > 0 ? { not_shown: call.filter.hidden } : {}) };
    });
  },
  render(out) {
    const lines = out.definitions.map(renderLocation);
    if (lines.length === 0) lines.push(out.not_shown ? 'No definition that this session may see.' : 'No definition found (the name may be a builtin, or not a symbol).');
    lines.push(...renderNotes(out, 'give a path or a qualified name such as "Class.method"'));
    return lines.join('\n');
  },
});

/** Definition answers come as one Location, several, or LocationLinks (whose target selection is the name). */
export function locationsOf(found: Definition | DefinitionLink[] | Location[] | null): Location[] {
  if (!found) return [];
  const list = Array.isArray(found) ? found : [found];
  return list.map((item) => ('targetUri' in item ? { uri: item.targetUri, range: item.targetSelectionRange } : item));
}
