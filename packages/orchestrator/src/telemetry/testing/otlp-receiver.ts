// A local OTLP/HTTP receiver for tests: it decodes what exporters send (protobuf with the
// official opentelemetry-proto definitions, or OTLP JSON) into plain spans and metric points,
// and lets a test wait for what it expects without sleeping.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export type DecodedValue = string | number | boolean | DecodedValue[] | undefined;

export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  startUnixNano: bigint;
  endUnixNano: bigint;
  attributes: Record<string, DecodedValue>;
  events: { name: string; attributes: Record<string, DecodedValue> }[];
  status: { code: string; message: string };
  resource: Record<string, DecodedValue>;
}

export interface DecodedPoint {
  metric: string;
  unit: string;
  type: 'sum' | 'histogram' | 'gauge';
  attributes: Record<string, DecodedValue>;
  /** Sum value, or histogram sum. */
  value: number;
  count?: number;
}

export interface OtlpReceiver {
  /** Set OTEL_EXPORTER_OTLP_ENDPOINT to this. */
  endpoint: string;
  spans: DecodedSpan[];
  points: DecodedPoint[];
  requests: { path: string; contentType: string; bytes: number }[];
  problems: string[];
  /** Resolves when `check` holds (re-checked on every export), or rejects after `timeoutMs`. */
  waitFor(check: (receiver: OtlpReceiver) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const PROTO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'proto');
let root: protobuf.Root | undefined;

function protoRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
  r.loadSync(['opentelemetry/proto/collector/trace/v1/trace_service.proto', 'opentelemetry/proto/collector/metrics/v1/metrics_service.proto'], { keepCase: false });
  root = r;
  return r;
}

type Json = Record<string, unknown>;
const hex = (value: unknown) => (typeof value === 'string' ? (/^[0-9a-f]*$/i.test(value) && value.length % 2 === 0 && value.length !== 0 && !/[+/=]/.test(value) ? value.toLowerCase() : Buffer.from(value, 'base64').toString('hex')) : '');

function anyValue(v: Json | undefined): DecodedValue {
  if (!v) return undefined;
  if ('stringValue' in v) return String(v['stringValue']);
  if ('boolValue' in v) return Boolean(v['boolValue']);
  if ('intValue' in v) return Number(v['intValue']);
  if ('doubleValue' in v) return Number(v['doubleValue']);
  if ('arrayValue' in v) return (((v['arrayValue'] as Json)['values'] ?? []) as Json[]).map(anyValue);
  return undefined;
}

function attrs(list: unknown): Record<string, DecodedValue> {
  return Object.fromEntries(((list ?? []) as Json[]).map((kv) => [String(kv['key']), anyValue(kv['value'] as Json | undefined)]));
}

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const enumName = (names: string[], value: unknown) => (typeof value === 'number' ? (names[value] ?? String(value)) : String(value ?? names[0]));

function decode(kind: 'trace' | 'metrics', body: Buffer, contentType: string): Json {
  const type = protoRoot().lookupType(kind === 'trace' ? 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest' : 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
  if (contentType.startsWith('application/json')) {
    // OTLP JSON: ids are hex and enums may be numbers; checked against the schema by fromObject.
    const raw = JSON.parse(body.toString('utf8')) as Json;
    const problem = type.verify(raw);
    if (problem) throw new Error(`not an OTLP ${kind} request: ${problem}`);
    return raw;
  }
  const message = type.decode(body);
  return type.toObject(message, { longs: String, enums: String, bytes: String, defaults: false, arrays: true }) as Json;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const waiters = new Set<() => void>();
  const receiver: OtlpReceiver = {
    endpoint: '',
    spans: [],
    points: [],
    requests: [],
    problems: [],
    waitFor(check, timeoutMs = 30_000) {
      if (check(receiver)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`the OTLP receiver did not get what the test waited for within ${timeoutMs} ms (got ${receiver.spans.length} spans, ${receiver.points.length} points)`));
        }, timeoutMs);
        const wake = () => {
          if (!check(receiver)) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      });
    },
    close: async () => {},
  };

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const contentType = String(request.headers['content-type'] ?? '');
      receiver.requests.push({ path: request.url ?? '', contentType, bytes: body.length });
      try {
        if (request.method !== 'POST') throw new Error(`${request.method} ${request.url}: OTLP takes POST`);
        if (request.url === '/v1/traces') {
          for (const rs of (decode('trace', body, contentType)['resourceSpans'] ?? []) as Json[]) {
            const resource = attrs((rs['resource'] as Json | undefined)?.['attributes']);
            for (const ss of (rs['scopeSpans'] ?? []) as Json[]) {
              for (const s of (ss['spans'] ?? []) as Json[]) {
                const status = (s['status'] ?? {}) as Json;
                receiver.spans.push({
                  traceId: hex(s['traceId']),
                  spanId: hex(s['spanId']),
                  parentSpanId: hex(s['parentSpanId']),
                  name: String(s['name']),
                  kind: enumName(SPAN_KINDS, s['kind']),
                  startUnixNano: BigInt(String(s['startTimeUnixNano'] ?? '0')),
                  endUnixNano: BigInt(String(s['endTimeUnixNano'] ?? '0')),
                  attributes: attrs(s['attributes']),
                  events: ((s['events'] ?? []) as Json[]).map((e) => ({ name: String(e['name']), attributes: attrs(e['attributes']) })),
                  status: { code: enumName(STATUS_CODES, status['code']), message: String(status['message'] ?? '') },
                  resource,
                });
              }
            }
          }
        } else if (request.url === '/v1/metrics') {
          for (const rm of (decode('metrics', body, contentType)['resourceMetrics'] ?? []) as Json[]) {
            for (const sm of (rm['scopeMetrics'] ?? []) as Json[]) {
              for (const m of (sm['metrics'] ?? []) as Json[]) {
                const base = { metric: String(m['name']), unit: String(m['unit'] ?? '') };
                const sum = m['sum'] as Json | undefined;
                const histogram = m['histogram'] as Json | undefined;
                for (const p of ((sum ?? histogram)?.['dataPoints'] ?? []) as Json[]) {
                  receiver.points.push(
                    sum
                      ? { ...base, type: 'sum', attributes: attrs(p['attributes']), value: Number(p['asDouble'] ?? p['asInt'] ?? 0) }
                      : { ...base, type: 'histogram', attributes: attrs(p['attributes']), value: Number(p['sum'] ?? 0), count: Number(p['count'] ?? 0) },
                  );
                }
              }
            }
          }
        } else {
          throw new Error(`no OTLP endpoint ${request.url}`);
        }
        response.writeHead(200, { 'content-type': contentType.startsWith('application/json') ? 'application/json' : 'application/x-protobuf' });
        response.end(contentType.startsWith('application/json') ? '{}' : undefined);
      } catch (error) {
        receiver.problems.push(error instanceof Error ? error.message : String(error));
        response.writeHead(400);
        response.end();
      }
      for (const wake of [...waiters]) wake();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  return receiver;
}
