// Renders a corpus patch in the two other dialects apply_diff reads — search/replace blocks and
// V4A apply_patch envelopes — keeping the same (possibly mutated) hunk lines, so each dialect is
// scored on the same edits and the same mistakes.
import { parsePatch } from '@baton/mcp-tools';

export type Dialect = 'unified' | 'search_replace' | 'v4a';

/** Kinds whose mistake lives in unified-diff headers only (line numbers, counts). */
export const HEADER_ONLY_KINDS = new Set(['wrong_line_numbers', 'wrong_counts']);

export function render(unified: string, dialect: Dialect): string {
  if (dialect === 'unified') return unified;
  const files = parsePatch(unified);
  if (dialect === 'search_replace') {
    return files
      .flatMap((f) =>
        f.hunks.map((h) => {
          const search = h.lines.filter((l) => l.kind !== 'add').map((l) => l.text);
          const replace = h.lines.filter((l) => l.kind !== 'remove').map((l) => l.text);
          return [f.newPath ?? f.oldPath, '<<<<<<< SEARCH', ...search, '=======', ...replace, '>>>>>>> REPLACE'].join('\n');
        }),
      )
      .join('\n\n')
      .concat('\n');
  }
  const out = ['*** Begin Patch'];
  for (const f of files) {
    out.push(`*** Update File: ${f.newPath ?? f.oldPath}`);
    for (const h of f.hunks) {
      out.push('@@');
      for (const l of h.lines) out.push(`${l.kind === 'add' ? '+' : l.kind === 'remove' ? '-' : ' '}${l.text}`);
    }
  }
  out.push('*** End Patch');
  return `${out.join('\n')}\n`;
}
