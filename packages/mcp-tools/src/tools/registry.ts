// Every tool baton-tools can serve. A session registers the subset its grant names.
import { applyDiffTool } from './apply-diff.ts';
import { diagnosticsTool } from './diagnostics.ts';
import { documentSymbolsTool } from './document-symbols.ts';
import { findReferencesTool } from './find-references.ts';
import { findSymbolTool } from './find-symbol.ts';
import { gotoDefinitionTool } from './goto-definition.ts';
import { listFilesTool } from './list-files.ts';
import { readFileTool } from './read-file.ts';
import { runTestsTool } from './run-tests.ts';
import { searchTool } from './search.ts';
import type { AnyToolDefinition } from './tool.ts';

export const ALL_TOOLS: readonly AnyToolDefinition[] = [
  readFileTool,
  listFilesTool,
  searchTool,
  applyDiffTool,
  runTestsTool,
  findSymbolTool,
  gotoDefinitionTool,
  findReferencesTool,
  documentSymbolsTool,
  diagnosticsTool,
];
