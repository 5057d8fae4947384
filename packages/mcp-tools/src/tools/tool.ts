// The shape every tool has: a plain async function (input, ctx) => output plus the
// metadata MCP needs. The MCP server is a thin adapter around these definitions.
import type { z } from 'zod';
import type { Grant, ToolName } from '../grant.ts';
import type { LanguageServerPool } from '../lsp/server-pool.ts';

/** What a tool reports while it works; the audit log and the orchestrator read these. */
export type ToolActivity =
  | { type: 'file.read'; path: string; bytes: number }
  | { type: 'file.written'; path: string; bytes: number; created: boolean }
  | { type: 'file.deleted'; path: string }
  | { type: 'access.denied'; path: string; access: 'read' | 'write'; reason: string }
  | { type: 'process.started'; argv: readonly string[] }
  | { type: 'process.exited'; exitCode: number | null; timedOut: boolean; durationMs: number };

export interface ToolContext {
  readonly grant: Grant;
  /** Absolute real path of the workspace root. */
  readonly root: string;
  readonly signal: AbortSignal;
  readonly log: (activity: ToolActivity) => void;
  /** The host's language servers, for the code-intelligence tools; absent where none are offered. */
  readonly languageServers?: LanguageServerPool;
}

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  readonly name: ToolName;
  readonly title: string;
  /** Written for a model: what it does, when to use it, what it returns, its limits. */
  readonly description: string;
  readonly inputSchema: I;
  readonly outputSchema: O;
  readonly annotations: ToolAnnotations;
  run(input: z.infer<I>, ctx: ToolContext): Promise<z.infer<O>>;
  /** The text a model reads; structured output goes alongside it. */
  render(output: z.infer<O>): string;
}

/** Erases the input/output types so definitions of different tools fit in one list. */
export type AnyToolDefinition = ToolDefinition<z.ZodObject, z.ZodObject>;

export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(definition: ToolDefinition<I, O>): AnyToolDefinition {
  return definition as unknown as AnyToolDefinition;
}
