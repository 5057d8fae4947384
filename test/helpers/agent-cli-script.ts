// Scripted turns (the format of examples/scripts) as an agent CLI's model would send them:
// baton's tools under the names each CLI gives MCP tools (Claude Code: mcp__baton__<tool>;
// Codex: <tool> in namespace mcp__baton), any other name left as the CLI's own tool.
import type { AgentCliName } from '@baton/worker-host';
import type { FakeToolCall, FakeTurn } from '@baton/worker-host/testing';

export const BATON_TOOLS = ['read_file', 'list_files', 'search', 'apply_diff', 'run_tests'];

export interface ScriptTurn {
  text?: string;
  tool_calls?: { name: string; arguments?: unknown; input?: string }[];
}

export function cliTurns(cli: AgentCliName, turns: readonly ScriptTurn[], usage = { input: 1000, output: 100 }): FakeTurn[] {
  return turns.map((turn) => ({ text: turn.text ?? '', usage, toolCalls: (turn.tool_calls ?? []).map((call) => cliToolCall(cli, call)) }));
}

function cliToolCall(cli: AgentCliName, call: { name: string; arguments?: unknown; input?: string }): FakeToolCall {
  const own = !BATON_TOOLS.includes(call.name);
  if (call.input !== undefined) return { name: call.name, input: call.input };
  if (own) return { name: call.name, arguments: call.arguments ?? {} };
  return cli === 'claude-code' ? { name: `mcp__baton__${call.name}`, arguments: call.arguments ?? {} } : { name: call.name, namespace: 'mcp__baton', arguments: call.arguments ?? {} };
}
