import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assistantTurns } from './conversation-turn.ts';
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

describe('fake provider: answering by the request', () => {
  it('answers from the responder once the queue is empty, by the assistant turns in the request', async () => {
    const script = ['first', 'second'];
    fake.push({ turn: { text: 'queued' } });
    fake.answer((request) => ({ turn: { text: script[assistantTurns(request)] ?? 'past the script' } }));
    const text = async (messages: unknown[]) => {
      const events = await sse('/v1/messages', { messages });
      return events.filter((e) => e.event === 'content_block_delta').map((e) => (e.data['delta'] as { text: string }).text).join('');
    };
    expect(await text([{ role: 'user', content: 'go' }])).toBe('queued');
    expect(await text([{ role: 'user', content: 'go' }])).toBe('first');
    // A retried request gets the same turn again.
    expect(await text([{ role: 'user', content: 'go' }])).toBe('first');
    expect(await text([{ role: 'user', content: 'go' }, { role: 'assistant', content: 'first' }, { role: 'user', content: 'ok' }])).toBe('second');
    fake.answer(undefined);
    const response = await fetch(`${fake.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(500);
  });

  it('counts a Responses turn once however many output items it left in the input', () => {
    const input = [
      { role: 'user', content: 'go' },
      { type: 'reasoning' }, { type: 'message', role: 'assistant' }, { type: 'function_call' }, { type: 'function_call' },
      { type: 'function_call_output' }, { type: 'function_call_output' },
      { type: 'custom_tool_call' }, { type: 'custom_tool_call_output' },
      { type: 'message', role: 'assistant' },
    ];
    expect(assistantTurns({ body: { input } })).toBe(3);
    expect(assistantTurns({ body: { input: [{ role: 'user' }] } })).toBe(0);
    expect(assistantTurns({ body: {} })).toBe(0);
  });
});
