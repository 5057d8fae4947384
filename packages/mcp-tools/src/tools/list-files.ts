// list_files: files below a directory that this session may read, honouring .gitignore.
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { resolveAccessiblePath } from '../confine/access.ts';
import { isGitPath, resolveRequestedPath } from '../confine/resolve-path.ts';
import { canRead } from '../permissions.ts';
import { compileUserGlob } from './path-glob.ts';
import { runRipgrep } from './ripgrep.ts';
import { scopeRoots } from './scope-roots.ts';
import { defineTool } from './tool.ts';
import { ToolError } from './tool-error.ts';

const input = z.object({
  path: z.string().optional().describe('Directory relative to the repository root. Default: the root.'),
  glob: z
    .string()
    .optional()
    .describe('Filter, e.g. "*.ts" (matches file names anywhere) or "src/**/*.test.ts" (matches paths from the root).'),
});

const output = z.object({
  files: z.array(z.string()).describe('Root-relative paths, sorted.'),
  truncated: z.boolean().describe('True when more files matched than the result limit; narrow path or glob.'),
});

export const listFilesTool = defineTool({
  name: 'list_files',
  title: 'List files',
  description:
    'List files in the repository (recursively) that this session may read, skipping files ignored by .gitignore. ' +
    'Narrow with path (a directory) and glob ("*.ts", "src/**/*.test.ts"). Returns sorted root-relative paths and ' +
    'truncated=true when the result limit was reached.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, ctx) {
    const dir = await resolveListingDir(ctx, args.path ?? '');
    const matchesGlob = compileUserGlob(args.glob);
    const limit = ctx.grant.limits.maxResults;
    const roots = scopeRoots(ctx.grant, dir);
    if (roots.length === 0) return { files: [], truncated: false };
    const rgArgs = ['--files', '--hidden', '--no-require-git', '--no-config', '--sort', 'path', '--glob', '!.git', '--', ...roots.map((r) => (r === '' ? '.' : r))];
    const run = runRipgrep(rgArgs, { cwd: ctx.root, signal: ctx.signal });
    const files: string[] = [];
    let truncated = false;
    for await (const line of run.lines) {
      const rel = line.startsWith('./') ? line.slice(2) : line;
      if (!canRead(ctx.grant, rel) || !matchesGlob(rel)) continue;
      if (files.length >= limit) {
        truncated = true;
        break;
      }
      files.push(rel);
    }
    if (!truncated) await run.done;
    files.sort();
    return { files, truncated };
  },
  render(out) {
    if (out.files.length === 0) return 'No readable files matched.';
    const note = out.truncated ? `\n[${out.files.length} shown; more matched: narrow path or glob]` : '';
    return `${out.files.join('\n')}${note}`;
  },
});

/** The listing root must be an in-root directory; its own name need not match a read glob. */
async function resolveListingDir(ctx: Parameters<typeof listFilesTool.run>[1], requested: string): Promise<string> {
  const lexical = resolveRequestedPath(ctx.root, requested);
  if (!lexical.ok) throw new ToolError({ code: `path_${lexical.reason}`, message: lexical.message, fault: 'permission' });
  if (lexical.rel === '') return '';
  if (isGitPath(lexical.rel)) {
    throw new ToolError({ code: 'path_git_dir', message: '.git is not listed through tools; list working-tree directories', fault: 'permission' });
  }
  const probe = await resolveAccessiblePath(ctx, requested, 'read').catch((error: unknown) => {
    if (error instanceof ToolError && error.code === 'path_out_of_scope') return undefined;
    throw error;
  });
  const rel = probe?.realRel ?? lexical.rel;
  if (rel !== lexical.rel) {
    throw new ToolError({ code: 'path_symlink', message: `"${lexical.rel}" is a symlink; list its target "${rel}" instead`, fault: 'request' });
  }
  const info = await stat(lexical.abs).catch(() => undefined);
  if (!info) throw new ToolError({ code: 'not_found', message: `"${lexical.rel}" does not exist; list the parent directory to see what is there` });
  if (!info.isDirectory()) throw new ToolError({ code: 'not_directory', message: `"${lexical.rel}" is a file; use read_file to read it` });
  return lexical.rel;
}
