// The SDK's Streamable HTTP server transport, plus a count of requests still awaiting a
// response. Closing a session first drains it, so calls cut short by a revocation still
// answer their client (with the revocation error) instead of leaving it to time out.
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { isJSONRPCErrorResponse, isJSONRPCNotification, isJSONRPCRequest, isJSONRPCResultResponse } from '@modelcontextprotocol/sdk/types.js';

type MessageHandler = (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

export class DrainingTransport extends StreamableHTTPServerTransport {
  #pending = new Set<RequestId>();
  #idle: (() => void)[] = [];
  #handler: MessageHandler | undefined;

  override get onmessage(): MessageHandler | undefined {
    return this.#handler;
  }

  override set onmessage(handler: MessageHandler | undefined) {
    this.#handler = handler;
    super.onmessage = handler
      ? (message, extra) => {
          if (isJSONRPCRequest(message)) this.#pending.add(message.id);
          handler(message, extra);
          // A cancelled request is never answered (MCP cancellation), so stop waiting for it.
          if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
            const requestId = message.params?.['requestId'];
            if (typeof requestId === 'string' || typeof requestId === 'number') this.#settle(requestId);
          }
        }
      : undefined;
  }

  override async send(message: JSONRPCMessage, options?: { relatedRequestId?: RequestId }): Promise<void> {
    try {
      await super.send(message, options);
    } finally {
      if ((isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) && message.id !== undefined) this.#settle(message.id);
    }
  }

  /** Resolves once no request is waiting for its response. */
  drained(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #settle(id: RequestId): void {
    this.#pending.delete(id);
    if (this.#pending.size > 0) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
