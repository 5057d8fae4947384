// Works out what a whole patch does to every file it names — without touching the disk — so
// a patch applies completely or not at all. `read` returns a file's text, or undefined if it
// does not exist.
import { applyHunks, type HunkFailure, type HunkOutcome } from './apply-hunks.ts';
import { parsePatch, PatchSyntaxError, type FilePatch } from './parse-patch.ts';
import { looksLikeSearchReplace, parseSearchReplace } from './parse-search-replace.ts';
import { looksLikeV4A, parseV4A } from './parse-v4a.ts';

export type PatchDialect = 'unified' | 'search_replace' | 'v4a';

/** Reads any of the three dialects into the one internal form. */
export function parseAnyPatch(text: string): { dialect: PatchDialect; files: FilePatch[] } {
  if (looksLikeV4A(text)) return { dialect: 'v4a', files: parseV4A(text) };
  if (looksLikeSearchReplace(text)) return { dialect: 'search_replace', files: parseSearchReplace(text) };
  return { dialect: 'unified', files: parsePatch(text) };
}

export type FileChange =
  | { path: string; action: 'modify'; before: string; after: string; hunks: HunkOutcome[] }
  | { path: string; action: 'create'; after: string; hunks: HunkOutcome[] }
  | { path: string; action: 'delete'; before: string; hunks: HunkOutcome[] }
  | { path: string; action: 'unchanged'; hunks: HunkOutcome[] };

export type PatchPlan = { ok: true; dialect: PatchDialect; changes: FileChange[] } | { ok: false; problems: { path: string; failures: HunkFailure[] }[]; syntax?: string };

export interface PlanPatchOptions {
  /**
   * Whether failure messages may quote the file's text. A session that may write a file but not
   * read it learns only where a hunk failed, never what the file says.
   */
  quotable?: (path: string) => boolean;
}

export async function planPatch(patchText: string, read: (path: string) => Promise<string | undefined>, options: PlanPatchOptions = {}): Promise<PatchPlan> {
  let files: FilePatch[];
  let dialect: PatchDialect;
  try {
    ({ files, dialect } = parseAnyPatch(patchText));
  } catch (error) {
    if (error instanceof PatchSyntaxError) return { ok: false, problems: [], syntax: error.message };
    throw error;
  }
  const quotable = options.quotable ?? (() => true);
  const changes: FileChange[] = [];
  const problems: { path: string; failures: HunkFailure[] }[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const path = (file.newPath ?? file.oldPath)!;
    if (file.oldPath !== undefined && file.newPath !== undefined && file.oldPath !== file.newPath) {
      problems.push({ path, failures: [{ index: 0, reason: 'not_found', message: `renames (${file.oldPath} → ${file.newPath}) are not supported; create the new file and delete the old one in separate file sections` }] });
      continue;
    }
    if (seen.has(path)) {
      problems.push({ path, failures: [{ index: 0, reason: 'overlap', message: `${path} appears twice in the patch; put all of its hunks in one file section` }] });
      continue;
    }
    seen.add(path);
    const current = await read(path);
    if (file.oldPath === undefined) {
      const created = applyHunks('', file.hunks);
      if (!created.ok) {
        problems.push({ path, failures: created.failures });
      } else if (current === undefined) {
        changes.push({ path, action: 'create', after: created.text, hunks: created.hunks });
      } else if (sameText(current, created.text)) {
        changes.push({ path, action: 'unchanged', hunks: file.hunks.map((h) => ({ index: h.index, status: 'already_applied', line: 1 })) });
      } else {
        problems.push({ path, failures: [{ index: 1, reason: 'not_found', message: `${path} already exists; the patch creates it from /dev/null. Patch the existing file instead` }] });
      }
      continue;
    }
    if (current === undefined) {
      if (file.newPath === undefined) changes.push({ path, action: 'unchanged', hunks: [] });
      else problems.push({ path, failures: [{ index: 1, reason: 'not_found', message: `${path} does not exist; use "--- /dev/null" to create it, or check the path with list_files` }] });
      continue;
    }
    const applied = applyHunks(current, file.hunks);
    if (!applied.ok) {
      problems.push({ path, failures: quotable(path) ? applied.failures : applied.failures.map(withoutFileText) });
      continue;
    }
    if (file.newPath === undefined) {
      if (file.hunks.length === 0) changes.push({ path, action: 'delete', before: current, hunks: [] });
      else if (applied.text.trim() !== '') {
        problems.push({ path, failures: [{ index: 1, reason: 'not_found', message: `deleting ${path}: the patch does not remove all of its lines; re-read the file and remove every line` }] });
      } else changes.push({ path, action: 'delete', before: current, hunks: applied.hunks });
      continue;
    }
    changes.push(applied.changed ? { path, action: 'modify', before: current, after: applied.text, hunks: applied.hunks } : { path, action: 'unchanged', hunks: applied.hunks });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, dialect, changes };
}

/** A placement failure told without the file's lines (only "not found" messages quote the file). */
function withoutFileText(failure: HunkFailure): HunkFailure {
  if (failure.reason !== 'not_found') return failure;
  return {
    ...failure,
    message: `hunk ${failure.index}: its context and removed lines are not in the file (the file's text is not shown: it is outside this session's read scope); check the path and the lines you expect there`,
  };
}

function sameText(a: string, b: string): boolean {
  return a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}
