import { describe, expect, it } from 'vitest';
import { toAnthropicMessages } from './anthropic-messages.ts';

describe('toAnthropicMessages', () => {
  it('puts tool results and the next user text in one user turn, results first, with a cache breakpoint at the end', () => {
    const out = toAnthropicMessages([
      { role: 'user', content: 'fix it' },
      { role: 'assistant', text: 'Reading.', toolCalls: [{ id: 'c1', name: 'read_file', arguments: { path: 'a.ts' } }] },
      { role: 'tool', results: [{ callId: 'c1', content: 'x', isError: false }] },
      { role: 'user', content: 'Budget note: 3 turns left.' },
    ]);
    expect(out.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(out[2]!.content).toEqual([
      { type: 'tool_result', tool_use_id: 'c1', content: 'x', is_error: false },
      { type: 'text', text: 'Budget note: 3 turns left.', cache_control: { type: 'ephemeral' } },
    ]);
    expect(out[0]!.content[0]).not.toHaveProperty('cache_control');
  });

  it('sends thinking blocks back first and untouched, and drops other provider state', () => {
    const thinking = { type: 'thinking', thinking: 'hmm', signature: 'sig' };
    const out = toAnthropicMessages([
      { role: 'user', content: 'q' },
      { role: 'assistant', text: 'a', toolCalls: [], providerState: [thinking, { type: 'reasoning', id: 'rs_1' }, 'junk'] },
    ]);
    expect(out[1]!.content).toEqual([thinking, { type: 'text', text: 'a' }]);
  });

  it('sends a call with unparsable arguments back with empty input, and drops empty assistant turns', () => {
    const out = toAnthropicMessages([
      { role: 'user', content: 'q' },
      { role: 'assistant', text: '', toolCalls: [] },
      { role: 'user', content: 'again' },
      { role: 'assistant', text: '', toolCalls: [{ id: 'b', name: 'read_file', arguments: { parseError: 'x', raw: '{' }, invalidArguments: 'x' }] },
    ]);
    expect(out.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(out[0]!.content.map((b) => b['text'])).toEqual(['q', 'again']);
    expect(out[1]!.content).toEqual([{ type: 'tool_use', id: 'b', name: 'read_file', input: {} }]);
  });
});
