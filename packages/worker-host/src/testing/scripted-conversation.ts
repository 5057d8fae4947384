// A scripted conversation for the fake provider that follows the request rather than the order
// of arrival: it answers the first turn whose tool calls the request has not yet answered. So a
// client that merges or reorders its history (Claude Code folds consecutive turns together),
// retries a request or makes an extra one still gets the right turn.
import type { FakeStep, FakeTurn, RecordedRequest } from './fake-provider.ts';

/** A responder for `fake.answer(...)`; past the script's end it answers undefined (the fake's error). */
export function scriptedConversation(turns: readonly FakeTurn[]): (request: RecordedRequest) => FakeStep | undefined {
  const script = turns.map((turn, t) => ({ ...turn, toolCalls: (turn.toolCalls ?? []).map((call, i) => ({ ...call, id: call.id ?? `turn${t + 1}_call${i + 1}` })) }));
  return (request) => {
    const answered = answeredCallIds(request);
    const next = script.find((turn) => turn.toolCalls.length === 0 || turn.toolCalls.some((call) => !answered.has(call.id)));
    return next ? { turn: next } : undefined;
  };
}

/** Ids of the tool calls whose results a Messages, Responses or Chat Completions request carries. */
export function answeredCallIds(request: Pick<RecordedRequest, 'body'>): Set<string> {
  const ids = new Set<string>();
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    const item = value as Record<string, unknown>;
    if (item['type'] === 'tool_result' && typeof item['tool_use_id'] === 'string') ids.add(item['tool_use_id']);
    if ((item['type'] === 'function_call_output' || item['type'] === 'custom_tool_call_output') && typeof item['call_id'] === 'string') ids.add(item['call_id']);
    if (item['role'] === 'tool' && typeof item['tool_call_id'] === 'string') ids.add(item['tool_call_id']);
    if (Array.isArray(item['content'])) visit(item['content']);
  };
  visit(request.body['messages']);
  visit(request.body['input']);
  return ids;
}
