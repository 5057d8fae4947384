import { describe, expect, it } from 'vitest';
import { adapterContract } from './adapter-contract.ts';
import { anthropicClient } from './anthropic-client.ts';
import { openAIChatClient } from './openai-chat-client.ts';
import { openAIResponsesClient } from './openai-responses-client.ts';

adapterContract({ name: 'Anthropic Messages', create: (fake, o) => anthropicClient({ model: 'claude-test', apiKey: 'test-key', baseURL: fake.url, ...o }) });
adapterContract({ name: 'OpenAI Responses', create: (fake, o) => openAIResponsesClient({ model: 'gpt-test', apiKey: 'test-key', baseURL: `${fake.url}/v1`, ...o }) });
adapterContract({ name: 'Chat Completions (OpenAI-compatible)', create: (fake, o) => openAIChatClient({ model: 'qwen-test', apiKey: 'none', baseURL: `${fake.url}/v1`, ...o }) });

describe('Anthropic thinking blocks', () => {
  it('keeps a thinking block (with its signature) and sends it back first on the next turn', async () => {
    const { startFakeProvider } = await import('../testing/fake-provider.ts');
    const fake = await startFakeProvider();
    try {
      const client = anthropicClient({ model: 'claude-test', apiKey: 'k', baseURL: fake.url });
      const tools = [{ name: 'read_file', description: 'read', inputSchema: { type: 'object' } }];
      fake.push({ turn: { thinking: 'The bug is probably in the loop bounds.', text: 'Reading.', toolCalls: [{ id: 't1', name: 'read_file', arguments: { path: 'a.ts' } }] } });
      const first = await client.complete({ system: 's', messages: [{ role: 'user', content: 'fix it' }], tools, maxOutputTokens: 100 });
      expect(first.providerState).toEqual([{ type: 'thinking', thinking: 'The bug is probably in the loop bounds.', signature: 'sig-fake-123' }]);
      fake.push({ turn: { text: 'Done.' } });
      await client.complete({ system: 's', messages: [{ role: 'user', content: 'fix it' }, { role: 'assistant', text: first.text, toolCalls: first.toolCalls, providerState: first.providerState }, { role: 'tool', results: [{ callId: 't1', content: 'x', isError: false }] }], tools, maxOutputTokens: 100 });
      const sent = fake.requests.at(-1)!.body['messages'] as { role: string; content: { type: string; signature?: string }[] }[];
      expect(sent[1]!.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
      expect(sent[1]!.content[0]!.signature).toBe('sig-fake-123');
      // Prompt-caching markers on the system prompt and the last tool.
      const body = fake.requests.at(-1)!.body as { system: { cache_control?: unknown }[]; tools: { cache_control?: unknown }[] };
      expect(body.system[0]!.cache_control).toEqual({ type: 'ephemeral' });
      expect(body.tools.at(-1)!.cache_control).toEqual({ type: 'ephemeral' });
    } finally {
      await fake.close();
    }
  });
});

describe('OpenAI Responses reasoning items', () => {
  it('keeps reasoning items as provider state and sends them back before the function call they led to', async () => {
    const { startFakeProvider } = await import('../testing/fake-provider.ts');
    const fake = await startFakeProvider();
    try {
      const client = openAIResponsesClient({ model: 'gpt-test', apiKey: 'k', baseURL: `${fake.url}/v1` });
      const tools = [{ name: 'read_file', description: 'read', inputSchema: { type: 'object' } }];
      fake.push({ turn: { thinking: 'Look at the loop first.', toolCalls: [{ id: 'f1', name: 'read_file', arguments: { path: 'a.ts' } }] } });
      const first = await client.complete({ system: 's', messages: [{ role: 'user', content: 'fix it' }], tools, maxOutputTokens: 100 });
      expect(first.providerState).toEqual([{ type: 'reasoning', id: 'rs_fake', summary: [{ type: 'summary_text', text: 'Look at the loop first.' }], encrypted_content: 'enc-fake-123' }]);
      fake.push({ turn: { text: 'Done.' } });
      await client.complete({ system: 's', messages: [{ role: 'user', content: 'fix it' }, { role: 'assistant', text: first.text, toolCalls: first.toolCalls, providerState: first.providerState }, { role: 'tool', results: [{ callId: 'f1', content: 'x', isError: false }] }], tools, maxOutputTokens: 100 });
      const input = fake.requests.at(-1)!.body['input'] as { type?: string; role?: string }[];
      expect(input.map((i) => i.type ?? i.role)).toEqual(['user', 'reasoning', 'function_call', 'function_call_output']);
    } finally {
      await fake.close();
    }
  });
});

describe('Chat Completions from other OpenAI-compatible servers', () => {
  it('accepts tool calls sent whole, without an index or id, with arguments as an object', async () => {
    const { startFakeProvider } = await import('../testing/fake-provider.ts');
    const fake = await startFakeProvider();
    try {
      const chunk = (delta: unknown, finish: string | null = null) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      const body = [
        chunk({ role: 'assistant', content: '' }),
        chunk({ tool_calls: [{ function: { name: 'read_file', arguments: { path: 'a.ts' } } }] }),
        chunk({ tool_calls: [{ function: { name: 'read_file', arguments: '{"path": "b.ts"}' } }] }),
        chunk({}, 'stop'),
        'data: [DONE]\n\n',
      ].join('');
      fake.push({ raw: { body } });
      const client = openAIChatClient({ model: 'llama', apiKey: 'none', baseURL: `${fake.url}/v1` });
      const turn = await client.complete({ system: 's', messages: [{ role: 'user', content: 'go' }], tools: [], maxOutputTokens: 50 });
      expect(turn.stopReason).toBe('tool_use');
      expect(turn.toolCalls.map((c) => [c.name, c.arguments])).toEqual([['read_file', { path: 'a.ts' }], ['read_file', { path: 'b.ts' }]]);
      expect(new Set(turn.toolCalls.map((c) => c.id)).size).toBe(2);
      expect(turn.toolCalls.every((c) => c.id.length > 0)).toBe(true);
    } finally {
      await fake.close();
    }
  });
});
