// Small statistics helpers shared by the benchmarks: medians, percentiles, ratios.

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`;
}

/** Runs `a` and `b` alternately `rounds` times so machine noise hits both alike. */
export async function interleave(rounds: number, a: () => Promise<number>, b: () => Promise<number>): Promise<{ a: number[]; b: number[] }> {
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      out.a.push(await a());
      out.b.push(await b());
    } else {
      out.b.push(await b());
      out.a.push(await a());
    }
  }
  return out;
}

export function ratioLine(label: string, subject: number[], baseline: number[]): string {
  const ratio = median(subject) / median(baseline);
  return `${label}: ${formatMs(median(subject))} vs ${formatMs(median(baseline))} baseline (median of ${subject.length}) -> ratio ${ratio.toFixed(3)}x`;
}
