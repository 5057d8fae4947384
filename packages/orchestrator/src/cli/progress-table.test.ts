import { describe, expect, it } from 'vitest';
import { formatDuration, LiveTable, renderProgressTable } from './progress-table.ts';
import { createStyle } from './style.ts';

const rows = [
  { id: 'discover', status: 'done', worker: 'scripted:worker', elapsedMs: 4_200, tokens: 1_234, costUsd: 0 },
  { id: 'csv-serializer', status: 'in_progress', worker: 'anthropic:claude-haiku-4-5', elapsedMs: 65_000, tokens: 12_345, costUsd: 0.0123 },
];

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream, writes };
}

describe('progress table', () => {
  it('aligns columns and formats numbers without colour when disabled', () => {
    const lines = renderProgressTable(rows, createStyle(false));
    expect(lines[0]).toBe('TASK            STATE        WORKER                      ELAPSED  TOKENS  COST');
    expect(lines[2]).toBe('csv-serializer  in_progress  anthropic:claude-haiku-4-5  1m05s    12.3k   $0.0123');
    expect(lines.join('\n')).not.toMatch(/\u001b/);
    expect(formatDuration(3_725_000)).toBe('1h02m');
  });

  it('redraws in place on a terminal and prints only changes otherwise', () => {
    const tty = fakeStream(true);
    const table = new LiveTable(tty.stream, createStyle(false));
    table.update(rows);
    table.update(rows);
    expect(tty.writes[1]).toMatch(/^\u001b\[3F/);

    const pipe = fakeStream(false);
    const plain = new LiveTable(pipe.stream, createStyle(false));
    plain.update(rows);
    plain.update(rows);
    plain.update([{ ...rows[1]!, status: 'done' }]);
    expect(pipe.writes).toEqual([
      'task discover: done (scripted:worker) 1.2k tokens $0.0000\n',
      'task csv-serializer: in_progress (anthropic:claude-haiku-4-5) 12.3k tokens $0.0123\n',
      'task csv-serializer: done (anthropic:claude-haiku-4-5) 12.3k tokens $0.0123\n',
    ]);
  });
});
