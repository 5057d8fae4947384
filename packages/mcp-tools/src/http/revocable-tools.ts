// Wraps a session's tools so that closing the session (revocation, expiry, shutdown) ends
// calls in flight at once: the tool sees its signal abort, and the call answers with the
// reason as a tool error rather than waiting for the tool to wind down.
import { isToolError, ToolError } from '../tools/tool-error.ts';
import type { AnyToolDefinition } from '../tools/tool.ts';

export function revocableTools(tools: readonly AnyToolDefinition[], sessionSignal: AbortSignal): AnyToolDefinition[] {
  return tools.map((tool) => ({
    ...tool,
    run: async (input, ctx) => {
      if (sessionSignal.aborted) throw closedError(sessionSignal.reason);
      let onAbort = () => {};
      const ended = new Promise<never>((_, reject) => {
        onAbort = () => reject(closedError(sessionSignal.reason));
      });
      sessionSignal.addEventListener('abort', onAbort, { once: true });
      try {
        return await Promise.race([tool.run(input, { ...ctx, signal: AbortSignal.any([ctx.signal, sessionSignal]) }), ended]);
      } finally {
        sessionSignal.removeEventListener('abort', onAbort);
      }
    },
  }));
}

function closedError(reason: unknown): ToolError {
  if (isToolError(reason)) return reason;
  return new ToolError({ code: 'session_closed', message: 'this session was closed by the host; stop and report to your operator', fault: 'permission' });
}
