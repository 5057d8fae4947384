// Context discipline: tool outputs are clipped with a note, and when the conversation nears
// its budget the oldest tool exchanges are replaced by a one-line note. The brief (first user
// message) and the latest turns always stay.
import type { ChatMessage, ToolResult } from '../model/model-client.ts';

export const MAX_TOOL_RESULT_CHARS = 24_000;

export function clipToolOutput(text: string, max = MAX_TOOL_RESULT_CHARS): string {
  if (text.length <= max) return text;
  const head = text.slice(0, Math.floor(max * 0.75));
  const tail = text.slice(text.length - Math.floor(max * 0.2));
  return `${head}\n… [${text.length - head.length - tail.length} characters cut; narrow the request (line range, glob, max_results) to see them]\n${tail}`;
}

/** Rough size in tokens (four characters each): enough to decide when to trim. */
export function approxTokens(messages: readonly ChatMessage[]): number {
  return Math.ceil(JSON.stringify(messages).length / 4);
}

/**
 * Keeps the conversation under `maxTokens`: drops the oldest assistant/tool pairs after the
 * brief, leaving a note of how many were removed. Returns how many messages were removed.
 */
export function trimConversation(messages: ChatMessage[], maxTokens: number, keepLast = 6): number {
  let removed = 0;
  while (approxTokens(messages) > maxTokens && messages.length > keepLast + 2) {
    // messages[0] is the brief; [1] may be an earlier note; remove the pair after them.
    const start = messages[1]?.role === 'user' ? 2 : 1;
    const dropped = messages.splice(start, 2);
    removed += dropped.length;
  }
  if (removed > 0) {
    const note: ChatMessage = { role: 'user', content: `[${removed} earlier messages were removed to stay within the context budget. The brief above still holds; re-read files if you need them.]` };
    if (messages[1]?.role === 'user') messages[1] = note;
    else messages.splice(1, 0, note);
  }
  return removed;
}

export function toolResultText(result: ToolResult): string {
  return result.isError ? `ERROR: ${result.content}` : result.content;
}
