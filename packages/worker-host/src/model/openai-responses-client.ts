// OpenAI's Responses API through the `openai` SDK, streamed: text deltas as they come, the
// function calls and usage from the completed response.
import OpenAI from 'openai';
import { toModelError } from './model-error.ts';
import { parseCall } from './openai-chat-client.ts';
import type { ChatMessage, ModelClient, ModelRequest, ModelTurn, ToolCall } from './model-client.ts';

export function openAIResponsesClient(options: { model: string; apiKey: string; baseURL?: string; timeoutMs?: number }): ModelClient {
  const sdk = new OpenAI({ apiKey: options.apiKey, maxRetries: 0, timeout: options.timeoutMs ?? 600_000, ...(options.baseURL ? { baseURL: options.baseURL } : {}) });
  return {
    provider: 'openai',
    model: options.model,
    scripted: false,
    async complete(request: ModelRequest): Promise<ModelTurn> {
      const body = {
        model: options.model,
        instructions: request.system,
        input: toInput(request.messages),
        max_output_tokens: request.maxOutputTokens,
        ...(request.tools.length > 0 ? { tools: request.tools.map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.inputSchema, strict: false })) } : {}),
        stream: true,
      };
      try {
        const stream = (await sdk.responses.create(body as never, { signal: request.signal })) as unknown as AsyncIterable<Record<string, unknown>>;
        return await collect(stream, request);
      } catch (error) {
        throw toModelError(error, 'openai');
      }
    },
  };
}

function toInput(messages: readonly ChatMessage[]): unknown[] {
  return messages.flatMap((m): unknown[] => {
    if (m.role === 'user') return [{ role: 'user', content: m.content }];
    if (m.role === 'tool') return m.results.map((r) => ({ type: 'function_call_output', call_id: r.callId, output: r.isError ? `ERROR: ${r.content}` : r.content }));
    const items: unknown[] = [];
    if (m.text) items.push({ role: 'assistant', content: m.text });
    for (const c of m.toolCalls) items.push({ type: 'function_call', call_id: c.id, name: c.name, arguments: c.invalidArguments === undefined ? JSON.stringify(c.arguments ?? {}) : '{}' });
    return items;
  });
}

async function collect(stream: AsyncIterable<Record<string, unknown>>, request: ModelRequest): Promise<ModelTurn> {
  let completed: Record<string, unknown> | undefined;
  for await (const event of stream) {
    if (event['type'] === 'response.output_text.delta') request.onTextDelta?.(event['delta'] as string);
    else if (event['type'] === 'response.completed' || event['type'] === 'response.incomplete') completed = event['response'] as Record<string, unknown>;
    else if (event['type'] === 'response.failed' || event['type'] === 'error') throw Object.assign(new Error(`openai response failed: ${JSON.stringify(event['response'] ?? event).slice(0, 300)}`), { status: 500 });
  }
  if (!completed) throw Object.assign(new Error('the stream ended without a completed response'), { status: 502 });
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const item of (completed['output'] as Record<string, unknown>[]) ?? []) {
    if (item['type'] === 'message') {
      for (const part of (item['content'] as Record<string, string>[]) ?? []) if (part['type'] === 'output_text') text += part['text'];
    } else if (item['type'] === 'function_call') toolCalls.push(parseCall(item['call_id'] as string, item['name'] as string, item['arguments'] as string));
  }
  const u = (completed['usage'] ?? {}) as Record<string, unknown>;
  const cached = ((u['input_tokens_details'] as Record<string, number> | undefined)?.['cached_tokens']) ?? 0;
  const usage = { inputTokens: (u['input_tokens'] as number) ?? 0, outputTokens: (u['output_tokens'] as number) ?? 0, cacheReadTokens: cached, cacheWriteTokens: 0 };
  const incomplete = completed['status'] === 'incomplete';
  return { text, toolCalls, stopReason: toolCalls.length > 0 ? 'tool_use' : incomplete ? 'max_tokens' : 'end_turn', usage };
}
