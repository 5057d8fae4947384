// The in-process audit stream: subscribers, async iteration, isolation from failing listeners.
import { describe, expect, it } from 'vitest';
import { createAuditStream } from './audit-stream.ts';
import type { ToolCallRecord } from './tool-call-record.ts';

function record(n: number): ToolCallRecord {
  return { type: 'tool.call', at: new Date(n).toISOString(), sessionId: 's', grantId: 'g', tool: 'read_file', args: { n }, filesRead: [], filesWritten: [], deniedPaths: [], ok: true, summary: `call ${n}`, durationMs: 0 };
}

describe('createAuditStream', () => {
  it('delivers records to subscribers until they unsubscribe', () => {
    const stream = createAuditStream();
    const seen: number[] = [];
    const unsubscribe = stream.subscribe((r) => seen.push(r.args['n'] as number));
    stream.publish(record(1));
    unsubscribe();
    stream.publish(record(2));
    expect(seen).toEqual([1]);
  });

  it('keeps publishing to the others when a subscriber throws, and reports the error', () => {
    const errors: unknown[] = [];
    const stream = createAuditStream({ onListenerError: (e) => errors.push(e) });
    const seen: number[] = [];
    stream.subscribe(() => {
      throw new Error('disk full');
    });
    stream.subscribe((r) => seen.push(r.args['n'] as number));
    expect(() => stream.publish(record(1))).not.toThrow();
    expect(seen).toEqual([1]);
    expect(String(errors[0])).toMatch(/disk full/);
  });

  it('iterates records in order, including those published before the reader awaits, and ends on close', async () => {
    const stream = createAuditStream();
    const iterator = stream.records();
    stream.publish(record(1));
    stream.publish(record(2));
    const collected = (async () => {
      const out: number[] = [];
      for await (const r of iterator) out.push(r.args['n'] as number);
      return out;
    })();
    stream.publish(record(3));
    stream.close();
    stream.publish(record(4));
    expect(await collected).toEqual([1, 2, 3]);
  });

  it('ends an iterator when its signal aborts', async () => {
    const stream = createAuditStream();
    const controller = new AbortController();
    const iterator = stream.records({ signal: controller.signal });
    const next = iterator.next();
    controller.abort();
    expect(await next).toEqual({ value: undefined, done: true });
    stream.publish(record(1));
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });
});
