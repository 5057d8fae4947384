// One model call as baton's meter sees it passing through: the streamed events of the Anthropic
// Messages or OpenAI Responses wire, reduced to the model, usage (all input counted, cached
// included, as everywhere in baton), text, tool calls and how the turn ended.
import type { ModelUsage, StopReason } from '../model/model-client.ts';
import type { ModelWire } from './offered-tools.ts';

export interface MeteredCall {
  /** The model the request asked for. */
  requestedModel: string | undefined;
  /** The model that answered (or was asked for, when the answer did not say). */
  model: string | undefined;
  usage: ModelUsage;
  text: string;
  stopReason: StopReason;
  /** Tools the model called, named as in offeredTools (`namespace/name` for namespaced ones). */
  toolCalls: string[];
  /** The stream reached its end event. */
  complete: boolean;
  /** A provider error, from an error event or a non-2xx answer. */
  error?: string;
}

export interface CallReader {
  /** Reads one streamed event; true when it starts a tool call (from there on the meter holds the stream back). */
  event(type: string | undefined, data: string): boolean;
  /** A whole (non-streamed) JSON answer. */
  body(json: unknown): void;
  /** The call failed before or instead of an answer (an HTTP error status). */
  failed(message: string): void;
  result(): MeteredCall;
}

type Item = Record<string, unknown>;

export function callReader(wire: ModelWire, requestedModel: string | undefined): CallReader {
  return wire === 'anthropic' ? anthropicReader(requestedModel) : responsesReader(requestedModel);
}

function anthropicReader(requestedModel: string | undefined): CallReader {
  const call = emptyCall(requestedModel);
  let stop: string | undefined;
  const read = (message: Item) => {
    if (typeof message['model'] === 'string') call.model = message['model'];
    readAnthropicUsage(call.usage, message['usage']);
    for (const block of items(message['content'])) {
      if (block['type'] === 'text') call.text += str(block['text']);
      if (block['type'] === 'tool_use') call.toolCalls.push(str(block['name']));
    }
    stop = typeof message['stop_reason'] === 'string' ? message['stop_reason'] : stop;
  };
  return {
    event(_type, data) {
      const event = parse(data);
      if (!event) return false;
      switch (event['type']) {
        case 'message_start':
          read(item(event['message']));
          return false;
        case 'content_block_start': {
          const block = item(event['content_block']);
          if (block['type'] === 'tool_use') call.toolCalls.push(str(block['name']));
          return block['type'] !== 'text' && block['type'] !== 'thinking' && block['type'] !== 'redacted_thinking';
        }
        case 'content_block_delta': {
          const delta = item(event['delta']);
          if (delta['type'] === 'text_delta') call.text += str(delta['text']);
          return false;
        }
        case 'message_delta':
          readAnthropicUsage(call.usage, event['usage']);
          stop = str(item(event['delta'])['stop_reason']) || stop;
          return false;
        case 'message_stop':
          call.complete = true;
          return false;
        case 'error':
          call.error = describeError(event['error']);
          return false;
        default:
          return false;
      }
    },
    body(json) {
      const message = item(json);
      if (message['type'] === 'error') call.error = describeError(message['error']);
      else (read(message), (call.complete = true));
    },
    failed: (message) => void (call.error = message),
    result: () => ({ ...call, stopReason: anthropicStop(stop, call.toolCalls.length) }),
  };
}

function responsesReader(requestedModel: string | undefined): CallReader {
  const call = emptyCall(requestedModel);
  let stopReason: StopReason = 'other';
  const read = (response: Item) => {
    if (typeof response['model'] === 'string') call.model = response['model'];
    let refused = false;
    for (const out of items(response['output'])) {
      if (out['type'] === 'message') {
        for (const part of items(out['content'])) {
          if (part['type'] === 'output_text') call.text += str(part['text']);
          else if (part['type'] === 'refusal') (refused = true), (call.text += str(part['refusal']));
        }
      } else if (out['type'] === 'function_call' || out['type'] === 'custom_tool_call') {
        const namespace = typeof out['namespace'] === 'string' ? `${out['namespace']}/` : '';
        call.toolCalls.push(`${namespace}${str(out['name'])}`);
      }
    }
    const usage = item(response['usage']);
    const cached = item(usage['input_tokens_details'])['cached_tokens'];
    call.usage = { inputTokens: num(usage['input_tokens']), outputTokens: num(usage['output_tokens']), cacheReadTokens: num(cached), cacheWriteTokens: 0 };
    const incomplete = str(item(response['incomplete_details'])['reason']);
    stopReason = call.toolCalls.length > 0 ? 'tool_use' : refused ? 'refusal' : response['status'] === 'incomplete' ? (incomplete === 'max_output_tokens' ? 'max_tokens' : 'other') : 'end_turn';
    call.complete = true;
  };
  return {
    event(_type, data) {
      const event = parse(data);
      if (!event) return false;
      const type = event['type'];
      if (type === 'response.completed' || type === 'response.incomplete') read(item(event['response']));
      else if (type === 'response.failed') call.error = describeError(item(event['response'])['error']);
      else if (type === 'error') call.error = describeError(event);
      else if (type === 'response.output_item.added') {
        const added = str(item(event['item'])['type']);
        return added !== 'message' && added !== 'reasoning';
      }
      return false;
    },
    body(json) {
      const response = item(json);
      if (response['error']) call.error = describeError(response['error']);
      else read(response);
    },
    failed: (message) => void (call.error = message),
    result: () => ({ ...call, stopReason }),
  };
}

/** Anthropic counts cached input apart from input_tokens; baton counts all input. Later events repeat counts cumulatively. */
function readAnthropicUsage(usage: ModelUsage, raw: unknown): void {
  const u = item(raw);
  const n = (key: string): number | undefined => (typeof u[key] === 'number' ? u[key] : undefined);
  usage.cacheReadTokens = n('cache_read_input_tokens') ?? usage.cacheReadTokens;
  usage.cacheWriteTokens = n('cache_creation_input_tokens') ?? usage.cacheWriteTokens;
  const input = n('input_tokens');
  if (input !== undefined) usage.inputTokens = input + usage.cacheReadTokens + usage.cacheWriteTokens;
  usage.outputTokens = n('output_tokens') ?? usage.outputTokens;
}

function anthropicStop(stop: string | undefined, toolCalls: number): StopReason {
  if (toolCalls > 0 || stop === 'tool_use') return 'tool_use';
  if (stop === 'end_turn' || stop === 'stop_sequence') return 'end_turn';
  if (stop === 'max_tokens') return 'max_tokens';
  if (stop === 'refusal') return 'refusal';
  return 'other';
}

function emptyCall(model: string | undefined): MeteredCall {
  return { requestedModel: model, model, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, text: '', stopReason: 'other', toolCalls: [], complete: false };
}

function describeError(raw: unknown): string {
  const e = item(raw);
  const kind = str(e['type']) || str(e['code']) || 'error';
  return `${kind}: ${str(e['message']) || 'no message'}`;
}

function parse(data: string): Item | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Item) : undefined;
  } catch {
    return undefined;
  }
}

function item(value: unknown): Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Item) : {};
}

function items(value: unknown): Item[] {
  return Array.isArray(value) ? value.filter((v): v is Item => typeof v === 'object' && v !== null) : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
