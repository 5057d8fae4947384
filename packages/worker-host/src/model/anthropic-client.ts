// Anthropic Messages API through @anthropic-ai/sdk, streamed: tool use, cache_control markers on
// the system prompt and tool list, and thinking blocks carried back intact on the next turn.
import Anthropic from '@anthropic-ai/sdk';
import { watchStream, type StreamWatch } from './stream-watch.ts';
import { toAnthropicMessages } from './anthropic-messages.ts';
import { parseCall } from './parse-tool-arguments.ts';
import { ModelError } from './model-error.ts';
import type { ModelClient, ModelRequest, ModelTurn, ModelUsage, StopReason, ToolCall } from './model-client.ts';

type Block = Record<string, unknown> & { type: string };

export interface AnthropicClientOptions {
  model: string;
  apiKey: string;
  baseURL?: string | undefined;
  /** Until the response headers arrive (the SDK's timeout). */
  timeoutMs?: number | undefined;
  /** Longest silence allowed between stream events before the call is abandoned as timed out. */
  idleTimeoutMs?: number | undefined;
}

export function anthropicClient(options: AnthropicClientOptions): ModelClient {
  // Everything the SDK would otherwise read from process.env is given explicitly, so keys and
  // endpoints come only from the environment the caller passed to createModelClient.
  const sdk = new Anthropic({ apiKey: options.apiKey, baseURL: options.baseURL ?? 'https://api.anthropic.com', webhookKey: null, maxRetries: 0, timeout: options.timeoutMs ?? 600_000 });
  return {
    provider: 'anthropic',
    model: options.model,
    scripted: false,
    async complete(request: ModelRequest): Promise<ModelTurn> {
      const tools = request.tools.map((t, i) => ({ name: t.name, description: t.description, input_schema: t.inputSchema, ...(i === request.tools.length - 1 ? { cache_control: { type: 'ephemeral' } } : {}) }));
      const body = {
        model: options.model,
        max_tokens: request.maxOutputTokens,
        ...(request.system ? { system: [{ type: 'text', text: request.system, cache_control: { type: 'ephemeral' } }] } : {}),
        messages: toAnthropicMessages(request.messages),
        ...(tools.length > 0 ? { tools } : {}),
        stream: true,
      };
      const watch = watchStream({ provider: 'anthropic', signal: request.signal, idleTimeoutMs: options.idleTimeoutMs });
      try {
        const stream = (await sdk.messages.create(body as never, { signal: watch.signal })) as unknown as AsyncIterable<Record<string, unknown>>;
        return await collect(stream, request, watch);
      } catch (error) {
        throw watch.explain(error);
      } finally {
        watch.dispose();
      }
    },
  };
}

async function collect(stream: AsyncIterable<Record<string, unknown>>, request: ModelRequest, watch: StreamWatch): Promise<ModelTurn> {
  const blocks: Block[] = [];
  const partialJson = new Map<number, string>();
  let stop: string | undefined;
  const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  let complete = false;
  for await (const event of stream) {
    watch.touch();
    switch (event['type']) {
      case 'message_stop':
        complete = true;
        break;
      case 'message_start':
        readUsage(usage, (event['message'] as Record<string, unknown> | undefined)?.['usage']);
        break;
      case 'content_block_start':
        blocks[event['index'] as number] = { ...(event['content_block'] as Block) };
        break;
      case 'content_block_delta': {
        const index = event['index'] as number;
        const delta = event['delta'] as Record<string, string>;
        const block = blocks[index];
        if (!block) throw new ModelError({ kind: 'server', message: `anthropic streamed a delta for content block ${index}, which it never started` });
        if (delta['type'] === 'text_delta') {
          block['text'] = `${(block['text'] as string) ?? ''}${delta['text']}`;
          request.onTextDelta?.(delta['text']!);
        } else if (delta['type'] === 'input_json_delta') partialJson.set(index, (partialJson.get(index) ?? '') + delta['partial_json']);
        else if (delta['type'] === 'thinking_delta') block['thinking'] = `${(block['thinking'] as string) ?? ''}${delta['thinking']}`;
        else if (delta['type'] === 'signature_delta') block['signature'] = `${(block['signature'] as string) ?? ''}${delta['signature']}`;
        break;
      }
      case 'message_delta':
        stop = ((event['delta'] as Record<string, string>)['stop_reason']) ?? stop;
        // Usage here is cumulative; newer API versions repeat the input counts.
        readUsage(usage, event['usage']);
        break;
    }
  }
  watch.ended(complete);
  const toolCalls: ToolCall[] = [];
  blocks.forEach((block, index) => {
    if (block?.type !== 'tool_use') return;
    toolCalls.push(parseCall(String(block['id']), String(block['name']), partialJson.get(index) ?? ''));
  });
  const thinking = blocks.filter((b) => b?.type === 'thinking' || b?.type === 'redacted_thinking');
  const text = blocks.filter((b) => b?.type === 'text').map((b) => b['text'] as string).join('');
  return { text, toolCalls, stopReason: mapStop(stop), usage, ...(thinking.length > 0 ? { providerState: thinking } : {}) };
}

/** Anthropic counts cached input apart from input_tokens; ours counts all input. */
function readUsage(usage: ModelUsage, raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) return;
  const u = raw as Record<string, unknown>;
  const n = (key: string): number | undefined => (typeof u[key] === 'number' ? u[key] : undefined);
  usage.cacheReadTokens = n('cache_read_input_tokens') ?? usage.cacheReadTokens;
  usage.cacheWriteTokens = n('cache_creation_input_tokens') ?? usage.cacheWriteTokens;
  const input = n('input_tokens');
  if (input !== undefined) usage.inputTokens = input + usage.cacheReadTokens + usage.cacheWriteTokens;
  usage.outputTokens = n('output_tokens') ?? usage.outputTokens;
}

function mapStop(stop: string | undefined): StopReason {
  if (stop === 'end_turn' || stop === 'stop_sequence') return 'end_turn';
  if (stop === 'tool_use') return 'tool_use';
  if (stop === 'max_tokens') return 'max_tokens';
  if (stop === 'refusal') return 'refusal';
  return 'other';
}
