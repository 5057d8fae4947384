// The agent loop with a scripted model and in-memory tools: completion, tool errors fed back
// to the model, budgets in every dimension, cancellation mid-call, a script that runs out.
import { describe, expect, it } from 'vitest';
import type { ModelClient, ModelRequest } from '../model/model-client.ts';
import { scriptedClient } from '../model/scripted-client.ts';
import type { WorkerBudget } from './budget.ts';
import { runWorker, type WorkerTools } from './run-worker.ts';
import type { WorkerEvent } from './worker-events.ts';

const budget: WorkerBudget = { maxTurns: 10, maxTokens: 1_000_000 };

function memoryTools(files: Record<string, string>): WorkerTools & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    specs: [{ name: 'read_file', description: 'read', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }],
    call: async (name, args) => {
      const path = (args as { path: string }).path;
      calls.push(`${name}:${path}`);
      return path in files ? { content: files[path]!, isError: false } : { content: `no such file ${path}`, isError: true };
    },
  };
}

describe('runWorker', () => {
  it('runs tool calls, feeds results back and completes with the final text', async () => {
    const seen: ModelRequest[] = [];
    const script = scriptedClient({
      turns: [
        { text: 'Reading.', tool_calls: [{ name: 'read_file', arguments: { path: 'a.ts' } }] },
        { text: 'The file exports one constant.' },
      ],
    });
    const model: ModelClient = { ...script, complete: (r) => (seen.push({ ...r, messages: structuredClone(r.messages) }), script.complete(r)) };
    const tools = memoryTools({ 'a.ts': 'export const a = 1;' });
    const events: WorkerEvent[] = [];
    const outcome = await runWorker({ model, tools, system: 'role', brief: '# Task t: read', budget, onEvent: (e) => events.push(e), costOf: () => 0.5 });
    expect(outcome).toMatchObject({ kind: 'completed', summary: 'The file exports one constant.', turns: 2, costUsd: 1 });
    expect(tools.calls).toEqual(['read_file:a.ts']);
    expect(seen[1]!.messages.at(-1)).toEqual({ role: 'tool', results: [{ callId: expect.any(String), content: 'export const a = 1;', isError: false }] });
    expect(events.map((e) => e.type)).toEqual(['model_call', 'tool_call', 'tool_result', 'model_call', 'outcome']);
    expect(events[0]).toMatchObject({ scripted: true, model: 'scripted:script' });
  });

  it('answers unknown tools, malformed arguments and tool errors as results the model can act on', async () => {
    const replies: string[] = [];
    const model = scriptedClient((request) => {
      const last = request.messages.at(-1)!;
      if (last.role === 'tool') replies.push(...last.results.map((r) => `${r.isError}:${r.content}`));
      const n = request.messages.filter((m) => m.role === 'assistant').length;
      if (n === 0) return { tool_calls: [{ name: 'rm_rf', arguments: {} }, { name: 'read_file', arguments: { path: 'missing.ts' } }] };
      return { text: 'done' };
    });
    const broken: ModelClient = {
      ...model,
      complete: async (r) => {
        const turn = await model.complete(r);
        if (turn.toolCalls[1]) turn.toolCalls.push({ id: 'bad', name: 'read_file', arguments: {}, invalidArguments: 'Unexpected token } at 12' });
        return turn;
      },
    };
    const outcome = await runWorker({ model: broken, tools: memoryTools({}), system: 's', brief: 'b', budget });
    expect(outcome.kind).toBe('completed');
    expect(replies[0]).toBe('true:There is no tool named rm_rf. Your tools are: read_file.');
    expect(replies[1]).toBe('true:no such file missing.ts');
    expect(replies[2]).toContain('not valid JSON (Unexpected token } at 12)');
  });

  it.each([
    ['turns', { maxTurns: 2, maxTokens: 1e9 }],
    ['tokens', { maxTurns: 99, maxTokens: 300 }],
    ['tool_calls', { maxTurns: 99, maxTokens: 1e9, maxToolCalls: 3 }],
    ['cost', { maxTurns: 99, maxTokens: 1e9, maxCostUsd: 0.25 }],
  ] as const)('stops at the %s budget, never more than one call past it', async (which, limits) => {
    const looping = scriptedClient(() => ({ tool_calls: [{ name: 'read_file', arguments: { path: 'a.ts' } }], usage: { input_tokens: 100, output_tokens: 10 } }));
    const outcome = await runWorker({ model: looping, tools: memoryTools({ 'a.ts': 'x' }), system: 's', brief: 'b', budget: limits, costOf: () => 0.1 });
    expect(outcome).toMatchObject({ kind: 'budget_exhausted', which });
    if (which === 'turns') expect(outcome.turns).toBe(2);
    if (which === 'tokens') expect(outcome.usage.inputTokens + outcome.usage.outputTokens).toBeLessThan(300 + 110);
    if (which === 'cost') expect(outcome.costUsd).toBeLessThan(0.25 + 0.1 + 1e-9);
  });

  it('stops at the wall-clock budget (injected clock)', async () => {
    let clock = 0;
    const slow = scriptedClient(() => ((clock += 600), { tool_calls: [{ name: 'read_file', arguments: { path: 'a.ts' } }] }));
    const outcome = await runWorker({ model: slow, tools: memoryTools({ 'a.ts': 'x' }), system: 's', brief: 'b', budget: { maxTurns: 99, maxTokens: 1e9, maxWallMs: 1000 }, now: () => clock });
    expect(outcome).toMatchObject({ kind: 'budget_exhausted', which: 'wall_time', turns: 2 });
  });

  it('is cancelled mid-call when its signal aborts', async () => {
    const controller = new AbortController();
    let entered: () => void = () => {};
    const inCall = new Promise<void>((resolve) => (entered = resolve));
    const hanging: ModelClient = {
      provider: 'test',
      model: 'hang',
      scripted: true,
      complete: (request) =>
        new Promise((_, reject) => {
          entered();
          request.signal!.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
        }),
    };
    const running = runWorker({ model: hanging, tools: memoryTools({}), system: 's', brief: 'b', budget, signal: controller.signal });
    await inCall;
    controller.abort();
    expect((await running).kind).toBe('cancelled');
  });

  it('fails, blaming the script, when a scripted model runs out of turns', async () => {
    const outcome = await runWorker({ model: scriptedClient({ label: 'short', turns: [{ tool_calls: [{ name: 'read_file', arguments: { path: 'a.ts' } }] }] }), tools: memoryTools({ 'a.ts': 'x' }), system: 's', brief: 'b', budget });
    expect(outcome).toMatchObject({ kind: 'failed', fault: 'model' });
    expect(outcome.kind === 'failed' && outcome.error).toContain('script "short" has 1 turn(s)');
  });
});
