// Turns telemetry on for a run when the environment asks for it (OTEL_EXPORTER_OTLP_ENDPOINT,
// or the traces- or metrics-specific endpoint, and not OTEL_SDK_DISABLED=true). When it does
// not, nothing of OpenTelemetry is imported and nothing runs: the exporter module is loaded
// with a dynamic import only here.
import type { RunStore } from '../store/run-store.ts';

export interface RunTelemetry {
  /** Stops following the run and flushes what was recorded to the collector. */
  close(): Promise<void>;
}

const OFF: RunTelemetry = { close: async () => {} };

export function telemetryWanted(env: Readonly<Record<string, string | undefined>>): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  return ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'].some((name) => (env[name] ?? '').trim() !== '');
}

/**
 * Follows a run's events (those already stored, then live ones) and exports its trace and
 * metrics over OTLP. Spans and points that end at or before `exportAfterSeq` were another
 * process's to send and are skipped.
 */
export async function startRunTelemetry(options: { store: RunStore; runId: string; exportAfterSeq: number; env?: Readonly<Record<string, string | undefined>> }): Promise<RunTelemetry> {
  if (!telemetryWanted(options.env ?? process.env)) return OFF;
  const { followRunWithOtel } = await import('./otel-export.ts');
  return followRunWithOtel(options);
}
