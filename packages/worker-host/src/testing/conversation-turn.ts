// How far a conversation has got, read from the request an agent sends: the number of
// assistant turns it already holds. A fake provider answers turn N of a script from it, so a
// repeated or retried request gets the same answer and the script never drifts.
import type { RecordedRequest } from './fake-provider.ts';

const RESPONSES_OUTPUT_ITEMS = new Set(['function_call', 'custom_tool_call', 'reasoning']);

/** Assistant turns in a Messages, Responses or Chat Completions request body. */
export function assistantTurns(request: Pick<RecordedRequest, 'body'>): number {
  const { body } = request;
  if (Array.isArray(body['messages'])) {
    return body['messages'].filter((m) => isRecord(m) && m['role'] === 'assistant').length;
  }
  if (!Array.isArray(body['input'])) return 0;
  // Responses input lists a turn's output items one by one: consecutive ones are one turn.
  let turns = 0;
  let inTurn = false;
  for (const item of body['input']) {
    const output = isRecord(item) && (RESPONSES_OUTPUT_ITEMS.has(String(item['type'])) || item['role'] === 'assistant');
    if (output && !inTurn) turns++;
    inTurn = output;
  }
  return turns;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
