// OpenAI Responses API streamed events for a fake turn: response.created, output items added
// and done (reasoning, message with text deltas or a refusal, function calls with argument
// deltas, custom tool calls with their input), then response.completed, or response.incomplete
// when the output limit was hit.
import { halves, type SseFrame, type Wire, type WireTurn } from './wire-turn.ts';

export const responsesWire: Wire = {
  frames(turn: WireTurn): SseFrame[] {
    const frames: SseFrame[] = [];
    let seq = 0;
    const push = (type: string, data: Record<string, unknown>, textDelta = false) => frames.push({ event: type, data: { type, sequence_number: seq++, ...data }, ...(textDelta ? { textDelta } : {}) });
    const output: Record<string, unknown>[] = [];
    const { usage } = turn;
    const incomplete = turn.stop === 'max_tokens' && turn.toolCalls.length === 0;
    const response = (status: string) => ({
      id: 'resp_fake', object: 'response', created_at: 0, model: 'fake', status, output: status === 'in_progress' ? [] : output,
      incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
      usage: status === 'in_progress' ? null : { input_tokens: usage.input, output_tokens: usage.output, total_tokens: usage.input + usage.output, input_tokens_details: { cached_tokens: usage.cacheRead }, output_tokens_details: { reasoning_tokens: 0 } },
    });
    const item = (added: Record<string, unknown>, done: Record<string, unknown>, body: () => void) => {
      const output_index = output.length;
      push('response.output_item.added', { output_index, item: added });
      body();
      output.push(done);
      push('response.output_item.done', { output_index, item: done });
    };
    push('response.created', { response: response('in_progress') });
    push('response.in_progress', { response: response('in_progress') });
    if (turn.thinking) {
      const summary = [{ type: 'summary_text', text: turn.thinking }];
      item({ type: 'reasoning', id: 'rs_fake', summary: [] }, { type: 'reasoning', id: 'rs_fake', summary, encrypted_content: 'enc-fake-123' }, () => undefined);
    }
    if (turn.text || turn.stop === 'refusal') {
      const refusal = turn.stop === 'refusal';
      const id = 'msg_fake';
      const part = refusal ? { type: 'refusal', refusal: turn.text || 'I cannot help with that.' } : { type: 'output_text', text: turn.text, annotations: [] };
      item({ type: 'message', id, role: 'assistant', status: 'in_progress', content: [] }, { type: 'message', id, role: 'assistant', status: 'completed', content: [part] }, () => {
        const at = { item_id: id, output_index: output.length, content_index: 0 };
        push('response.content_part.added', { ...at, part: refusal ? { type: 'refusal', refusal: '' } : { type: 'output_text', text: '', annotations: [] } });
        if (refusal) push('response.refusal.done', { ...at, refusal: (part as { refusal: string }).refusal });
        else {
          for (const delta of halves(turn.text)) push('response.output_text.delta', { ...at, delta, logprobs: [] }, true);
          push('response.output_text.done', { ...at, text: turn.text, logprobs: [] });
        }
        push('response.content_part.done', { ...at, part });
      });
    }
    for (const call of turn.toolCalls) {
      if (call.input !== undefined) {
        const custom = { type: 'custom_tool_call', id: `ctc_${call.id}`, call_id: call.id, name: call.name, ...(call.namespace !== undefined ? { namespace: call.namespace } : {}) };
        item({ ...custom, input: '', status: 'in_progress' }, { ...custom, input: call.input, status: 'completed' }, () => {
          push('response.custom_tool_call_input.delta', { item_id: custom.id, output_index: output.length, delta: call.input });
          push('response.custom_tool_call_input.done', { item_id: custom.id, output_index: output.length, input: call.input });
        });
        continue;
      }
      const id = `fc_${call.id}`;
      const base = { type: 'function_call', id, call_id: call.id, name: call.name, ...(call.namespace !== undefined ? { namespace: call.namespace } : {}) };
      item({ ...base, arguments: '', status: 'in_progress' }, { ...base, arguments: call.json, status: 'completed' }, () => {
        for (const delta of halves(call.json)) push('response.function_call_arguments.delta', { item_id: id, output_index: output.length, delta });
        push('response.function_call_arguments.done', { item_id: id, output_index: output.length, arguments: call.json });
      });
    }
    const final = incomplete ? 'incomplete' : 'completed';
    push(`response.${final}`, { response: response(final) });
    return frames;
  },
  failure(kind) {
    const code = kind === 'overloaded' ? 'server_is_overloaded' : kind === 'rate_limited' ? 'rate_limit_exceeded' : 'server_error';
    return { event: 'error', data: { type: 'error', code, message: `fake ${code}`, param: null, sequence_number: 999 } };
  },
};
