// What a fake provider answers with, independent of wire format, and the SSE frames the wire
// encoders produce from it. Each wire (Anthropic Messages, OpenAI Responses, Chat Completions)
// turns a WireTurn into the exact events the real API streams.

export interface FakeToolCall {
  id?: string;
  name: string;
  arguments?: unknown;
  /** Sent verbatim instead of JSON.stringify(arguments), e.g. to send malformed JSON. */
  rawArguments?: string;
  /** Responses only: the namespace of a namespaced tool (Codex offers an MCP server's tools as namespace `mcp__<server>`). */
  namespace?: string;
  /** Responses only: a custom (freeform) tool call with this text as its input, instead of JSON arguments. */
  input?: string;
}

export interface FakeTurn {
  text?: string;
  toolCalls?: FakeToolCall[];
  /** `input` is all input tokens, cached ones included (each wire reports them its own way). */
  usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
  /** How the provider says the turn ended when it has no tool calls (default end_turn). */
  stop?: 'end_turn' | 'max_tokens' | 'refusal';
  /** Anthropic: a thinking block (with a signature) before the text. Responses: a reasoning item. */
  thinking?: string;
}

/** A provider-side failure sent as an error event in the middle of a stream. */
export type StreamFailure = 'overloaded' | 'server' | 'rate_limited';

export interface SseFrame {
  event?: string;
  data: unknown;
  /** Marks frames that carry visible text, so a fake can cut a stream right after the first. */
  textDelta?: boolean;
}

/** A turn with every tool call given an id and its argument text. */
export interface WireTurn {
  text: string;
  toolCalls: { id: string; name: string; json: string; namespace?: string; input?: string }[];
  usage: { input: number; output: number; cacheRead: number; cacheWrite: number };
  stop: 'end_turn' | 'max_tokens' | 'refusal';
  thinking: string | undefined;
}

export interface Wire {
  frames(turn: WireTurn): SseFrame[];
  failure(kind: StreamFailure): SseFrame;
}

export function toWireTurn(turn: FakeTurn, callPrefix: string): WireTurn {
  return {
    text: turn.text ?? '',
    toolCalls: (turn.toolCalls ?? []).map((c, i) => ({ id: c.id ?? `${callPrefix}_${i}`, name: c.name, json: c.rawArguments ?? JSON.stringify(c.arguments ?? {}), ...(c.namespace !== undefined ? { namespace: c.namespace } : {}), ...(c.input !== undefined ? { input: c.input } : {}) })),
    usage: { input: turn.usage?.input ?? 100, output: turn.usage?.output ?? 20, cacheRead: turn.usage?.cacheRead ?? 0, cacheWrite: turn.usage?.cacheWrite ?? 0 },
    stop: turn.stop ?? 'end_turn',
    thinking: turn.thinking,
  };
}

/** Splits text into two pieces so every stream has more than one delta. */
export function halves(s: string): string[] {
  if (s.length < 2) return [s];
  const middle = Math.ceil(s.length / 2);
  return [s.slice(0, middle), s.slice(middle)];
}

export function encodeFrame(frame: SseFrame): string {
  return `${frame.event ? `event: ${frame.event}\n` : ''}data: ${typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data)}\n\n`;
}
