// apply_diff: edits files in the write scope with a unified diff. Imperfect diffs (wrong line
// numbers or counts, missing or extra context, whitespace drift, hunks out of order, CRLF
// files, already-applied hunks) still apply when each hunk has exactly one place to go; when it
// has none or several, nothing is written and the result says which hunk and what to fix.
import { closeSync, fstatSync, readFileSync } from 'node:fs';
import { createTwoFilesPatch, structuredPatch } from 'diff';
import { z } from 'zod';
import { planPatch, type FileChange } from '../apply-diff/plan-patch.ts';
import { identityOf, writeChanges, WriteConflictError, type FileIdentity, type ResolvedChange } from '../apply-diff/write-changes.ts';
import { checkGrant, openRegularFile, requestedPath, walk, withRoot } from '../confine/access.ts';
import type { RootHandle } from '../confine/beneath.ts';
import { canRead } from '../permissions.ts';
import { defineTool, type ToolContext } from './tool.ts';
import { isToolError, ToolError } from './tool-error.ts';

const input = z.object({
  patch: z
    .string()
    .min(1)
    .describe(
      'The edit, in one of three forms. (1) A unified diff: "--- a/path" and "+++ b/path", then "@@" hunks of " " context, "-" removed and "+" added lines ' +
        '("--- /dev/null" creates a file, "+++ /dev/null" deletes one). (2) Search/replace blocks: the file path on its own line, then ' +
        '"<<<<<<< SEARCH", the exact old lines, "=======", the new lines, ">>>>>>> REPLACE". (3) An apply_patch envelope: "*** Begin Patch", ' +
        '"*** Update File: path" / "*** Add File: path" / "*** Delete File: path", "@@" hunks, "*** End Patch". Include 2-3 unchanged lines around each change.',
    ),
  dry_run: z.boolean().optional().describe('Check where every hunk would go without writing anything.'),
});

const hunkResult = z.object({
  index: z.number().int(),
  status: z.enum(['applied', 'already_applied']),
  line: z.number().int().describe('Line in the original file where the hunk matched.'),
  offset: z.number().int().optional().describe('How far that is from the line its @@ header gave (0: the header was right).'),
  match: z.enum(['exact', 'trailing_whitespace', 'whitespace', 'unicode']).optional().describe('How the hunk matched: exactly, or ignoring trailing whitespace, spacing/indentation, or typographic characters.'),
  trimmed_context: z.number().int().optional().describe('Context lines of the hunk that did not match and were left out.'),
  chosen_by_line_number: z.boolean().optional().describe('The hunk matched several places; its @@ line number, consistent with the other hunks, chose this one.'),
});

const output = z.object({
  applied: z.boolean().describe('True when files were written (false for dry_run or when everything was already applied).'),
  dry_run: z.boolean(),
  dialect: z.enum(['unified', 'search_replace', 'v4a']).optional(),
  files: z.array(
    z.object({
      path: z.string(),
      action: z.enum(['modify', 'create', 'delete', 'unchanged']),
      added: z.number().int(),
      removed: z.number().int(),
      hunks: z.array(hunkResult),
      diff: z.string().describe('A unified diff of what was actually done to this file.'),
    }),
  ),
});
type Output = z.infer<typeof output>;

const MAX_PATCHED_FILE_BYTES = 8 * 1024 * 1024;

export const applyDiffTool = defineTool({
  name: 'apply_diff',
  title: 'Apply diff',
  description:
    'Change files with a unified diff, search/replace blocks or an apply_patch envelope (the only way to edit). Each hunk is placed where its context and removed lines match the file — line numbers ' +
    'in @@ headers are only hints — tolerating whitespace drift and a little extra or missing context, but only when exactly one place matches. ' +
    'All files change or none do. On failure nothing is written and the error names the hunk and what to fix: re-read the file with read_file and copy lines exactly. ' +
    'Only files in your write scope can change.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run({ patch, dry_run }, ctx): Promise<Output> {
    return withRoot(ctx, async (root) => {
      const targets = new Map<string, WriteTarget>();
      const plan = await planPatch(
        patch,
        async (rel) => {
          const target = inspectWriteTarget(ctx, root, rel);
          targets.set(rel, target);
          return target.text;
        },
        { quotable: (rel) => targets.get(rel)?.readable === true },
      );
      if (!plan.ok) {
        if (plan.syntax !== undefined) throw new ToolError({ code: 'patch_syntax', message: `the diff could not be parsed: ${plan.syntax}`, fault: 'request' });
        const lines = plan.problems.flatMap((p) => p.failures.map((f) => `- ${p.path}: ${f.message}`));
        throw new ToolError({ code: 'patch_does_not_apply', message: `nothing was written; fix these and send the whole diff again:\n${lines.join('\n')}`, fault: 'request', details: { problems: plan.problems } });
      }
      const writes: ResolvedChange[] = plan.changes
        .filter((c): c is Exclude<FileChange, { action: 'unchanged' }> => c.action !== 'unchanged')
        .map((c) => {
          const target = targets.get(c.path)!;
          return { rel: target.realRel, action: c.action, ...('before' in c ? { before: c.before } : {}), ...('after' in c ? { after: c.after } : {}), ...(target.identity ? { identity: target.identity } : {}) };
        });
      if (!dry_run && writes.length > 0) {
        try {
          writeChanges(root, writes, { recheck: (rel) => checkGrant(ctx, rel, 'write') });
        } catch (error) {
          if (isToolError(error)) throw error;
          if (error instanceof WriteConflictError) throw new ToolError({ code: 'changed_during_call', message: `nothing was written: ${error.message}; read the files again and retry`, fault: 'environment' });
          throw new ToolError({ code: 'write_failed', message: `writing failed and every file was restored: ${(error as Error).message}`, fault: 'environment' });
        }
        for (const c of plan.changes) {
          if (c.action === 'delete') ctx.log({ type: 'file.deleted', path: c.path });
          else if (c.action !== 'unchanged') ctx.log({ type: 'file.written', path: c.path, bytes: Buffer.byteLength(c.after), created: c.action === 'create' });
        }
        // Hook for the code-intelligence tools: language servers on this workspace read these
        // files again before their next answer (a notification, sent before this call returns).
        ctx.languageServers?.filesChanged(ctx.root, writes.map((w) => ({ rel: w.rel, kind: w.action === 'create' ? 'created' : w.action === 'delete' ? 'deleted' : 'changed' })));
      }
      return {
        applied: !dry_run && writes.length > 0,
        dry_run: dry_run === true,
        dialect: plan.dialect,
        files: plan.changes.map((c) => ({
          path: c.path,
          action: c.action,
          // Write never implies read: what a file said is shown only where the session may read it.
          ...describeChange(c, targets.get(c.path)?.readable === true),
          hunks: c.hunks.map((h) =>
            h.status === 'applied'
              ? { index: h.index, status: h.status, line: h.line, ...(h.hintLine !== undefined ? { offset: h.line - h.hintLine } : {}), match: h.match, trimmed_context: h.trimmedContext, ...(h.byLineHint ? { chosen_by_line_number: true } : {}) }
              : { index: h.index, status: h.status, line: h.line },
          ),
        })),
      };
    });
  },
  render(out) {
    const verb = out.dry_run ? 'would change' : out.applied ? 'changed' : 'left unchanged (already applied)';
    const lines = [`${verb} ${out.files.length} file(s):`];
    for (const f of out.files) {
      const notes = f.hunks.map((h) => `hunk ${h.index} ${h.status === 'already_applied' ? 'already applied' : `at line ${h.line}${h.offset ? ` (the @@ header said ${h.line - h.offset})` : ''}${h.match && h.match !== 'exact' ? ` (matched ignoring ${h.match.replace('_', ' ')})` : ''}${h.trimmed_context ? ` (${h.trimmed_context} context line(s) did not match and were ignored)` : ''}${h.chosen_by_line_number ? ' (it matched several places; its line number chose this one)' : ''}`}`);
      lines.push(`- ${f.path}: ${f.action} (+${f.added} -${f.removed})${notes.length ? `; ${notes.join('; ')}` : ''}`);
    }
    const diffs = out.files.map((f) => f.diff).filter((d) => d !== '');
    if (diffs.length > 0) lines.push('', 'What was done:', ...diffs);
    return lines.join('\n');
  },
});

/** Lines added and removed, and a unified diff of the change as made (not as sent); the diff only when the file is readable. */
function describeChange(change: FileChange, readable: boolean): { added: number; removed: number; diff: string } {
  if (change.action === 'unchanged') return { added: 0, removed: 0, diff: '' };
  const before = change.action === 'create' ? '' : change.before;
  const after = change.action === 'delete' ? '' : change.after;
  const patch = structuredPatch(`a/${change.path}`, `b/${change.path}`, before, after, undefined, undefined, { context: 2 });
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) for (const line of hunk.lines) line[0] === '+' ? added++ : line[0] === '-' ? removed++ : undefined;
  if (!readable) return { added, removed, diff: `(not shown: ${change.path} is outside this session's read scope)` };
  const diff = createTwoFilesPatch(change.action === 'create' ? '/dev/null' : `a/${change.path}`, change.action === 'delete' ? '/dev/null' : `b/${change.path}`, before, after, undefined, undefined, { context: 2 })
    .split('\n')
    .filter((l) => !l.startsWith('====='))
    .join('\n');
  return { added, removed, diff };
}

interface WriteTarget {
  /** Root-relative path as reached (in-root directory symlinks followed). */
  realRel: string;
  /** The current text, or undefined when the file does not exist yet. */
  text: string | undefined;
  identity: FileIdentity | undefined;
  /** Whether the session may read it too: only then is its text quoted back. */
  readable: boolean;
}

/**
 * Where a patched file lives and what it says now. The name must be writable, and so must the
 * path really reached; the file itself is never a symlink (a link is not written through, and a
 * dangling one is not replaced by a file), and only regular UTF-8 text files are edited.
 */
function inspectWriteTarget(ctx: ToolContext, root: RootHandle, requested: string): WriteTarget {
  const rel = requestedPath(ctx, requested, 'write');
  const end = walk(ctx, root, rel, 'write', { followDirectories: true, followFinal: false, endAtMissingDirectory: true });
  try {
    if (end.rel !== rel) checkGrant(ctx, end.rel, 'write', rel);
    const readable = canRead(ctx.grant, rel) && canRead(ctx.grant, end.rel);
    if (end.stat === undefined) return { realRel: end.rel, text: undefined, identity: undefined, readable };
    if (end.stat.isSymbolicLink()) {
      throw new ToolError({ code: 'path_symlink', message: `"${rel}" is a symlink; apply_diff does not write through symlinks or replace them. Edit the file it points to by its own path`, fault: 'request' });
    }
    const fd = openRegularFile(end, rel);
    try {
      const stat = fstatSync(fd);
      return { realRel: end.rel, text: readText(fd, stat.size, rel), identity: identityOf(stat), readable };
    } finally {
      closeSync(fd);
    }
  } finally {
    closeSync(end.parentFd);
  }
}

function readText(fd: number, size: number, rel: string): string {
  if (size > MAX_PATCHED_FILE_BYTES) throw new ToolError({ code: 'file_too_large', message: `${rel} is larger than ${MAX_PATCHED_FILE_BYTES} bytes; apply_diff edits text files only`, fault: 'request' });
  const buffer = readFileSync(fd);
  if (buffer.includes(0)) throw new ToolError({ code: 'binary_file', message: `${rel} is binary; apply_diff edits text files only`, fault: 'request' });
  const text = buffer.toString('utf8');
  // Writing back text decoded from another encoding would corrupt it: refuse instead.
  if (!Buffer.from(text, 'utf8').equals(buffer)) throw new ToolError({ code: 'not_utf8', message: `${rel} is not UTF-8; apply_diff edits UTF-8 text files only and leaves this one unchanged`, fault: 'request' });
  return text;
}
