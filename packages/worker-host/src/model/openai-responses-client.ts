// OpenAI's Responses API through the `openai` SDK, streamed: text deltas as they come, the
// function calls and usage from the completed response. Reasoning items are kept as the turn's
// providerState and sent back before the function calls they led to, as the API expects.
import { openAISdk } from './openai-sdk.ts';
import { kindFromBodyType, ModelError } from './model-error.ts';
import { watchStream, type StreamWatch } from './stream-watch.ts';
import { parseCall } from './parse-tool-arguments.ts';
import type { ChatMessage, ModelClient, ModelRequest, ModelTurn, StopReason, ToolCall } from './model-client.ts';

export interface OpenAIResponsesClientOptions {
  model: string;
  apiKey: string;
  baseURL?: string | undefined;
  organization?: string | undefined;
  project?: string | undefined;
  /** Until the response headers arrive (the SDK's timeout). */
  timeoutMs?: number | undefined;
  /** Longest silence allowed between stream events before the call is abandoned as timed out. */
  idleTimeoutMs?: number | undefined;
}

type Item = Record<string, unknown>;

export function openAIResponsesClient(options: OpenAIResponsesClientOptions): ModelClient {
  const sdk = openAISdk(options);
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
      const watch = watchStream({ provider: 'openai', signal: request.signal, idleTimeoutMs: options.idleTimeoutMs });
      try {
        const stream = (await sdk.responses.create(body as never, { signal: watch.signal })) as unknown as AsyncIterable<Item>;
        return await collect(stream, request, watch);
      } catch (error) {
        throw watch.explain(error);
      } finally {
        watch.dispose();
      }
    },
  };
}

function toInput(messages: readonly ChatMessage[]): unknown[] {
  return messages.flatMap((m): unknown[] => {
    if (m.role === 'user') return [{ role: 'user', content: m.content }];
    if (m.role === 'tool') return m.results.map((r) => ({ type: 'function_call_output', call_id: r.callId, output: r.isError ? `ERROR: ${r.content}` : r.content }));
    const items: unknown[] = Array.isArray(m.providerState) ? [...(m.providerState as unknown[])] : [];
    if (m.text) items.push({ role: 'assistant', content: m.text });
    for (const c of m.toolCalls) items.push({ type: 'function_call', call_id: c.id, name: c.name, arguments: c.invalidArguments === undefined ? JSON.stringify(c.arguments ?? {}) : '{}' });
    return items;
  });
}

async function collect(stream: AsyncIterable<Item>, request: ModelRequest, watch: StreamWatch): Promise<ModelTurn> {
  let final: Item | undefined;
  for await (const event of stream) {
    watch.touch();
    const type = event['type'];
    if (type === 'response.output_text.delta' && typeof event['delta'] === 'string') request.onTextDelta?.(event['delta']);
    else if (type === 'response.completed' || type === 'response.incomplete') final = event['response'] as Item;
    else if (type === 'response.failed') throw failed((event['response'] as Item | undefined)?.['error']);
  }
  watch.ended(final !== undefined);
  let text = '';
  let refused = false;
  const toolCalls: ToolCall[] = [];
  const reasoning: Item[] = [];
  for (const item of (final!['output'] as Item[] | undefined) ?? []) {
    if (item['type'] === 'reasoning') reasoning.push(item);
    else if (item['type'] === 'message') {
      for (const part of (item['content'] as Item[] | undefined) ?? []) {
        if (part['type'] === 'output_text') text += String(part['text'] ?? '');
        else if (part['type'] === 'refusal') (refused = true), (text += String(part['refusal'] ?? ''));
      }
    } else if (item['type'] === 'function_call') toolCalls.push(parseCall(String(item['call_id']), String(item['name']), String(item['arguments'] ?? '')));
  }
  const u = (final!['usage'] ?? {}) as Item;
  const cached = (u['input_tokens_details'] as Item | undefined)?.['cached_tokens'];
  const usage = { inputTokens: num(u['input_tokens']), outputTokens: num(u['output_tokens']), cacheReadTokens: num(cached), cacheWriteTokens: 0 };
  const incompleteReason = (final!['incomplete_details'] as Item | null | undefined)?.['reason'];
  const stopReason: StopReason =
    toolCalls.length > 0 ? 'tool_use' : refused || incompleteReason === 'content_filter' ? 'refusal' : final!['status'] === 'incomplete' ? (incompleteReason === 'max_output_tokens' ? 'max_tokens' : 'other') : 'end_turn';
  return { text, toolCalls, stopReason, usage, ...(reasoning.length > 0 ? { providerState: reasoning } : {}) };
}

function failed(error: unknown): ModelError {
  const e = (error ?? {}) as Item;
  const code = typeof e['code'] === 'string' ? e['code'] : 'unknown';
  return new ModelError({ kind: kindFromBodyType(undefined, code) ?? 'server', message: `openai response failed (${code}): ${String(e['message'] ?? 'no message')}` });
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
