// What an agent CLI offers its model, read from the model request itself, and whether baton
// allows it. Flags and config switch the CLIs' own tools off; this check is the proof on the
// wire: a request that offers any tool but baton's (and a few inert ones) is never sent.
import type { AgentCliName } from './agent-cli-id.ts';

/** The MCP server name baton's tools have in the CLIs' configuration. */
export const BATON_MCP_SERVER = 'baton';

export type ModelWire = 'anthropic' | 'responses';

/**
 * Codex tools that reach nothing outside baton: MCP resource listing (baton's server is the
 * only one configured and has none), questions to a user nobody answers in `exec`, and code
 * mode's `exec`/`wait`, a JavaScript isolate without file system or network that calls the
 * other offered tools (its nested apply_patch is refused by the read-only sandbox).
 */
const CODEX_INERT = ['list_mcp_resources', 'list_mcp_resource_templates', 'read_mcp_resource', 'request_user_input', 'request_user_input_async', 'send_message_to_user_async', 'exec', 'wait'];

/** Tool names as the model sees them; a namespaced tool is `namespace/name`, a hosted tool its type. */
export function offeredTools(wire: ModelWire, body: Record<string, unknown>): string[] {
  if (wire === 'anthropic') return list(body['tools']).map((t) => str(t['name']) ?? str(t['type']) ?? '(unnamed)');
  const tools = [...list(body['tools'])];
  for (const item of list(body['input'])) if (item['type'] === 'additional_tools') tools.push(...list(item['tools']));
  return tools.flatMap((t) => responsesToolNames(t));
}

function responsesToolNames(tool: Record<string, unknown>, namespace?: string): string[] {
  const name = str(tool['name']);
  if (tool['type'] === 'namespace' && name !== undefined) return list(tool['tools']).flatMap((t) => responsesToolNames(t, name));
  const own = tool['type'] === 'function' || tool['type'] === 'custom' ? name : (str(tool['type']) ?? name);
  return [namespace !== undefined ? `${namespace}/${own ?? '(unnamed)'}` : (own ?? '(unnamed)')];
}

/** The names under which a CLI offers baton's granted tools, plus (Codex) the inert ones. */
export function allowedToolNames(cli: AgentCliName, granted: readonly string[]): Set<string> {
  if (cli === 'claude-code') return new Set(granted.map((t) => `mcp__${BATON_MCP_SERVER}__${t}`));
  return new Set([...granted.map((t) => `mcp__${BATON_MCP_SERVER}/${t}`), ...CODEX_INERT, ...CODEX_INERT.map((t) => `functions/${t}`)]);
}

/** Offered tools baton did not allow (empty when the request is as configured). */
export function disallowedTools(offered: readonly string[], allowed: ReadonlySet<string>): string[] {
  return [...new Set(offered.filter((name) => !allowed.has(name)))];
}

/** Whether a tool call the model made goes to one of baton's tools. */
export function isBatonToolCall(cli: AgentCliName, name: string): boolean {
  return cli === 'claude-code' ? name.startsWith(`mcp__${BATON_MCP_SERVER}__`) : name.startsWith(`mcp__${BATON_MCP_SERVER}/`);
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
