// A model that plays a script: for tests, the demo, and anyone without an API key. It is
// stateless — the turn to play is the number of assistant turns already in the request — so
// one client can serve parallel workers and a resumed run. Conversations can be chosen by the
// task id in the brief (`# Task <id>:`), so one script file drives a whole scripted run. In
// code, a turn can be a function of the request, so a test can react to what the loop sent.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { cancelledError, ModelError } from './model-error.ts';
import type { ModelClient, ModelRequest, ModelTurn, ToolCall } from './model-client.ts';
import { parseCall } from './parse-tool-arguments.ts';

const ScriptedToolCallSchema = z
  .object({
    /** Defaults to `scripted_<turn>_<n>`, unique within the conversation. */
    id: z.string().min(1).optional(),
    name: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()).default({}),
    /** Argument text sent as-is instead of `arguments`, e.g. malformed JSON to test recovery. */
    raw_arguments: z.string().optional(),
  })
  .strict();
const ScriptedTurnSchema = z
  .object({
    text: z.string().default(''),
    tool_calls: z.array(ScriptedToolCallSchema).default([]),
    /** Defaults to tool_use when there are tool calls, else end_turn. */
    stop: z.enum(['end_turn', 'tool_use', 'max_tokens', 'refusal', 'other']).optional(),
    usage: z.object({ input_tokens: z.number().int().min(0), output_tokens: z.number().int().min(0), cache_read_tokens: z.number().int().min(0).optional() }).optional(),
    /** Wait this long before answering, like a real model's latency (abortable). */
    delay_ms: z.number().int().min(0).max(600_000).optional(),
    /** Fail this call the way a provider would, e.g. `{kind: rate_limited}`. */
    error: z
      .object({
        kind: z.enum(['rate_limited', 'overloaded', 'server', 'timeout', 'connection', 'bad_request', 'auth', 'cancelled']),
        message: z.string().optional(),
        retry_after_ms: z.number().int().min(0).optional(),
      })
      .optional(),
  })
  .strict();
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

/** Answers a request with a turn: a whole script in one function. */
export type ScriptResponder = (request: ModelRequest) => ScriptedTurn;
/** A conversation written in code: each turn is data, or a function of the request. */
export type ScriptedConversation = ReadonlyArray<ScriptedTurn | ScriptResponder>;

type Turn = z.output<typeof ScriptedTurnSchema>;

export function scriptedClient(script: ScriptInput | ScriptResponder | ScriptedConversation, options: { label?: string } = {}): ModelClient {
  const responder = typeof script === 'function' ? script : isConversation(script) ? conversation(script, options.label ?? 'inline') : playback(ScriptSchema.parse(script));
  const label = options.label ?? (typeof script === 'function' || isConversation(script) ? 'inline' : (script.label ?? 'script'));
  return {
    provider: 'scripted',
    model: label,
    scripted: true,
    async complete(request) {
      if (request.signal?.aborted) throw cancelledError('scripted model');
      const parsed = ScriptedTurnSchema.safeParse(responder(request));
      if (!parsed.success) throw new ScriptError(`script "${label}" produced an invalid turn: ${z.prettifyError(parsed.error)}`);
      const turn = parsed.data;
      if (turn.delay_ms) await pause(turn.delay_ms, request.signal);
      if (turn.error) throw new ModelError({ kind: turn.error.kind, message: turn.error.message ?? `scripted ${turn.error.kind} failure`, retryAfterMs: turn.error.retry_after_ms });
      return toModelTurn(turn, request);
    },
  };
}

export async function loadScript(file: string): Promise<ScriptInput> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new ScriptError(`cannot read model script ${file}: ${error instanceof Error ? error.message : String(error)}`);
  });
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ScriptError(`${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ScriptSchema.safeParse(data);
  if (!parsed.success) throw new ScriptError(`${file} is not a valid model script: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function isConversation(script: ScriptInput | ScriptedConversation): script is ScriptedConversation {
  return Array.isArray(script);
}

function turnsPlayed(request: ModelRequest): number {
  return request.messages.filter((m) => m.role === 'assistant').length;
}

function conversation(turns: ScriptedConversation, label: string): ScriptResponder {
  return (request) => {
    const played = turnsPlayed(request);
    const turn = turns[played];
    if (turn === undefined) throw new ScriptError(`script "${label}" has ${turns.length} turn(s) and was asked for turn ${played + 1}`);
    return typeof turn === 'function' ? turn(request) : turn;
  };
}

function playback(script: z.output<typeof ScriptSchema>): ScriptResponder {
  return (request) => {
    const turns = pickConversation(script, request);
    const played = turnsPlayed(request);
    const turn = turns[played];
    if (!turn) throw new ScriptError(`script "${script.label}" has ${turns.length} turn(s) for this conversation and was asked for turn ${played + 1}`);
    return turn;
  };
}

function pickConversation(script: z.output<typeof ScriptSchema>, request: ModelRequest): Turn[] {
  if (script.by_task) {
    const first = request.messages.find((m) => m.role === 'user');
    const taskId = first?.role === 'user' ? /^# (?:Task|Merge task) ([a-z0-9][a-z0-9._-]*):/m.exec(first.content)?.[1] : undefined;
    const turns = taskId !== undefined ? script.by_task[taskId] : undefined;
    if (turns) return turns;
    if (!script.turns) throw new ScriptError(`script "${script.label}" has no conversation for task ${taskId ?? '(none in the brief)'}; it has: ${Object.keys(script.by_task).join(', ')}`);
  }
  return script.turns!;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => (clearTimeout(timer), reject(cancelledError('scripted model')));
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function toModelTurn(turn: Turn, request: ModelRequest): ModelTurn {
  const number = turnsPlayed(request) + 1;
  const toolCalls: ToolCall[] = turn.tool_calls.map((call, i) => {
    const id = call.id ?? `scripted_${number}_${i + 1}`;
    return call.raw_arguments !== undefined ? parseCall(id, call.name, call.raw_arguments) : { id, name: call.name, arguments: call.arguments };
  });
  if (turn.text) request.onTextDelta?.(turn.text);
  const inputChars = request.system.length + JSON.stringify(request.messages).length;
  const outputChars = turn.text.length + (turn.tool_calls.length > 0 ? JSON.stringify(turn.tool_calls).length : 0);
  // Scripted models have no tokenizer: usage is the script's, or about four characters per token.
  const usage = turn.usage
    ? { inputTokens: turn.usage.input_tokens, outputTokens: turn.usage.output_tokens, cacheReadTokens: turn.usage.cache_read_tokens ?? 0, cacheWriteTokens: 0 }
    : { inputTokens: Math.ceil(inputChars / 4), outputTokens: Math.ceil(outputChars / 4), cacheReadTokens: 0, cacheWriteTokens: 0 };
  return { text: turn.text, toolCalls, stopReason: turn.stop ?? (toolCalls.length > 0 ? 'tool_use' : 'end_turn'), usage };
}
