// The live task table `baton run` shows: redrawn in place on a terminal, one plain line
// per change otherwise (logs, CI, pipes).
import type { Style } from './style.ts';
import { plainVisibleText } from './terminal-text.ts';

export interface ProgressRow {
  id: string;
  status: string;
  worker: string;
  elapsedMs: number;
  tokens: number;
  costUsd: number;
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatTokens(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1_000 ? `${(n / 1_000).toFixed(1)}k` : String(n);
}

export function formatUsd(n: number): string {
  return `$${n.toFixed(n >= 10 ? 2 : 4)}`;
}

function statusColor(style: Style, status: string): (s: string) => string {
  if (status === 'done') return style.green;
  if (status === 'failed' || status === 'blocked') return style.red;
  if (status === 'in_progress' || status === 'awaiting_review' || status === 'rework') return style.cyan;
  if (status === 'escalated' || status === 'awaiting_human') return style.yellow;
  return style.dim;
}

/** Renders the table as lines (no trailing newline), padded so columns line up. */
export function renderProgressTable(rows: readonly ProgressRow[], style: Style): string[] {
  const header = ['TASK', 'STATE', 'WORKER', 'ELAPSED', 'TOKENS', 'COST'];
  // Widths are measured, so markers stay unstyled here.
  const cells = rows.map((r) => [plainVisibleText(r.id), plainVisibleText(r.status), plainVisibleText(r.worker), formatDuration(r.elapsedMs), formatTokens(r.tokens), formatUsd(r.costUsd)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const pad = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [style.bold(pad(header))];
  cells.forEach((c, index) => {
    const color = statusColor(style, rows[index]!.status);
    const text = pad(c);
    const statusStart = widths[0]! + 2;
    lines.push(text.slice(0, statusStart) + color(text.slice(statusStart, statusStart + widths[1]!)) + text.slice(statusStart + widths[1]!));
  });
  return lines;
}

/** Draws the table on a terminal, moving the cursor back up to redraw in place. */
export class LiveTable {
  private drawn = 0;
  private readonly last = new Map<string, string>();
  private readonly out: NodeJS.WriteStream;
  private readonly style: Style;

  constructor(out: NodeJS.WriteStream, style: Style) {
    this.out = out;
    this.style = style;
  }

  update(rows: readonly ProgressRow[]): void {
    if (this.out.isTTY) {
      const lines = renderProgressTable(rows, this.style);
      const up = this.drawn > 0 ? `\u001b[${this.drawn}F` : '';
      this.out.write(`${up}${lines.map((l) => `${l}\u001b[K`).join('\n')}\n`);
      this.drawn = lines.length;
      return;
    }
    for (const row of rows) {
      const key = `${row.status}|${row.worker}`;
      if (this.last.get(row.id) === key) continue;
      this.last.set(row.id, key);
      this.out.write(`task ${plainVisibleText(row.id)}: ${plainVisibleText(row.status)}${row.worker ? ` (${plainVisibleText(row.worker)})` : ''} ${formatTokens(row.tokens)} tokens ${formatUsd(row.costUsd)}\n`);
    }
  }
}
