// Builds one MCP server for one session: only the grant's tools are registered, and every
// call is checked against the grant (expiry, revocation, tool) before the tool runs.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { summarizeArguments, type ToolCallRecord } from '../audit/tool-call-record.ts';
import type { Grant } from '../grant.ts';
import type { LanguageServerPool } from '../lsp/server-pool.ts';
import { canUseTool, isExpired } from '../permissions.ts';
import { ALL_TOOLS } from '../tools/registry.ts';
import { isToolError, ToolError } from '../tools/tool-error.ts';
import type { AnyToolDefinition, ToolActivity, ToolContext } from '../tools/tool.ts';
import { VERSION } from '../version.ts';
import { dropNullArguments, wireInputSchema } from './null-as-absent.ts';

export interface ToolSessionOptions {
  /** Absolute real path of the workspace root. */
  root: string;
  grant: Grant;
  sessionId?: string;
  tools?: readonly AnyToolDefinition[];
  /** Called once per tool call with its audit record. */
  onToolCall?: (record: ToolCallRecord) => void;
  /** Called for every activity a tool reports, as it happens. */
  onActivity?: (activity: ToolActivity) => void;
  /** Language servers for the code-intelligence tools, shared by the sessions of one host. */
  languageServers?: LanguageServerPool;
  /** Checked before every call; a revoked grant refuses calls even on an open session. */
  isRevoked?: () => boolean;
  now?: () => number;
}

export function createToolServer(options: ToolSessionOptions): McpServer {
  const server = new McpServer(
    { name: 'baton-tools', version: VERSION },
    { instructions: sessionInstructions(options.grant) },
  );
  for (const tool of options.tools ?? ALL_TOOLS) {
    if (!canUseTool(options.grant, tool.name)) continue;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: wireInputSchema(tool.inputSchema),
        outputSchema: tool.outputSchema,
        annotations: { title: tool.title, ...tool.annotations },
      },
      (args: Record<string, unknown>, extra: { signal: AbortSignal }) => invokeTool(tool, args, extra.signal, options),
    );
  }
  return server;
}

/** Runs one tool call with checks, activity capture and an audit record. Exported for in-process callers. */
export async function invokeTool(
  tool: AnyToolDefinition,
  args: Record<string, unknown>,
  signal: AbortSignal,
  options: ToolSessionOptions,
): Promise<CallToolResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const activities: ToolActivity[] = [];
  const ctx: ToolContext = {
    grant: options.grant,
    root: options.root,
    signal,
    log: (activity) => {
      activities.push(activity);
      options.onActivity?.(activity);
    },
    ...(options.languageServers ? { languageServers: options.languageServers } : {}),
  };
  let result: CallToolResult;
  let error: ToolError | undefined;
  try {
    checkSession(tool, options, now());
    const input = tool.inputSchema.parse(dropNullArguments(args));
    const output = await tool.run(input, ctx);
    result = { content: [{ type: 'text', text: tool.render(output) }], structuredContent: output };
  } catch (thrown) {
    error = asToolError(thrown);
    result = {
      content: [{ type: 'text', text: `${tool.name} failed: ${error.message}` }],
      isError: true,
    };
  }
  options.onToolCall?.(auditRecord({ tool, args, options, activities, error, result, started, ended: now() }));
  return result;
}

function checkSession(tool: AnyToolDefinition, options: ToolSessionOptions, nowMs: number): void {
  if (options.isRevoked?.()) {
    throw new ToolError({ code: 'grant_revoked', message: 'this session\'s grant was revoked; stop and report to your operator', fault: 'permission' });
  }
  if (isExpired(options.grant, nowMs)) {
    throw new ToolError({ code: 'grant_expired', message: 'this session\'s grant has expired; stop and report to your operator', fault: 'permission' });
  }
  if (!canUseTool(options.grant, tool.name)) {
    throw new ToolError({ code: 'tool_not_granted', message: `tool ${tool.name} is not granted to this session`, fault: 'permission' });
  }
}

function asToolError(thrown: unknown): ToolError {
  if (isToolError(thrown)) return thrown;
  if (isZodError(thrown)) {
    return new ToolError({ code: 'invalid_arguments', message: `invalid arguments: ${thrown.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` });
  }
  if (thrown instanceof Error && thrown.name === 'AbortError') {
    return new ToolError({ code: 'cancelled', message: 'the call was cancelled', fault: 'request' });
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new ToolError({ code: 'internal_error', message: `internal error in baton (not your fault; you may retry once): ${message}`, fault: 'internal' });
}

function isZodError(value: unknown): value is { issues: { path: PropertyKey[]; message: string }[] } {
  return value instanceof Error && value.name === 'ZodError' && Array.isArray((value as { issues?: unknown }).issues);
}

function auditRecord(input: {
  tool: AnyToolDefinition;
  args: Record<string, unknown>;
  options: ToolSessionOptions;
  activities: ToolActivity[];
  error: ToolError | undefined;
  result: CallToolResult;
  started: number;
  ended: number;
}): ToolCallRecord {
  const { activities, error } = input;
  const firstText = input.result.content.find((c) => c.type === 'text');
  const text = firstText && firstText.type === 'text' ? firstText.text : '';
  return {
    type: 'tool.call',
    at: new Date(input.started).toISOString(),
    sessionId: input.options.sessionId ?? 'stdio',
    grantId: input.options.grant.id,
    tool: input.tool.name,
    args: summarizeArguments(input.args),
    filesRead: activities.flatMap((a) => (a.type === 'file.read' ? [a.path] : [])),
    filesWritten: activities.flatMap((a) => (a.type === 'file.written' || a.type === 'file.deleted' ? [a.path] : [])),
    deniedPaths: activities.flatMap((a) => (a.type === 'access.denied' ? [a.path] : [])),
    ok: error === undefined,
    summary: text.split('\n', 1)[0]!.slice(0, 200),
    ...(error ? { error: { code: error.code, message: error.message, fault: error.fault } } : {}),
    durationMs: input.ended - input.started,
  };
}

function sessionInstructions(grant: Grant): string {
  const write = grant.write.length === 0 ? 'read-only' : `may write ${grant.write.join(', ')}`;
  const tests = Object.keys(grant.tests);
  return [
    'baton scoped repository tools. Paths are relative to the repository root, with forward slashes.',
    `This session may read ${grant.read.join(', ')}; ${write}.`,
    tests.length > 0 ? `Test suites: ${tests.join(', ')}.` : 'No test suites are granted.',
  ].join(' ');
}
