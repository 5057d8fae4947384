// Renders a corpus patch in the two other dialects apply_diff reads — search/replace blocks and
// V4A apply_patch envelopes — keeping the same (possibly mutated) hunk lines, so each dialect is
// scored on the same edits and the same mistakes.
import { parsePatch } from '@baton/mcp-tools';

export type Dialect = 'unified' | 'search_replace' | 'v4a';

/** Kinds whose mistake lives in unified-diff headers only (line numbers, counts, markers). */
export const HEADER_ONLY_KINDS = new Set(['wrong_line_numbers', 'wrong_counts', 'wrong_numbers_and_counts', 'bare_hunk_headers', 'hunks_out_of_order_wrong_numbers', 'no_final_newline_marker_missing']);

/** The patch in `dialect`, or undefined when the dialect cannot say it (search/replace cannot delete a file). */
export function render(unified: string, dialect: Dialect): string | undefined {
  if (dialect === 'unified') return unified;
  const files = parsePatch(unified);
  if (dialect === 'search_replace') {
    if (files.some((f) => f.newPath === undefined)) return undefined;
    return files
      .flatMap((f) =>
        f.hunks.map((h) => {
          const search = f.oldPath === undefined ? [] : h.lines.filter((l) => l.kind !== 'add').map((l) => l.text);
          const replace = h.lines.filter((l) => l.kind !== 'remove').map((l) => l.text);
          return [f.newPath, '<<<<<<< SEARCH', ...search, '=======', ...replace, '>>>>>>> REPLACE'].join('\n');
        }),
      )
      .join('\n\n')
      .concat('\n');
  }
  const out = ['*** Begin Patch'];
  for (const f of files) {
    if (f.newPath === undefined) {
      out.push(`*** Delete File: ${f.oldPath}`);
      continue;
    }
    out.push(f.oldPath === undefined ? `*** Add File: ${f.newPath}` : `*** Update File: ${f.newPath}`);
    for (const h of f.hunks) {
      if (f.oldPath !== undefined) out.push('@@');
      for (const l of h.lines) out.push(`${l.kind === 'add' ? '+' : l.kind === 'remove' ? '-' : ' '}${l.text}`);
    }
  }
  out.push('*** End Patch');
  return `${out.join('\n')}\n`;
}
