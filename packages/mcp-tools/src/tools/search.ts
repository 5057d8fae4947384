// search: ripgrep over the files this session may read, streaming --json and stopping
// as soon as max_results matches are in hand.
import { z } from 'zod';
import { resolveRequestedPath } from '../confine/resolve-path.ts';
import { canRead } from '../permissions.ts';
import { compileUserGlob } from './path-glob.ts';
import { runRipgrep } from './ripgrep.ts';
import { scopeRoots } from './scope-roots.ts';
import { defineTool } from './tool.ts';
import { ToolError } from './tool-error.ts';

const MAX_LINE_CHARS = 300;

const input = z.object({
  query: z.string().min(1).describe('Text to find. Literal unless regex is true.'),
  regex: z.boolean().optional().describe('Treat query as a Rust/PCRE-style regular expression. Default false.'),
  glob: z.string().optional().describe('Only files matching this glob, e.g. "*.ts" or "src/**/*.py".'),
  path: z.string().optional().describe('Directory to search, relative to the root. Default: the whole repository.'),
  case_sensitive: z.boolean().optional().describe('Default false (case-insensitive).'),
  max_results: z.number().int().min(1).optional().describe('Stop after this many matches (capped by the session limit).'),
});

const match = z.object({
  path: z.string(),
  line: z.number().int().describe('1-based line number.'),
  column: z.number().int().describe('1-based column of the first match on the line.'),
  text: z.string().describe('The matching line (long lines shortened).'),
});

const output = z.object({
  matches: z.array(match),
  truncated: z.boolean().describe('True when there were more matches than max_results.'),
});

type Match = z.infer<typeof match>;

export const searchTool = defineTool({
  name: 'search',
  title: 'Search code',
  description:
    'Search the repository with ripgrep (respects .gitignore, skips binary files). Literal text by default; set regex=true ' +
    'for a regular expression. Returns path, line, column and the line text for each match, and truncated=true when more ' +
    'matches exist than max_results. Narrow with glob or path. Only files this session may read are searched.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, ctx) {
    const dir = resolveRequestedPath(ctx.root, args.path ?? '');
    if (!dir.ok) throw new ToolError({ code: `path_${dir.reason}`, message: dir.message, fault: 'permission' });
    const limit = Math.min(args.max_results ?? ctx.grant.limits.maxResults, ctx.grant.limits.maxResults);
    const matchesGlob = compileUserGlob(args.glob);
    const roots = scopeRoots(ctx.grant, dir.rel);
    if (roots.length === 0) return { matches: [], truncated: false };
    const rgArgs = [
      '--json',
      '--hidden',
      '--no-require-git',
      '--no-config',
      '--glob',
      '!.git',
      ...(args.glob ? ['--glob', args.glob] : []),
      args.case_sensitive ? '--case-sensitive' : '--ignore-case',
      ...(args.regex ? [] : ['--fixed-strings']),
      '--max-columns',
      '4096',
      '-e',
      args.query,
      '--',
      ...roots.map((r) => (r === '' ? '.' : r)),
    ];
    const run = runRipgrep(rgArgs, { cwd: ctx.root, signal: ctx.signal });
    const matches: Match[] = [];
    let truncated = false;
    for await (const line of run.lines) {
      const hit = parseMatch(line);
      if (!hit || !canRead(ctx.grant, hit.path) || !matchesGlob(hit.path)) continue;
      if (matches.length >= limit) {
        truncated = true;
        break;
      }
      matches.push(hit);
    }
    if (!truncated) await run.done;
    matches.sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));
    return { matches, truncated };
  },
  render(out) {
    if (out.matches.length === 0) return 'No matches.';
    const lines = out.matches.map((m) => `${m.path}:${m.line}:${m.column}: ${m.text}`);
    if (out.truncated) lines.push(`[first ${out.matches.length} matches shown; more exist: narrow the query, glob or path]`);
    return lines.join('\n');
  },
});

interface RgMatchMessage {
  type: 'match';
  data: {
    path: { text?: string };
    lines: { text?: string };
    line_number: number;
    submatches: { start: number }[];
  };
}

/** Parses one line of `rg --json`; returns undefined for non-match messages and paths that are not UTF-8. */
export function parseMatch(jsonLine: string): Match | undefined {
  if (!jsonLine.startsWith('{"type":"match"')) return undefined;
  const message = JSON.parse(jsonLine) as RgMatchMessage;
  const rawPath = message.data.path.text;
  const text = message.data.lines.text;
  if (rawPath === undefined || text === undefined) return undefined;
  const path = rawPath.startsWith('./') ? rawPath.slice(2) : rawPath;
  const lineText = text.replace(/\r?\n$/, '');
  const byteStart = message.data.submatches[0]?.start ?? 0;
  const column = Buffer.from(lineText).subarray(0, byteStart).toString('utf8').length + 1;
  const shown = lineText.length > MAX_LINE_CHARS ? `${lineText.slice(0, MAX_LINE_CHARS)}…` : lineText;
  return { path, line: message.data.line_number, column, text: shown };
}
