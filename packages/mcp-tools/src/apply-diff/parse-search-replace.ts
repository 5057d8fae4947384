// Search/replace blocks, the edit format many coding agents use:
//
//   path/to/file.ts
//   <<<<<<< SEARCH
//   old lines
//   =======
//   new lines
//   >>>>>>> REPLACE
//
// Each block becomes one hunk whose old side is the search text and new side the replacement
// (lines both share become context). An empty search creates a file.
import { diffArrays } from 'diff';
import type { FilePatch, Hunk, HunkLine } from './parse-patch.ts';
import { PatchSyntaxError } from './parse-patch.ts';

export function looksLikeSearchReplace(text: string): boolean {
  return /^<{5,9} SEARCH\s*$/m.test(text);
}

export function parseSearchReplace(text: string): FilePatch[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const files = new Map<string, FilePatch>();
  let pathLine: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!/^<{5,9} SEARCH\s*$/.test(line)) {
      const candidate = line.trim().replace(/^```\w*$/, '').replace(/^(?:File|Path):\s*/i, '').replace(/^[`*]+|[`*]+$/g, '');
      if (candidate !== '' && !/^[=>]{5,}/.test(candidate)) pathLine = candidate;
      continue;
    }
    if (!pathLine) throw new PatchSyntaxError(`line ${i + 1}: a SEARCH block needs the file path on the line before it`);
    const search: string[] = [];
    const replace: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^={5,9}\s*$/.test(lines[j]!); j++) search.push(lines[j]!);
    if (j >= lines.length) throw new PatchSyntaxError(`line ${i + 1}: SEARCH block without "=======" divider`);
    for (j++; j < lines.length && !/^>{5,9} REPLACE\s*$/.test(lines[j]!); j++) replace.push(lines[j]!);
    if (j >= lines.length) throw new PatchSyntaxError(`line ${i + 1}: SEARCH block without ">>>>>>> REPLACE" end`);
    const path = pathLine.replace(/^[ab]\//, '');
    const file = files.get(path) ?? { oldPath: path, newPath: path, hunks: [] };
    if (search.length === 0 || (search.length === 1 && search[0] === '')) {
      delete file.oldPath;
    }
    file.hunks.push(blockToHunk(search, replace, file.hunks.length + 1));
    files.set(path, file);
    i = j;
  }
  if (files.size === 0) throw new PatchSyntaxError('no SEARCH/REPLACE blocks found');
  return [...files.values()];
}

/** Lines the search and replace texts share (by a line diff) are context; the file keeps its own text for them. */
function blockToHunk(search: string[], replace: string[], index: number): Hunk {
  const lines: HunkLine[] = [];
  for (const part of diffArrays(search, replace)) {
    const kind = part.added ? 'add' : part.removed ? 'remove' : 'context';
    for (const text of part.value) lines.push({ kind, text });
  }
  return { index, lines, oldNoNewlineAtEnd: false, newNoNewlineAtEnd: false };
}
