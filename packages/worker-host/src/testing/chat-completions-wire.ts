// Chat Completions' streamed chunks for a fake turn, as OpenAI-compatible servers (Ollama, vLLM,
// llama.cpp) send them: content deltas, tool_calls deltas by index, the finish reason, a final
// usage chunk (stream_options.include_usage) and [DONE].
import { halves, type SseFrame, type Wire, type WireTurn } from './wire-turn.ts';

export const chatCompletionsWire: Wire = {
  frames(turn: WireTurn): SseFrame[] {
    const chunk = (delta: unknown, finish: string | null = null): SseFrame => ({ data: { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [{ index: 0, delta, finish_reason: finish }] } });
    const frames: SseFrame[] = [chunk({ role: 'assistant', content: '' })];
    for (const part of turn.text ? halves(turn.text) : []) frames.push({ ...chunk({ content: part }), textDelta: true });
    turn.toolCalls.forEach((call, i) => {
      frames.push(chunk({ tool_calls: [{ index: i, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
      for (const part of halves(call.json)) frames.push(chunk({ tool_calls: [{ index: i, function: { arguments: part } }] }));
    });
    const finish = turn.toolCalls.length > 0 ? 'tool_calls' : turn.stop === 'max_tokens' ? 'length' : turn.stop === 'refusal' ? 'content_filter' : 'stop';
    frames.push(chunk({}, finish));
    const { usage } = turn;
    frames.push({ data: { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output, prompt_tokens_details: { cached_tokens: usage.cacheRead } } } });
    frames.push({ data: '[DONE]' });
    return frames;
  },
  failure(kind) {
    const type = kind === 'overloaded' ? 'overloaded_error' : kind === 'rate_limited' ? 'rate_limit_exceeded' : 'server_error';
    return { data: { error: { message: `fake ${type}`, type, code: type } } };
  },
};
