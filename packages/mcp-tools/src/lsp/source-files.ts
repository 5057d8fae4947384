// The readable source files of a workspace for a set of extensions, as list_files finds them:
// ripgrep walks (honouring .gitignore, skipping node_modules), then every path is walked again by
// descriptor and kept only when it is a regular file the session may read. Language servers are
// started only where such files exist, and whole-workspace diagnostics check these files.
import path from 'node:path';
import type { RootHandle } from '../confine/beneath.ts';
import { runRipgrep } from '../tools/ripgrep.ts';
import { scopeRoots } from '../tools/scope-roots.ts';
import type { ToolContext } from '../tools/tool.ts';
import { verifiedListing, type VerifiedListing } from '../tools/verified-listing.ts';

export type SourceFileListing = VerifiedListing;

export async function listSourceFiles(ctx: ToolContext, root: RootHandle, options: { extensions: readonly string[]; names?: readonly string[]; max: number }): Promise<SourceFileListing> {
  const roots = scopeRoots(ctx.grant, '');
  if (roots.length === 0 || (options.extensions.length === 0 && (options.names ?? []).length === 0)) return { files: [], truncated: false };
  const globs = [...options.extensions.map((ext) => `*${ext}`), ...(options.names ?? [])];
  const args = ['--files', '--hidden', '--no-require-git', '--no-config', '--glob', '!.git', '--glob', '!node_modules', ...globs.flatMap((g) => ['--iglob', g]), '--', ...roots.map((r) => (r === '' ? '.' : r))];
  const run = runRipgrep(args, { cwd: ctx.root, signal: ctx.signal });
  const wanted = new Set(options.extensions.map((e) => e.toLowerCase()));
  const names = new Set(options.names ?? []);
  const keep = (rel: string) => wanted.has(path.posix.extname(rel).toLowerCase()) || names.has(path.posix.basename(rel));
  return verifiedListing({ run, root, grant: ctx.grant, keep, max: options.max });
}
