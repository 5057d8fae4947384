// The only module that loads OpenTelemetry (start-telemetry.ts imports it on demand). It
// replays a run's trace model into the official SDK: spans are created after the fact with
// their recorded start and end times and the ids the model chose, and exported over OTLP
// (HTTP/protobuf; endpoint, headers and timeouts from the standard OTEL_* variables).
import { context, diag, DiagLogLevel, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes as OtelAttributes, type Counter, type Histogram } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider, type IdGenerator } from '@opentelemetry/sdk-trace';
import { VERSION } from '@baton/mcp-tools';
import type { RunStore } from '../store/run-store.ts';
import type { StoredEvent } from '../store/run-event.ts';
import { BATON_METRIC, GEN_AI_METRIC } from './gen-ai-conventions.ts';
import type { RunTelemetry } from './start-telemetry.ts';
import { TraceBuilder, type MetricPoint, type SpanRecord } from './trace-model.ts';

/** Hands the SDK the ids the trace model chose for the span being started. */
class ChosenIds implements IdGenerator {
  next: { traceId: string; spanId: string } | undefined;
  generateTraceId(): string {
    return this.next?.traceId ?? '0'.repeat(31) + '1';
  }
  generateSpanId(): string {
    return this.next?.spanId ?? '0'.repeat(15) + '1';
  }
}

const KIND = { internal: SpanKind.INTERNAL, client: SpanKind.CLIENT } as const;
const STATUS = { unset: SpanStatusCode.UNSET, ok: SpanStatusCode.OK, error: SpanStatusCode.ERROR } as const;

/** Exporters take their endpoint, headers and timeouts from the process's OTEL_* variables, as the SDK documents. */
export async function followRunWithOtel(options: { store: RunStore; runId: string; exportAfterSeq: number; env?: Readonly<Record<string, string | undefined>> }): Promise<RunTelemetry> {
  const env = options.env ?? process.env;
  if (env['OTEL_LOG_LEVEL']?.toLowerCase() === 'debug') diag.setLogger({ verbose: () => {}, debug: (m) => process.stderr.write(`otel: ${m}\n`), info: () => {}, warn: (m) => process.stderr.write(`otel: ${m}\n`), error: (m) => process.stderr.write(`otel: ${m}\n`) }, DiagLogLevel.DEBUG);
  const resource = resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] ?? 'baton', 'service.version': VERSION, 'baton.run.id': options.runId });
  const ids = new ChosenIds();
  const tracerProvider = new TracerProvider({ resource, idGenerator: ids, spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })] });
  const metricReader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: 60_000 });
  const meterProvider = new MeterProvider({ resource, readers: [metricReader] });
  const tracer = tracerProvider.getTracer('baton', VERSION);
  const meter = meterProvider.getMeter('baton', VERSION);
  const instruments = new Map<string, Histogram | Counter>([
    [GEN_AI_METRIC.tokenUsage, meter.createHistogram(GEN_AI_METRIC.tokenUsage, { unit: '{token}', description: 'Input and output tokens per model call', advice: { explicitBucketBoundaries: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304] } })],
    [GEN_AI_METRIC.operationDuration, meter.createHistogram(GEN_AI_METRIC.operationDuration, { unit: 's', description: 'Duration of model calls', advice: { explicitBucketBoundaries: [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] } })],
    [BATON_METRIC.cost, meter.createCounter(BATON_METRIC.cost, { unit: 'USD', description: 'Model cost' })],
    [BATON_METRIC.taskDuration, meter.createHistogram(BATON_METRIC.taskDuration, { unit: 's', description: 'Time from a task\'s first attempt to its end' })],
    [BATON_METRIC.reworks, meter.createCounter(BATON_METRIC.reworks, { unit: '{rework}', description: 'Attempts sent back for rework' })],
  ]);

  const emitSpan = (span: SpanRecord) => {
    const parent = span.parentSpanId ? trace.setSpanContext(ROOT_CONTEXT, { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true }) : ROOT_CONTEXT;
    ids.next = { traceId: span.traceId, spanId: span.spanId };
    const otel = context.with(parent, () => tracer.startSpan(span.name, { kind: KIND[span.kind], startTime: new Date(span.startMs), attributes: span.attributes as OtelAttributes }, parent));
    ids.next = undefined;
    for (const event of span.events) otel.addEvent(event.name, event.attributes as OtelAttributes, new Date(event.timeMs));
    otel.setStatus({ code: STATUS[span.status], ...(span.statusMessage !== undefined ? { message: span.statusMessage } : {}) });
    otel.end(new Date(span.endMs));
  };
  const emitPoint = (point: MetricPoint) => {
    const instrument = instruments.get(point.name);
    if (!instrument) return;
    if ('record' in instrument) instrument.record(point.value, point.attributes as OtelAttributes);
    else instrument.add(point.value, point.attributes as OtelAttributes);
  };

  const builder = new TraceBuilder(options.runId);
  let lastSeq = 0;
  const feed = (event: StoredEvent) => {
    if (event.seq <= lastSeq) return;
    lastSeq = event.seq;
    const { spans, points } = builder.push(event);
    for (const span of spans) if (span.endSeq > options.exportAfterSeq) emitSpan(span);
    for (const point of points) if (point.seq > options.exportAfterSeq) emitPoint(point);
  };
  // Subscribe first, then replay: an event appended in between arrives twice and is fed once.
  const unsubscribe = options.store.subscribe(options.runId, feed);
  for (const event of await options.store.events(options.runId)) feed(event);

  return {
    async close() {
      unsubscribe();
      // Events another process appended (human decisions) are read once more before flushing.
      for (const event of await options.store.events(options.runId, { afterSeq: lastSeq })) feed(event);
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
