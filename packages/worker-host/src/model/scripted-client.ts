// A model that plays a script: for tests, the demo, and anyone without an API key. It is
// stateless — the turn to play is the number of assistant turns already in the request — so
// one client can serve parallel workers and a resumed run. Conversations can be chosen by the
// task id in the brief (`# Task <id>:`), so one script file drives a whole scripted run.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ModelClient, ModelRequest, ModelTurn, ToolCall } from './model-client.ts';

const ScriptedToolCallSchema = z.object({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) });
const ScriptedTurnSchema = z.object({
  text: z.string().default(''),
  tool_calls: z.array(ScriptedToolCallSchema).default([]),
  usage: z.object({ input_tokens: z.number().int().min(0), output_tokens: z.number().int().min(0) }).optional(),
  /** Wait this long before answering, like a real model's latency (abortable). */
  delay_ms: z.number().int().min(0).max(600_000).optional(),
});
export type ScriptedTurn = z.input<typeof ScriptedTurnSchema>;

export const ScriptSchema = z
  .object({
    label: z.string().default('script'),
    /** One conversation, for every request. */
    turns: z.array(ScriptedTurnSchema).optional(),
    /** A conversation per task id, picked from the brief's `# Task <id>:` heading. */
    by_task: z.record(z.string(), z.array(ScriptedTurnSchema)).optional(),
  })
  .refine((s) => s.turns !== undefined || s.by_task !== undefined, 'a script needs `turns` or `by_task`');
export type ScriptInput = z.input<typeof ScriptSchema>;

/** The script ran out or has no conversation for the request: the script's author is at fault. */
export class ScriptError extends Error {
  override name = 'ScriptError';
}

type Turn = z.output<typeof ScriptedTurnSchema>;
type Responder = (request: ModelRequest) => ScriptedTurn;

export function scriptedClient(script: ScriptInput | Responder, options: { label?: string } = {}): ModelClient {
  const responder = typeof script === 'function' ? script : playback(ScriptSchema.parse(script));
  const label = options.label ?? (typeof script === 'function' ? 'inline' : (script.label ?? 'script'));
  return {
    provider: 'scripted',
    model: label,
    scripted: true,
    async complete(request) {
      if (request.signal?.aborted) throw request.signal.reason instanceof Error ? request.signal.reason : new Error('cancelled');
      const turn = ScriptedTurnSchema.parse(responder(request));
      if (turn.delay_ms) await pause(turn.delay_ms, request.signal);
      return toModelTurn(turn, request);
    },
  };
}

export async function loadScript(file: string): Promise<ScriptInput> {
  const text = await readFile(file, 'utf8');
  const data: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  const parsed = ScriptSchema.safeParse(data);
  if (!parsed.success) throw new ScriptError(`${file} is not a valid model script: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function playback(script: z.output<typeof ScriptSchema>): Responder {
  return (request) => {
    const conversation = pickConversation(script, request);
    const played = request.messages.filter((m) => m.role === 'assistant').length;
    const turn = conversation[played];
    if (!turn) throw new ScriptError(`script "${script.label}" has ${conversation.length} turn(s) for this conversation and was asked for turn ${played + 1}`);
    return turn;
  };
}

function pickConversation(script: z.output<typeof ScriptSchema>, request: ModelRequest): Turn[] {
  if (script.by_task) {
    const first = request.messages.find((m) => m.role === 'user');
    const taskId = first?.role === 'user' ? /^# (?:Task|Merge task) ([a-z0-9][a-z0-9._-]*):/m.exec(first.content)?.[1] : undefined;
    const conversation = taskId !== undefined ? script.by_task[taskId] : undefined;
    if (conversation) return conversation;
    if (!script.turns) throw new ScriptError(`script "${script.label}" has no conversation for task ${taskId ?? '(none in the brief)'}; it has: ${Object.keys(script.by_task).join(', ')}`);
  }
  return script.turns!;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'))), { once: true });
  });
}

let callCounter = 0;

function toModelTurn(turn: Turn, request: ModelRequest): ModelTurn {
  const toolCalls: ToolCall[] = turn.tool_calls.map((call) => ({ id: `scripted_${++callCounter}`, name: call.name, arguments: call.arguments }));
  if (turn.text) request.onTextDelta?.(turn.text);
  const inputChars = request.system.length + JSON.stringify(request.messages).length;
  const outputChars = turn.text.length + JSON.stringify(turn.tool_calls).length;
  // Scripted models have no tokenizer: usage is the script's, or about four characters per token.
  const usage = turn.usage
    ? { inputTokens: turn.usage.input_tokens, outputTokens: turn.usage.output_tokens, cacheReadTokens: 0, cacheWriteTokens: 0 }
    : { inputTokens: Math.ceil(inputChars / 4), outputTokens: Math.ceil(outputChars / 4), cacheReadTokens: 0, cacheWriteTokens: 0 };
  return { text: turn.text, toolCalls, stopReason: toolCalls.length > 0 ? 'tool_use' : 'end_turn', usage };
}
