// Chat Completions through the `openai` SDK, streamed: for OpenAI-compatible servers (Ollama,
// vLLM, llama.cpp) at OPENAI_BASE_URL. Tool calls arrive as deltas and are assembled here.
import { randomUUID } from 'node:crypto';
import { openAISdk } from './openai-sdk.ts';
import { watchStream, type StreamWatch } from './stream-watch.ts';
import { parseCall } from './parse-tool-arguments.ts';
import type { ChatMessage, ModelClient, ModelRequest, ModelTurn, StopReason, ToolCall } from './model-client.ts';

export interface OpenAIChatClientOptions {
  model: string;
  apiKey: string;
  baseURL?: string | undefined;
  /** The provider name shown to users (default openai-compatible). */
  provider?: string | undefined;
  organization?: string | undefined;
  project?: string | undefined;
  /** Until the response headers arrive (the SDK's timeout). */
  timeoutMs?: number | undefined;
  /** Longest silence allowed between stream events before the call is abandoned as timed out. */
  idleTimeoutMs?: number | undefined;
}

export function openAIChatClient(options: OpenAIChatClientOptions): ModelClient {
  const sdk = openAISdk(options);
  const provider = options.provider ?? 'openai-compatible';
  return {
    provider,
    model: options.model,
    scripted: false,
    async complete(request: ModelRequest): Promise<ModelTurn> {
      const body = {
        model: options.model,
        max_tokens: request.maxOutputTokens,
        messages: [{ role: 'system', content: request.system }, ...toChatMessages(request.messages)],
        ...(request.tools.length > 0 ? { tools: request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.inputSchema } })) } : {}),
        stream: true,
        stream_options: { include_usage: true },
      };
      const watch = watchStream({ provider, signal: request.signal, idleTimeoutMs: options.idleTimeoutMs });
      try {
        const stream = (await sdk.chat.completions.create(body as never, { signal: watch.signal })) as unknown as AsyncIterable<Record<string, unknown>>;
        return await collect(stream, request, watch);
      } catch (error) {
        throw watch.explain(error);
      } finally {
        watch.dispose();
      }
    },
  };
}

function toChatMessages(messages: readonly ChatMessage[]): unknown[] {
  return messages.flatMap((m): unknown[] => {
    if (m.role === 'user') return [{ role: 'user', content: m.content }];
    if (m.role === 'tool') return m.results.map((r) => ({ role: 'tool', tool_call_id: r.callId, content: r.isError ? `ERROR: ${r.content}` : r.content }));
    return [{ role: 'assistant', content: m.text || null, ...(m.toolCalls.length > 0 ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.invalidArguments === undefined ? JSON.stringify(c.arguments ?? {}) : '{}' } })) } : {}) }];
  });
}

async function collect(stream: AsyncIterable<Record<string, unknown>>, request: ModelRequest, watch: StreamWatch): Promise<ModelTurn> {
  let text = '';
  let finish: string | undefined;
  const calls = new Map<number, { id: string; name: string; args: string }>();
  const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  for await (const chunk of stream) {
    watch.touch();
    const u = chunk['usage'] as Record<string, unknown> | null | undefined;
    if (u) {
      usage.inputTokens = (u['prompt_tokens'] as number) ?? 0;
      usage.outputTokens = (u['completion_tokens'] as number) ?? 0;
      usage.cacheReadTokens = ((u['prompt_tokens_details'] as Record<string, number> | undefined)?.['cached_tokens']) ?? 0;
    }
    for (const choice of (chunk['choices'] as Record<string, unknown>[] | undefined) ?? []) {
      const delta = (choice['delta'] ?? {}) as Record<string, unknown>;
      if (typeof delta['content'] === 'string' && delta['content'] !== '') {
        text += delta['content'];
        request.onTextDelta?.(delta['content']);
      }
      for (const call of (delta['tool_calls'] as Record<string, unknown>[] | undefined) ?? []) {
        // Servers differ: some omit the index (one whole call per delta), some repeat the name.
        const index = typeof call['index'] === 'number' ? call['index'] : calls.size;
        const fn = (call['function'] ?? {}) as Record<string, unknown>;
        const entry = calls.get(index) ?? { id: '', name: '', args: '' };
        if (typeof call['id'] === 'string' && call['id'] !== '') entry.id = call['id'];
        if (typeof fn['name'] === 'string' && fn['name'] !== entry.name) entry.name += fn['name'];
        if (typeof fn['arguments'] === 'string') entry.args += fn['arguments'];
        else if (typeof fn['arguments'] === 'object' && fn['arguments'] !== null) entry.args += JSON.stringify(fn['arguments']);
        calls.set(index, entry);
      }
      if (choice['finish_reason']) finish = choice['finish_reason'] as string;
    }
  }
  watch.ended(finish !== undefined);
  // A call without an id (some local servers) gets one, so its result can be matched to it.
  const toolCalls: ToolCall[] = [...calls.entries()].sort(([a], [b]) => a - b).map(([index, c]) => parseCall(c.id || `call_${randomUUID().slice(0, 8)}_${index}`, c.name, c.args));
  return { text, toolCalls, stopReason: mapFinish(finish, toolCalls.length), usage };
}

function mapFinish(finish: string | undefined, calls: number): StopReason {
  if (calls > 0 || finish === 'tool_calls') return 'tool_use';
  if (finish === 'stop') return 'end_turn';
  if (finish === 'length') return 'max_tokens';
  if (finish === 'content_filter') return 'refusal';
  return 'other';
}
