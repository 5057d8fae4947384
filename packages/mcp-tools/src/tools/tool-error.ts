// Errors a tool returns to the model. They say what was wrong and what to do instead;
// they become MCP results with isError: true and never crash a server.

/** Who is at fault: the caller's request, the grant, the environment, or baton itself. */
export type ToolFault = 'request' | 'permission' | 'environment' | 'internal';

export class ToolError extends Error {
  override name = 'ToolError';
  readonly code: string;
  readonly fault: ToolFault;
  /** Structured detail for clients that read structuredContent (e.g. candidates, closest region). */
  readonly details: Record<string, unknown> | undefined;

  constructor(options: { code: string; message: string; fault?: ToolFault; details?: Record<string, unknown> }) {
    super(options.message);
    this.code = options.code;
    this.fault = options.fault ?? 'request';
    this.details = options.details;
  }
}

export function isToolError(error: unknown): error is ToolError {
  return error instanceof ToolError;
}
