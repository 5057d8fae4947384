// The Anthropic Messages API's streamed events for a fake turn: message_start, content blocks
// (thinking, text, tool_use) with their deltas, message_delta with the stop reason, message_stop.
// Anthropic counts cached tokens apart from input_tokens, so they are taken out of the total here.
import { halves, type SseFrame, type Wire, type WireTurn } from './wire-turn.ts';

export const anthropicWire: Wire = {
  frames(turn: WireTurn): SseFrame[] {
    const frames: SseFrame[] = [];
    const push = (type: string, data: Record<string, unknown>, textDelta = false) => frames.push({ event: type, data: { type, ...data }, ...(textDelta ? { textDelta } : {}) });
    const { usage } = turn;
    const inputUsage = { input_tokens: Math.max(0, usage.input - usage.cacheRead - usage.cacheWrite), cache_read_input_tokens: usage.cacheRead, cache_creation_input_tokens: usage.cacheWrite };
    push('message_start', { message: { id: 'msg_fake', type: 'message', role: 'assistant', model: 'fake', content: [], stop_reason: null, stop_sequence: null, usage: { ...inputUsage, output_tokens: 1 } } });
    frames.push({ event: 'ping', data: { type: 'ping' } });
    let index = 0;
    if (turn.thinking) {
      push('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const part of halves(turn.thinking)) push('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: part } });
      push('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'sig-fake-123' } });
      push('content_block_stop', { index });
      index++;
    }
    if (turn.text) {
      push('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const part of halves(turn.text)) push('content_block_delta', { index, delta: { type: 'text_delta', text: part } }, true);
      push('content_block_stop', { index });
      index++;
    }
    for (const call of turn.toolCalls) {
      push('content_block_start', { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } });
      for (const part of halves(call.json)) push('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
      push('content_block_stop', { index });
      index++;
    }
    const stop = turn.toolCalls.length > 0 ? 'tool_use' : turn.stop;
    push('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { ...inputUsage, output_tokens: usage.output } });
    push('message_stop', {});
    return frames;
  },
  failure(kind) {
    const type = kind === 'overloaded' ? 'overloaded_error' : kind === 'rate_limited' ? 'rate_limit_error' : 'api_error';
    return { event: 'error', data: { type: 'error', error: { type, message: `fake ${type}` } } };
  },
};
