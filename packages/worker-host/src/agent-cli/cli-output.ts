// What baton reads from an agent CLI's own JSON output: whether baton's tool host connected,
// what the agent said, and how it ended (its summary, or why it stopped). Model usage and tool
// calls come from baton's meter and tool host instead, which the CLI cannot misreport.
import { z } from 'zod';
import { BATON_MCP_SERVER } from './offered-tools.ts';
import type { AgentCliName } from './agent-cli-id.ts';

export type CliActivity =
  /** The CLI is up; `toolsConnected` false means baton's MCP server did not connect. */
  | { kind: 'ready'; toolsConnected: boolean; detail: string }
  | { kind: 'message'; text: string }
  /** Something the CLI reported along the way that is not fatal by itself. */
  | { kind: 'notice'; detail: string }
  | { kind: 'final'; ok: true; summary: string }
  | { kind: 'final'; ok: false; reason: 'max_turns' | 'max_budget' | 'error'; detail: string };

export type CliOutputReader = (line: string) => CliActivity[];

export function cliOutputReader(cli: AgentCliName): CliOutputReader {
  return cli === 'claude-code' ? claudeCodeOutput() : codexOutput();
}

const ClaudeLine = z.looseObject({ type: z.string(), subtype: z.string().optional() });
const ClaudeInit = z.looseObject({ mcp_servers: z.array(z.looseObject({ name: z.string(), status: z.string() })).default([]) });
const ClaudeAssistant = z.looseObject({ message: z.looseObject({ content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).default([]) }) });
const ClaudeResult = z.looseObject({ subtype: z.string(), is_error: z.boolean().default(false), result: z.string().optional(), errors: z.array(z.unknown()).optional() });

function claudeCodeOutput(): CliOutputReader {
  return (line) => {
    const value = parseLine(line);
    const head = ClaudeLine.safeParse(value);
    if (!head.success) return [];
    if (head.data.type === 'system' && head.data.subtype === 'init') {
      const init = ClaudeInit.safeParse(value);
      const baton = init.success ? init.data.mcp_servers.find((s) => s.name === BATON_MCP_SERVER) : undefined;
      return [{ kind: 'ready', toolsConnected: baton?.status === 'connected', detail: baton ? `baton's tool host: ${baton.status}` : "baton's tool host is missing from Claude Code's MCP servers" }];
    }
    if (head.data.type === 'assistant') {
      const message = ClaudeAssistant.safeParse(value);
      const text = message.success ? message.data.message.content.filter((b) => b.type === 'text').map((b) => b.text ?? '').join('') : '';
      return text.trim() ? [{ kind: 'message', text }] : [];
    }
    if (head.data.type === 'result') {
      const result = ClaudeResult.safeParse(value);
      if (!result.success) return [{ kind: 'final', ok: false, reason: 'error', detail: 'Claude Code ended with a result baton could not read' }];
      const { subtype, is_error, result: text, errors } = result.data;
      if (subtype === 'success' && !is_error) return [{ kind: 'final', ok: true, summary: text ?? '' }];
      const detail = text ?? (errors ? errors.map(String).join('; ') : subtype);
      if (subtype === 'error_max_turns') return [{ kind: 'final', ok: false, reason: 'max_turns', detail }];
      if (subtype === 'error_max_budget_usd') return [{ kind: 'final', ok: false, reason: 'max_budget', detail }];
      return [{ kind: 'final', ok: false, reason: 'error', detail: `Claude Code ended with ${subtype}: ${detail}` }];
    }
    return [];
  };
}

const CodexLine = z.looseObject({ type: z.string() });
const CodexItem = z.looseObject({ item: z.looseObject({ type: z.string(), text: z.string().optional(), message: z.string().optional() }) });
const CodexFailure = z.looseObject({ error: z.looseObject({ message: z.string() }).optional(), message: z.string().optional() });

function codexOutput(): CliOutputReader {
  let lastMessage = '';
  return (line) => {
    const value = parseLine(line);
    const head = CodexLine.safeParse(value);
    if (!head.success) return [];
    switch (head.data.type) {
      case 'thread.started':
        // Codex reports an MCP server that failed to start as an error item, read below.
        return [{ kind: 'ready', toolsConnected: true, detail: 'Codex started' }];
      case 'item.completed': {
        const parsed = CodexItem.safeParse(value);
        if (!parsed.success) return [];
        const { item } = parsed.data;
        if (item.type === 'agent_message' && item.text) {
          lastMessage = item.text;
          return [{ kind: 'message', text: item.text }];
        }
        if (item.type === 'error' && item.message) {
          const mcpDown = item.message.includes(`MCP client for \`${BATON_MCP_SERVER}\``) || item.message.includes(`MCP server \`${BATON_MCP_SERVER}\``);
          return mcpDown ? [{ kind: 'ready', toolsConnected: false, detail: item.message }] : [{ kind: 'notice', detail: item.message }];
        }
        return [];
      }
      case 'turn.completed':
        return [{ kind: 'final', ok: true, summary: lastMessage }];
      case 'turn.failed':
      case 'error': {
        const failure = CodexFailure.safeParse(value);
        const detail = failure.success ? (failure.data.error?.message ?? failure.data.message ?? head.data.type) : head.data.type;
        return head.data.type === 'turn.failed' ? [{ kind: 'final', ok: false, reason: 'error', detail: `Codex failed: ${detail}` }] : [{ kind: 'notice', detail }];
      }
      default:
        return [];
    }
  };
}

/**
 * Why the CLI could not use baton's tools, from what it wrote to stderr before any JSON: Codex
 * ends at once, logging an error, when a required MCP server fails to start (a refused token, a
 * host that is gone). Rust type names in the message are dropped; they say nothing to a person.
 */
export function toolsFailureOnStderr(cli: AgentCliName, stderr: string): string | undefined {
  if (cli !== 'codex') return undefined;
  const marker = 'required MCP servers failed to initialize: ';
  const line = stderr.split('\n').find((l) => l.includes(marker) && l.includes(`${BATON_MCP_SERVER}:`));
  if (line === undefined) return undefined;
  const detail = line.slice(line.indexOf(marker) + marker.length).replace(/ Transport \[[^\]]*\]/g, ' Transport').trim();
  return detail.length > 400 ? `${detail.slice(0, 400)}…` : detail;
}

function parseLine(line: string): unknown {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}
