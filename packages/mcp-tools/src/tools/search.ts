// search: ripgrep over the files this session may read, streaming --json and stopping
// as soon as max_results matches are in hand.
import { closeSync, readSync } from 'node:fs';
import { z } from 'zod';
import { resolveSearchDir, withRoot } from '../confine/access.ts';
import type { RootHandle } from '../confine/beneath.ts';
import { createPathVerifier } from '../confine/path-verifier.ts';
import { canRead } from '../permissions.ts';
import { matchExcerpt, type Excerpt } from './match-excerpt.ts';
import { compileUserGlob } from './path-glob.ts';
import { parseRgMatch, type RgMatch } from './rg-match.ts';
import { runRipgrep } from './ripgrep.ts';
import { scopeRoots } from './scope-roots.ts';
import { defineTool } from './tool.ts';

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
  text: z.string().describe('The matching line (long lines shortened around the match, marked with …).'),
  not_utf8: z.boolean().optional().describe('The line is not valid UTF-8; bytes that do not decode show as U+FFFD.'),
});

const output = z.object({
  matches: z.array(match),
  truncated: z.boolean().describe('True when there were more matches than max_results.'),
  left_out: z.number().int().optional().describe('Matches ripgrep found that are not returned: the file changed during the search, or its name is not UTF-8.'),
});

type Match = z.infer<typeof match>;

export const searchTool = defineTool({
  name: 'search',
  title: 'Search code',
  description:
    'Search the repository with ripgrep (respects .gitignore, skips binary files). Literal text by default; set regex=true ' +
    'for a regular expression. Returns path, line, column and the line text for each match, and truncated=true when more ' +
    'matches exist than max_results. Narrow with glob or path. Only files this session may read are searched; symlinks are not followed.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, ctx) {
    return withRoot(ctx, async (root) => {
      const dir = resolveSearchDir(ctx, root, args.path ?? '');
      const limit = Math.min(args.max_results ?? ctx.grant.limits.maxResults, ctx.grant.limits.maxResults);
      const matchesGlob = compileUserGlob(args.glob);
      const roots = dir.isFile ? [dir.rel] : scopeRoots(ctx.grant, dir.rel);
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
        '-e',
        args.query,
        '--',
        ...roots.map((r) => (r === '' ? '.' : r)),
      ];
      const run = runRipgrep(rgArgs, { cwd: ctx.root, signal: ctx.signal });
      const reader = createMatchReader(root);
      const matches: Match[] = [];
      let truncated = false;
      let leftOut = 0;
      try {
        for await (const line of run.lines) {
          const hit = parseRgMatch(line);
          if (!hit) continue;
          if (hit.path === undefined) {
            leftOut++;
            continue;
          }
          if (!canRead(ctx.grant, hit.path) || !matchesGlob(hit.path)) continue;
          const excerpt = reader.excerpt(hit.path, hit);
          if (!excerpt) {
            leftOut++;
            continue;
          }
          if (matches.length >= limit) {
            truncated = true;
            break;
          }
          matches.push({ path: hit.path, line: hit.line, column: excerpt.column, text: excerpt.text, ...(excerpt.lossy ? { not_utf8: true } : {}) });
        }
        if (!truncated) await run.done;
      } finally {
        reader.close();
      }
      matches.sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));
      return { matches, truncated, ...(leftOut > 0 ? { left_out: leftOut } : {}) };
    });
  },
  render(out) {
    const lines = out.matches.map((m) => `${m.path}:${m.line}:${m.column}: ${m.text}${m.not_utf8 ? ' [not UTF-8]' : ''}`);
    if (lines.length === 0) lines.push('No matches.');
    if (out.truncated) lines.push(`[first ${out.matches.length} matches shown; more exist: narrow the query, glob or path]`);
    if (out.left_out) lines.push(`[${out.left_out} match(es) left out: their files changed during the search or their names are not UTF-8]`);
    return lines.join('\n');
  },
});

/**
 * Reads match excerpts from the files themselves: each file ripgrep reports is opened by
 * descriptor (no symlinks, regular files only) once, kept open while its matches arrive.
 */
function createMatchReader(root: RootHandle) {
  const verifier = createPathVerifier(root);
  // One buffer for every excerpt read; matchExcerpt is done with it before the next read.
  let scratch = Buffer.allocUnsafe(4_096);
  let current: { rel: string; fd: number | undefined } | undefined;
  const release = () => {
    if (current?.fd !== undefined) closeSync(current.fd);
    current = undefined;
  };
  return {
    excerpt(rel: string, hit: RgMatch): Excerpt | undefined {
      if (current?.rel !== rel) {
        release();
        current = { rel, fd: verifier.openRegularFile(rel)?.fd };
      }
      const fd = current.fd;
      if (fd === undefined) return undefined;
      return matchExcerpt(hit, (position, length) => {
        if (length > scratch.length) scratch = Buffer.allocUnsafe(length);
        const read = readSync(fd, scratch, 0, length, position);
        return scratch.subarray(0, read);
      });
    },
    close() {
      release();
      verifier.close();
    },
  };
}
