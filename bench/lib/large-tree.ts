// Generates a deterministic source-like tree with tens of thousands of files for the
// search benchmark, once, under bench/.data (gitignored).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const WORDS = ['account', 'handler', 'request', 'response', 'cache', 'user', 'order', 'invoice', 'token', 'session', 'payload', 'render'];

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export async function ensureLargeTree(options: { dir: string; files: number }): Promise<string> {
  const marker = path.join(options.dir, `.complete-${options.files}-v2`);
  if (existsSync(marker)) return options.dir;
  const random = seededRandom(42);
  const pick = () => WORDS[Math.floor(random() * WORDS.length)]!;
  for (let i = 0; i < options.files; i++) {
    const dir = path.join(options.dir, `pkg${i % 50}`, `mod${Math.floor(i / 50) % 40}`);
    if (i % 1000 === 0 || i < 2000) await mkdir(dir, { recursive: true });
    const lines: string[] = [];
    for (let l = 0; l < 60; l++) {
      lines.push(`export function ${pick()}${l}(${pick()}: string) { return ${pick()}.length + ${Math.floor(random() * 1000)}; }`);
    }
    if (i % 300 === 0) lines.push('// NEEDLE_MARKER: rare line the benchmark searches for');
    if (i % 10 === 0) lines.push(`// COMMON_MARKER ${pick()} ${pick()}: a line in one file of ten, for searches with thousands of matches`);
    await writeFile(path.join(dir, `file${i}.ts`), `${lines.join('\n')}\n`);
  }
  await writeFile(marker, '');
  return options.dir;
}
