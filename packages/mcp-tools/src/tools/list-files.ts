// list_files: files below a directory that this session may read, honouring .gitignore.
import { z } from 'zod';
import { resolveSearchDir, withRoot } from '../confine/access.ts';
import { compileUserGlob } from './path-glob.ts';
import { runRipgrep } from './ripgrep.ts';
import { scopeRoots } from './scope-roots.ts';
import { defineTool } from './tool.ts';
import { ToolError } from './tool-error.ts';
import { verifiedListing } from './verified-listing.ts';

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
    return withRoot(ctx, async (root) => {
      const dir = resolveSearchDir(ctx, root, args.path ?? '');
      if (dir.isFile) throw new ToolError({ code: 'not_directory', message: `"${dir.rel}" is a file; use read_file to read it` });
      const matchesGlob = compileUserGlob(args.glob);
      const limit = ctx.grant.limits.maxResults;
      const roots = scopeRoots(ctx.grant, dir.rel);
      if (roots.length === 0) return { files: [], truncated: false };
      const rgArgs = ['--files', '--hidden', '--no-require-git', '--no-config', '--sort', 'path', '--glob', '!.git', '--', ...roots.map((r) => (r === '' ? '.' : r))];
      const run = runRipgrep(rgArgs, { cwd: ctx.root, signal: ctx.signal });
      return verifiedListing({ run, root, grant: ctx.grant, keep: matchesGlob, max: limit });
    });
  },
  render(out) {
    if (out.files.length === 0) return 'No readable files matched.';
    const note = out.truncated ? `\n[${out.files.length} shown; more matched: narrow path or glob]` : '';
    return `${out.files.join('\n')}${note}`;
  },
});
