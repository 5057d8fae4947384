// Server-sent events for one run: first the events after the client's last seen seq, then
// every new one. New events are found by polling the source, and sooner when the source
// pushes a notification; reads are serialized so events go out once and in order.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DashboardSource } from './dashboard-source.ts';
import { SECURITY_HEADERS } from './http-io.ts';

export interface RunEventStreamOptions {
  request: IncomingMessage;
  response: ServerResponse;
  source: DashboardSource;
  runId: string;
  afterSeq: number;
  pollMs: number;
  /** Called once the stream has ended, for the server's bookkeeping. */
  onClose?: () => void;
}

export function streamRunEvents(options: RunEventStreamOptions): { close: () => void } {
  const { response, source, runId } = options;
  let lastSeq = options.afterSeq;
  let closed = false;
  let reading: Promise<void> | undefined;
  let again = false;

  response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
  response.write(': baton run events\n\n');

  const readNew = async (): Promise<void> => {
    const events = (await source.events(runId, lastSeq)) ?? [];
    for (const event of events) {
      if (closed || event.seq <= lastSeq) continue;
      lastSeq = event.seq;
      response.write(`id: ${event.seq}\nevent: run-event\ndata: ${JSON.stringify(event)}\n\n`);
    }
  };
  const pump = (): void => {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = readNew()
      .catch((error: unknown) => {
        if (!closed) response.write(`event: stream-error\ndata: ${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n\n`);
      })
      .finally(() => {
        reading = undefined;
        if (again) {
          again = false;
          pump();
        }
      });
  };

  const timer = setInterval(pump, options.pollMs);
  const unsubscribe = source.subscribe?.(runId, () => pump());
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    unsubscribe?.();
    response.end();
    options.onClose?.();
  };
  options.request.on('close', close);
  pump();
  return { close };
}
