// Resolves a path a model asked for into a real, in-root, grant-permitted location,
// or throws a ToolError that says why not and what to do instead.
import { canRead, canWrite } from '../permissions.ts';
import { ToolError } from '../tools/tool-error.ts';
import type { ToolContext } from '../tools/tool.ts';
import { isGitPath, resolveRealPath, resolveRequestedPath } from './resolve-path.ts';

export interface AccessiblePath {
  /** Absolute real path. */
  abs: string;
  /** Root-relative POSIX path as requested (normalized). */
  rel: string;
  /** Root-relative POSIX path after following symlinks. */
  realRel: string;
}

export type Access = 'read' | 'write';

/**
 * Both the requested path and its real target must pass the grant, so a symlink inside the
 * root cannot lend a readable name to an unreadable file.
 */
export async function resolveAccessiblePath(ctx: ToolContext, requested: string, access: Access): Promise<AccessiblePath> {
  const lexical = resolveRequestedPath(ctx.root, requested);
  if (!lexical.ok) throw deny(ctx, requested, access, lexical.message, lexical.reason);
  const real = await resolveRealPath(ctx.root, lexical.abs);
  if (!real.ok) throw deny(ctx, lexical.rel, access, real.message, real.reason);
  const allowed = access === 'read' ? canRead : canWrite;
  for (const rel of new Set([lexical.rel, real.rel])) {
    if (rel === '' ) continue;
    if (access === 'write' && isGitPath(rel)) {
      throw deny(ctx, rel, access, `"${rel}" is inside .git, which tools never write; change working-tree files only`, 'git_dir');
    }
    if (!allowed(ctx.grant, rel)) {
      const scope = access === 'read' ? ctx.grant.read : ctx.grant.write;
      const hint = scope.length === 0 ? `this session may not ${access} any files` : `allowed ${access} globs: ${scope.join(', ')}`;
      throw deny(ctx, rel, access, `"${rel}" is outside this session's ${access} scope (${hint})`, 'out_of_scope');
    }
  }
  return { abs: real.abs, rel: lexical.rel, realRel: real.rel };
}

function deny(ctx: ToolContext, path: string, access: Access, message: string, reason: string): ToolError {
  ctx.log({ type: 'access.denied', path, access, reason });
  return new ToolError({ code: `path_${reason}`, message, fault: 'permission' });
}
