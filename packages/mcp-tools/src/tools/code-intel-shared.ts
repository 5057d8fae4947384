// Schemas and helpers the code-intelligence tools share: how a location looks in a result, the
// position-or-symbol arguments, running one operation on several servers, and the notes a
// rendered result ends with.
import { z } from 'zod';
import type { ServerHandle } from '../lsp/code-intel-call.ts';
import { isToolError } from './tool-error.ts';

export const locationSchema = z.object({
  path: z.string(),
  line: z.number().int().describe('1-based line.'),
  column: z.number().int().describe('1-based column (UTF-16 code units, as search reports).'),
  end_line: z.number().int(),
  end_column: z.number().int(),
  text: z.string().describe('The line as it is in the file now (long lines cut around the column, marked with …).'),
});
export type LocationOutput = z.infer<typeof locationSchema>;

export const targetInput = {
  path: z.string().optional().describe('File relative to the repository root. With line and column: the position to ask about. With symbol: look for the symbol in this file only.'),
  line: z.number().int().min(1).optional().describe('1-based line of the name to ask about (as read_file and search show).'),
  column: z.number().int().min(1).optional().describe('1-based column of a character of the name.'),
  symbol: z.string().min(1).max(200).optional().describe('Instead of a position: a symbol name, e.g. "parseConfig", or qualified by its class, e.g. "Parser.parse".'),
};

export const notShownSchema = z.number().int().optional().describe('Results left out: outside this session\'s read scope, outside the repository, in .git, behind a symlink, or in files that no longer have that line.');
export const serverProblemsSchema = z
  .array(z.object({ server: z.string(), error: z.string() }))
  .optional()
  .describe('Language servers that could not answer; results from the others are still shown.');

export interface ServerProblem {
  server: string;
  error: string;
}

/**
 * Runs `each` for every server and gathers what answered. A server that fails is reported next
 * to the others' results; when every server fails, the first failure is the call's error.
 */
export async function acrossServers<T>(handles: readonly ServerHandle[], each: (handle: ServerHandle) => Promise<T>): Promise<{ results: T[]; problems: ServerProblem[] }> {
  const settled = await Promise.allSettled(handles.map((handle) => each(handle)));
  const results: T[] = [];
  const problems: ServerProblem[] = [];
  let firstError: unknown;
  settled.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') results.push(outcome.value);
    else {
      firstError ??= outcome.reason;
      problems.push({ server: handles[i]!.spec.id, error: isToolError(outcome.reason) ? outcome.reason.message : String((outcome.reason as Error)?.message ?? outcome.reason) });
    }
  });
  if (results.length === 0 && firstError !== undefined) throw firstError;
  return { results, problems };
}

export function renderLocation(location: LocationOutput): string {
  return `${location.path}:${location.line}:${location.column}: ${location.text.trim()}`;
}

/** The notes at the end of a rendered result: truncation, hidden results, failing servers. */
export function renderNotes(out: { truncated?: boolean; not_shown?: number | undefined; server_problems?: ServerProblem[] | undefined }, more: string): string[] {
  const notes: string[] = [];
  if (out.truncated) notes.push(`[more results exist: ${more}]`);
  if (out.not_shown) notes.push(`[${out.not_shown} result(s) not shown: outside this session's read scope or the repository]`);
  for (const problem of out.server_problems ?? []) notes.push(`[${problem.server} could not answer: ${problem.error}]`);
  return notes;
}

/** Sorts locations by path, then line, then column, dropping repeats. */
export function sortLocations<L extends { path: string; line: number; column: number }>(locations: L[]): L[] {
  const seen = new Set<string>();
  return locations
    .filter((l) => {
      const key = `${l.path}\0${l.line}\0${l.column}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.path === b.path ? a.line - b.line || a.column - b.column : a.path < b.path ? -1 : 1));
}
