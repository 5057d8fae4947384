import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answeredCallIds, scriptedConversation } from './scripted-conversation.ts';
import { startFakeProvider, type FakeProvider } from './fake-provider.ts';

let fake: FakeProvider;
beforeEach(async () => {
  fake = await startFakeProvider();
});
afterEach(() => fake.close());

async function sse(path: string, body: unknown): Promise<{ event?: string; data: Record<string, unknown> }[]> {
  const response = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Record<string, unknown>;
      return event !== undefined ? { event, data } : { data };
    });
}

describe('fake provider: Responses tool calls as Codex reads them', () => {
  it('sends a namespaced function call and a custom tool call with its input', async () => {
    fake.push({ turn: { toolCalls: [{ id: 'c1', namespace: 'mcp__baton', name: 'read_file', arguments: { path: 'a.txt' } }, { id: 'c2', name: 'exec', input: 'text("hi")' }] } });
    const events = await sse('/v1/responses', { input: [] });
    const done = events.filter((e) => e.event === 'response.output_item.done').map((e) => e.data['item']);
    expect(done).toEqual([
      { type: 'function_call', id: 'fc_c1', call_id: 'c1', name: 'read_file', namespace: 'mcp__baton', arguments: '{"path":"a.txt"}', status: 'completed' },
      { type: 'custom_tool_call', id: 'ctc_c2', call_id: 'c2', name: 'exec', input: 'text("hi")', status: 'completed' },
    ]);
    const completed = events.find((e) => e.event === 'response.completed')!.data['response'] as { output: unknown[] };
    expect(completed.output).toEqual(done);
  });
});

describe('fake provider: a scripted conversation that follows the request', () => {
  it('answers the first turn whose tool calls the request has not answered, from the responder once the queue is empty', async () => {
    fake.push({ turn: { text: 'queued' } });
    fake.answer(scriptedConversation([{ text: 'first', toolCalls: [{ id: 'r1', name: 'read_file' }, { id: 'r2', name: 'read_file' }] }, { text: 'second' }]));
    const text = async (messages: unknown[]) => {
      const events = await sse('/v1/messages', { messages });
      return events.filter((e) => e.event === 'content_block_delta' && (e.data['delta'] as { type: string }).type === 'text_delta').map((e) => (e.data['delta'] as { text: string }).text).join('');
    };
    const go = { role: 'user', content: 'go' };
    const result = (id: string) => ({ type: 'tool_result', tool_use_id: id, content: 'x' });
    expect(await text([go])).toBe('queued');
    expect(await text([go])).toBe('first');
    // A retried request gets the same turn again; so does one with only some results.
    expect(await text([go])).toBe('first');
    expect(await text([go, { role: 'assistant', content: [] }, { role: 'user', content: [result('r1')] }])).toBe('first');
    // Turns folded into one message still count by their answered calls.
    expect(await text([{ role: 'user', content: [{ type: 'text', text: 'go' }, result('r2'), result('r1')] }])).toBe('second');
    fake.answer(undefined);
    expect((await fetch(`${fake.url}/v1/messages`, { method: 'POST', body: '{}' })).status).toBe(500);
  });

  it('reads answered calls from Responses and Chat Completions requests too', () => {
    expect(answeredCallIds({ body: { input: [{ type: 'function_call', call_id: 'a' }, { type: 'function_call_output', call_id: 'a' }, { type: 'custom_tool_call_output', call_id: 'b' }] } })).toEqual(new Set(['a', 'b']));
    expect(answeredCallIds({ body: { messages: [{ role: 'tool', tool_call_id: 'c', content: 'x' }] } })).toEqual(new Set(['c']));
    expect(answeredCallIds({ body: {} })).toEqual(new Set());
  });
});
