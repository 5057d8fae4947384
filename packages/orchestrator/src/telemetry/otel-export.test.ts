// The official OpenTelemetry exporters send the run's trace and metrics over OTLP/HTTP
// (protobuf) to a local receiver, which decodes them with the opentelemetry-proto definitions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRunTelemetry } from './start-telemetry.ts';
import { startOtlpReceiver, type OtlpReceiver } from './testing/otlp-receiver.ts';
import { recordSampleRun } from './testing/sample-run.ts';
import { traceIdOf, TraceBuilder, type SpanRecord } from './trace-model.ts';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = receiver.endpoint;
});
afterAll(async () => {
  delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  await receiver.close();
});

describe('OTLP export', () => {
  it('sends every span of the model with its ids, parents, times, attributes and status, and the metrics', async () => {
    const { store, writer, finish } = await recordSampleRun();
    // Telemetry starts mid-run: what is stored is replayed, what follows arrives live.
    const telemetry = await startRunTelemetry({ store, runId: 'r1', exportAfterSeq: 0, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'baton-test' } });
    await finish();
    await writer.release();
    await telemetry.close();

    const expected: SpanRecord[] = [];
    const builder = new TraceBuilder('r1');
    for (const e of await store.events('r1')) expected.push(...builder.push(e).spans);
    await receiver.waitFor((r) => r.spans.length >= expected.length);
    expect(receiver.problems).toEqual([]);
    expect(receiver.requests.every((r) => r.contentType === 'application/x-protobuf')).toBe(true);
    expect(receiver.spans).toHaveLength(expected.length);
    for (const want of expected) {
      const got = receiver.spans.find((s) => s.spanId === want.spanId);
      expect(got, want.name).toBeDefined();
      expect(got).toMatchObject({ traceId: traceIdOf('r1'), parentSpanId: want.parentSpanId ?? '', name: want.name, kind: want.kind === 'client' ? 'SPAN_KIND_CLIENT' : 'SPAN_KIND_INTERNAL', status: { code: `STATUS_CODE_${want.status.toUpperCase()}` } });
      expect(got!.startUnixNano).toBe(BigInt(want.startMs) * 1_000_000n);
      expect(got!.endUnixNano).toBe(BigInt(want.endMs) * 1_000_000n);
      expect(got!.attributes).toEqual(want.attributes);
      expect(got!.resource).toMatchObject({ 'service.name': 'baton-test', 'baton.run.id': 'r1' });
    }
    const tool = receiver.spans.find((s) => s.name === 'execute_tool apply_diff')!;
    expect(tool.attributes['baton.grant.id']).toBe('g-1');

    await receiver.waitFor((r) => r.points.some((p) => p.metric === 'baton.task.duration'));
    const tokens = receiver.points.filter((p) => p.metric === 'gen_ai.client.token.usage');
    expect(tokens.every((p) => p.type === 'histogram' && p.unit === '{token}')).toBe(true);
    expect(tokens.filter((p) => p.attributes['gen_ai.token.type'] === 'input').reduce((n, p) => n + p.value, 0)).toBe(900 + 1000 + 500 + 70);
    expect(receiver.points.filter((p) => p.metric === 'baton.cost').reduce((n, p) => n + p.value, 0)).toBeCloseTo(0.036, 9);
    expect(receiver.points.find((p) => p.metric === 'baton.task.reworks')).toMatchObject({ type: 'sum', value: 1 });
    const durations = receiver.points.filter((p) => p.metric === 'gen_ai.client.operation.duration');
    expect(durations.every((p) => p.unit === 's')).toBe(true);
    expect(durations.reduce((n, p) => n + (p.count ?? 0), 0)).toBe(3);
  });

  it('does nothing without an endpoint', async () => {
    const { store } = await recordSampleRun();
    const before = receiver.requests.length;
    const telemetry = await startRunTelemetry({ store, runId: 'r1', exportAfterSeq: 0, env: {} });
    await telemetry.close();
    const disabled = await startRunTelemetry({ store, runId: 'r1', exportAfterSeq: 0, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SDK_DISABLED: 'true' } });
    await disabled.close();
    expect(receiver.requests.length).toBe(before);
  });
});
