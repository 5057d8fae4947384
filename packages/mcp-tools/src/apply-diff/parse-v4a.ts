// The V4A / apply_patch format (OpenAI's Codex and Agents SDK):
//
//   *** Begin Patch
//   *** Update File: src/app.ts
//   @@ class App          <- optional anchor: a line the change comes after
//    context
//   -old
//   +new
//   *** Add File: src/new.ts
//   +content
//   *** Delete File: src/old.ts
//   *** End Patch
import type { FilePatch, Hunk, HunkLine } from './parse-patch.ts';
import { PatchSyntaxError } from './parse-patch.ts';

export function looksLikeV4A(text: string): boolean {
  return /^\*\*\* Begin Patch\s*$/m.test(text);
}

export function parseV4A(text: string): FilePatch[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const start = lines.findIndex((l) => /^\*\*\* Begin Patch\s*$/.test(l));
  const files: FilePatch[] = [];
  let file: FilePatch | undefined;
  let hunk: (Hunk & { anchors: string[] }) | undefined;
  const finishHunk = () => {
    if (file && hunk && hunk.lines.some((l) => l.kind !== 'context')) file.hunks.push(hunk);
    hunk = undefined;
  };
  const newHunk = (anchor?: string) => {
    finishHunk();
    hunk = { index: (file?.hunks.length ?? 0) + 1, lines: [], oldNoNewlineAtEnd: false, newNoNewlineAtEnd: false, anchors: anchor ? [anchor] : [] };
  };
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\*\*\* End Patch\s*$/.test(line)) break;
    const header = /^\*\*\* (Update|Add|Delete) File: (.+?)\s*$/.exec(line);
    if (header) {
      finishHunk();
      const path = header[2]!;
      file = header[1] === 'Add' ? { newPath: path, hunks: [] } : header[1] === 'Delete' ? { oldPath: path, hunks: [] } : { oldPath: path, newPath: path, hunks: [] };
      files.push(file);
      if (header[1] !== 'Delete') newHunk();
      continue;
    }
    if (/^\*\*\* Move to: /.test(line)) throw new PatchSyntaxError(`line ${i + 1}: moving files is not supported; add the new file and delete the old one`);
    if (!file) {
      if (line.trim() === '') continue;
      throw new PatchSyntaxError(`line ${i + 1}: expected "*** Update File: path", "*** Add File: path" or "*** Delete File: path"`);
    }
    if (file.newPath === undefined) continue;
    if (line.startsWith('@@')) {
      const anchor = line.slice(2).trim();
      if (hunk && hunk.lines.length === 0) {
        if (anchor) hunk.anchors.push(anchor);
      } else newHunk(anchor || undefined);
      continue;
    }
    if (line === '*** End of File') continue;
    const kind: HunkLine['kind'] | undefined = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'remove' : line.startsWith(' ') || line === '' ? 'context' : undefined;
    if (!kind) throw new PatchSyntaxError(`line ${i + 1}: "${line.slice(0, 60)}" is not a patch line; lines start with " ", "-" or "+"`);
    hunk!.lines.push({ kind, text: line.slice(1) });
  }
  finishHunk();
  if (files.length === 0) throw new PatchSyntaxError('no "*** Update File:", "*** Add File:" or "*** Delete File:" sections found');
  for (const f of files) {
    for (const h of f.hunks as (Hunk & { anchors?: string[] })[]) {
      if (h.anchors && h.anchors.length > 0) h.anchor = h.anchors.at(-1)!;
      delete h.anchors;
    }
  }
  return files;
}
