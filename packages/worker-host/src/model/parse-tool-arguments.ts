// Tool-call arguments arrive as JSON text that a model can get wrong. Malformed text must not
// crash the call: it becomes a ToolCall with `invalidArguments` so the loop can hand the error
// back to the model to fix.
import type { ToolCall } from './model-client.ts';

/** Arguments that did not parse: the parser's complaint and the text the model sent. */
export interface UnparsedArguments {
  parseError: string;
  raw: string;
}

export function parseCall(id: string, name: string, raw: string): ToolCall {
  if (raw.trim() === '') return { id, name, arguments: {} };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return invalid(id, name, raw, `expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`);
    }
    return { id, name, arguments: parsed };
  } catch (error) {
    return invalid(id, name, raw, error instanceof Error ? error.message : String(error));
  }
}

function invalid(id: string, name: string, raw: string, parseError: string): ToolCall {
  const shown = raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
  const args: UnparsedArguments = { parseError, raw };
  return { id, name, arguments: args, invalidArguments: `${parseError}; the arguments sent were: ${shown}` };
}
