// Typed calls of the code-intelligence tools for tests (the registry erases their output types).
import { diagnosticsTool, type DiagnosticsOutput } from '../tools/diagnostics.ts';
import { documentSymbolsTool, type DocumentSymbolsOutput } from '../tools/document-symbols.ts';
import { findReferencesTool, type FindReferencesOutput } from '../tools/find-references.ts';
import { findSymbolTool, type FindSymbolOutput } from '../tools/find-symbol.ts';
import { gotoDefinitionTool, type GotoDefinitionOutput } from '../tools/goto-definition.ts';
import type { ToolContext } from '../tools/tool.ts';

type Args = Record<string, unknown>;

export const codeIntel = {
  findSymbol: (args: Args, ctx: ToolContext) => findSymbolTool.run(args, ctx) as Promise<FindSymbolOutput>,
  gotoDefinition: (args: Args, ctx: ToolContext) => gotoDefinitionTool.run(args, ctx) as Promise<GotoDefinitionOutput>,
  findReferences: (args: Args, ctx: ToolContext) => findReferencesTool.run(args, ctx) as Promise<FindReferencesOutput>,
  documentSymbols: (args: Args, ctx: ToolContext) => documentSymbolsTool.run(args, ctx) as Promise<DocumentSymbolsOutput>,
  diagnostics: (args: Args, ctx: ToolContext) => diagnosticsTool.run(args, ctx) as Promise<DiagnosticsOutput>,
};
