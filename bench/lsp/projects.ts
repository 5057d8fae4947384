// Deterministic projects for the language-server bench, generated once (in the system temp directory): a
// TypeScript project and a Python project of ~2,000 files each. Every file imports from the file
// at half its number, the one before it, and file 7 (so f0007 is called from everywhere), so
// definitions and references cross files the way they do in real code.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface GeneratedProject {
  root: string;
  files: number;
  /** A call, in a file three quarters of the way in, to a function of another file. */
  probe: { path: string; line: number; column: number; callee: string };
  /** A function nearly every file calls. */
  popular: string;
  /** A class to look up by name. */
  className: string;
}

const POPULAR = 7;
const pad = (n: number) => String(n).padStart(4, '0');
const dirOf = (i: number) => `pkg${String(i % 40).padStart(2, '0')}`;
const importsOf = (i: number) => [...new Set([Math.floor(i / 2), i - 1, POPULAR])].filter((j) => j >= 0 && j < i).sort((a, b) => a - b);

function typescriptFile(i: number): string[] {
  const deps = importsOf(i);
  return [
    ...deps.map((j) => `import { f${pad(j)}, C${pad(j)}, type Shape${pad(j)} } from '../${dirOf(j)}/m${pad(j)}';`),
    '',
    `export interface Shape${pad(i)} {`,
    '  id: number;',
    '  name: string;',
    ...deps.slice(0, 1).map((j) => `  parent?: Shape${pad(j)};`),
    '}',
    '',
    `export class C${pad(i)} {`,
    `  constructor(readonly shape: Shape${pad(i)}) {}`,
    '  area(): number {',
    `    return ${deps.length > 0 ? deps.map((j) => `f${pad(j)}(this.shape.id)`).join(' + ') : 'this.shape.id'};`,
    '  }',
    ...deps.slice(0, 1).flatMap((j) => [`  sibling(): C${pad(j)} {`, `    return new C${pad(j)}({ id: ${j}, name: 'n${j}' });`, '  }']),
    '}',
    '',
    `export function f${pad(i)}(x: number): number {`,
    `  return x * 2${deps.map((j) => ` + f${pad(j)}(x - 1)`).join('')};`,
    '}',
    '',
    `export const k${pad(i)} = new C${pad(i)}({ id: ${i}, name: 'n${i}' });`,
    '',
  ];
}

function pythonFile(i: number): string[] {
  const deps = importsOf(i);
  return [
    ...deps.map((j) => `from ${dirOf(j)}.m${pad(j)} import f${pad(j)}, C${pad(j)}`),
    '',
    '',
    `class C${pad(i)}:`,
    '    def __init__(self, x: int) -> None:',
    '        self.x = x',
    '',
    '    def area(self) -> int:',
    `        return ${deps.length > 0 ? deps.map((j) => `f${pad(j)}(self.x)`).join(' + ') : 'self.x'}`,
    ...deps.slice(0, 1).flatMap((j) => ['', `    def sibling(self) -> C${pad(j)}:`, `        return C${pad(j)}(${j})`]),
    '',
    '',
    `def f${pad(i)}(x: int) -> int:`,
    `    return x * 2${deps.map((j) => ` + f${pad(j)}(x - 1)`).join('')}`,
    '',
    '',
    `k${pad(i)} = C${pad(i)}(${i})`,
    '',
  ];
}

export function ensureTypeScriptProject(dir: string, files: number): Promise<GeneratedProject> {
  return ensure({ dir, files, ext: 'ts', render: typescriptFile, extra: { 'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true }, include: ['pkg*'] }, null, 2) } });
}

export function ensurePythonProject(dir: string, files: number): Promise<GeneratedProject> {
  const inits = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${dirOf(i)}/__init__.py`, '']));
  return ensure({ dir, files, ext: 'py', render: pythonFile, extra: inits });
}

async function ensure(options: { dir: string; files: number; ext: 'ts' | 'py'; render: (i: number) => string[]; extra: Record<string, string> }): Promise<GeneratedProject> {
  const { dir, files, ext } = options;
  const marker = path.join(dir, `.complete-${ext}-${files}-v2`);
  if (!existsSync(marker)) {
    for (let d = 0; d < 40; d++) await mkdir(path.join(dir, dirOf(d)), { recursive: true });
    for (const [rel, text] of Object.entries(options.extra)) await writeFile(path.join(dir, rel), text);
    for (let i = 0; i < files; i++) await writeFile(path.join(dir, dirOf(i), `m${pad(i)}.${ext}`), options.render(i).join('\n'));
    await writeFile(marker, '');
  }
  const i = Math.floor(files * 0.75);
  const callee = `f${pad(Math.floor(i / 2))}`;
  const lines = options.render(i);
  const line = lines.findIndex((l) => l.includes(`${callee}(`) && !l.includes('import'));
  return {
    root: dir,
    files,
    probe: { path: `${dirOf(i)}/m${pad(i)}.${ext}`, line: line + 1, column: lines[line]!.indexOf(`${callee}(`) + 1, callee },
    popular: `f${pad(POPULAR)}`,
    className: `C${pad(Math.floor(files / 3))}`,
  };
}
