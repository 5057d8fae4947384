// Our conversation as Anthropic Messages: tool results become tool_result blocks in a user
// turn, thinking blocks go back first and untouched in their assistant turn (the API checks
// their signatures), turns of the same role are merged (the API wants them alternating), empty
// assistant turns are dropped (the API rejects empty content), and the last user turn carries
// a cache breakpoint so each call reuses the conversation cached by the one before.
import type { ChatMessage } from './model-client.ts';

type Block = Record<string, unknown> & { type: string };
export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

const EPHEMERAL = { type: 'ephemeral' } as const;

export function toAnthropicMessages(messages: readonly ChatMessage[]): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  for (const m of messages) {
    const next = toMessage(m);
    if (next.content.length === 0) continue;
    const last = out.at(-1);
    if (last?.role === next.role) last.content.push(...next.content);
    else out.push(next);
  }
  const lastUser = out.findLast((m) => m.role === 'user');
  const lastBlock = lastUser?.content.at(-1);
  if (lastUser && lastBlock) lastUser.content[lastUser.content.length - 1] = { ...lastBlock, cache_control: EPHEMERAL };
  return out;
}

function toMessage(m: ChatMessage): AnthropicMessage {
  if (m.role === 'user') return { role: 'user', content: m.content === '' ? [] : [{ type: 'text', text: m.content }] };
  if (m.role === 'tool') return { role: 'user', content: m.results.map((r) => ({ type: 'tool_result', tool_use_id: r.callId, content: r.content, is_error: r.isError })) };
  const content: Block[] = thinkingBlocks(m.providerState);
  if (m.text) content.push({ type: 'text', text: m.text });
  // A call whose arguments did not parse goes back with empty input; its tool_result explains.
  for (const call of m.toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.invalidArguments === undefined && isObject(call.arguments) ? call.arguments : {} });
  return { role: 'assistant', content };
}

function thinkingBlocks(state: unknown): Block[] {
  if (!Array.isArray(state)) return [];
  return state.filter((b): b is Block => isObject(b) && (b['type'] === 'thinking' || b['type'] === 'redacted_thinking')).map((b) => ({ ...b }));
}

function isObject(value: unknown): value is Record<string, unknown> & { type: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
