// The one interface every model adapter implements: a request of system prompt, messages and
// tools (JSON Schemas) in, one assistant turn (text, tool calls, usage, stop reason) out.
// Only adapters import vendor SDKs; the agent loop and the orchestrator see only this.
import type { Price } from './model-id.ts';

export interface ToolCall {
  id: string;
  name: string;
  /** Parsed JSON arguments; when the model sent malformed JSON, `invalidArguments` says what was wrong. */
  arguments: unknown;
  invalidArguments?: string;
}

export interface ToolResult {
  callId: string;
  content: string;
  isError: boolean;
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; text: string; toolCalls: ToolCall[]; providerState?: unknown }
  | { role: 'tool'; results: ToolResult[] };

export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal' | 'other';

export interface ModelRequest {
  system: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  maxOutputTokens: number;
  signal?: AbortSignal;
  onTextDelta?: (text: string) => void;
}

export interface ModelTurn {
  text: string;
  toolCalls: ToolCall[];
  stopReason: StopReason;
  usage: ModelUsage;
  /** Opaque provider data to send back with this turn (e.g. thinking blocks). */
  providerState?: unknown;
}

export interface ModelClient {
  readonly provider: string;
  readonly model: string;
  /** True for scripted models: shown as such wherever a user sees the model. */
  readonly scripted: boolean;
  /** What the model costs, when createModelClient knows (undefined: free, local or unknown). */
  readonly price?: Price | undefined;
  complete(request: ModelRequest): Promise<ModelTurn>;
}

export function emptyUsage(): ModelUsage {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

/** `provider:model` as users write it. */
export function modelLabel(client: Pick<ModelClient, 'provider' | 'model'>): string {
  return `${client.provider}:${client.model}`;
}
