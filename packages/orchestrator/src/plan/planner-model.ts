// The slice of a model client the planner needs. Structurally a subset of the worker host's
// ModelClient.complete(), so any adapter (or a scripted fake) can be passed in as is.

export interface PlannerMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface PlannerToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the tool's input. */
  inputSchema: Record<string, unknown>;
}

export interface PlannerModelRequest {
  system: string;
  messages: PlannerMessage[];
  tools: PlannerToolSpec[];
  maxOutputTokens: number;
}

export interface PlannerToolCall {
  id?: string;
  name: string;
  input: unknown;
}

export interface PlannerModelResponse {
  text: string;
  toolCalls: readonly PlannerToolCall[];
  usage?: { inputTokens: number; outputTokens: number; cacheReadTokens?: number; cacheWriteTokens?: number };
  stopReason: string;
}

export interface PlannerModel {
  complete(request: PlannerModelRequest): Promise<PlannerModelResponse>;
}
