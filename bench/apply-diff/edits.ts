// Realistic edits to a real source file, chosen by a seeded random source: change a token in a
// line or two, insert a few lines at the surrounding indentation, delete lines, or replace a
// small block. Each returns the whole new list of lines.

export type Random = () => number;

export function seeded(seed: number): Random {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(items: readonly T[], rand: Random): T => items[Math.floor(rand() * items.length)]!;

export type EditKind = 'modify' | 'insert' | 'delete' | 'replace_block';
const KINDS: readonly EditKind[] = ['modify', 'insert', 'delete', 'replace_block'];

/** A non-blank line index in [from, to) with some substance, or `from` after many tries. */
export function pickLine(lines: readonly string[], rand: Random, from = 3, to = lines.length - 4): number {
  for (let tries = 0; tries < 50; tries++) {
    const at = from + Math.floor(rand() * Math.max(1, to - from));
    if (lines[at] !== undefined && lines[at]!.trim().length > 3) return at;
  }
  return from;
}

const indentOf = (line: string) => /^\s*/.exec(line)![0];

/** Changes one identifier, number or string in the line, as a rename or a fixed value would. */
function changeToken(line: string, rand: Random, tag: number): string {
  const tokens = [...line.matchAll(/\b[A-Za-z_]\w{2,}\b|\b\d+\b/g)];
  if (tokens.length === 0) return `${line} // adjusted ${tag}`;
  const token = pick(tokens, rand);
  const at = token.index;
  const replacement = /^\d+$/.test(token[0]) ? String(Number(token[0]) + 1 + (tag % 7)) : `${token[0]}V${tag % 97}`;
  return line.slice(0, at) + replacement + line.slice(at + token[0].length);
}

function newLines(indent: string, count: number, rand: Random, tag: number): string[] {
  const shapes = [
    (n: number) => `${indent}const probe${n} = ${n % 13};`,
    (n: number) => `${indent}// Keep in step with the caller (case ${n}).`,
    (n: number) => `${indent}if (probe${n} > 1) log('edited ${n}');`,
  ];
  return Array.from({ length: count }, (_, i) => pick(shapes, rand)(tag + i));
}

export function editAt(lines: readonly string[], at: number, rand: Random): { kind: EditKind; lines: string[] } {
  const kind = pick(KINDS, rand);
  const tag = Math.floor(rand() * 1e6);
  const next = [...lines];
  const indent = indentOf(lines[at] ?? '');
  switch (kind) {
    case 'modify': {
      const count = 1 + Math.floor(rand() * 2);
      for (let i = 0; i < count && at + i < next.length; i++) if (next[at + i]!.trim() !== '') next[at + i] = changeToken(next[at + i]!, rand, tag + i);
      break;
    }
    case 'insert':
      next.splice(at + 1, 0, ...newLines(indent, 1 + Math.floor(rand() * 3), rand, tag));
      break;
    case 'delete':
      next.splice(at, 1 + Math.floor(rand() * 2));
      break;
    case 'replace_block':
      next.splice(at, 2, ...newLines(indent, 3, rand, tag));
      break;
  }
  return { kind, lines: next };
}
