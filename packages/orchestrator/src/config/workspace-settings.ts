// The `workspace` section of baton.config.json: what a task workspace needs besides the tracked
// files for its tests to pass (paths of the checkout linked read-only, files copied, a setup
// command), and whether task workspaces are warm worktrees reused across tasks and runs.
import { z } from 'zod';

/** Why `pattern` cannot name paths inside the repository, or undefined when it can. */
export function repoPathProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'is empty';
  if (pattern.includes('\0') || pattern.includes('\\')) return 'contains a NUL byte or a backslash; write POSIX paths relative to the repository root';
  if (pattern.startsWith('/')) return 'is absolute; write it relative to the repository root, e.g. ".venv"';
  if (pattern.startsWith('!')) return 'starts with "!"; list only the paths to include';
  const parts = pattern.replace(/\/+$/, '').split('/');
  if (parts.some((part) => part === '..' || part === '.' || part === '')) return 'has an empty, "." or ".." segment; write a plain path inside the repository, e.g. "packages/*/node_modules"';
  if (parts[0] === '.git' || parts[0] === '**') return parts[0] === '.git' ? 'is inside .git, which no task may see' : 'starts with "**"; name where to look, e.g. "packages/**/node_modules"';
  return undefined;
}

const RepoPathPatternSchema = z.string().superRefine((pattern, ctx) => {
  const problem = repoPathProblem(pattern);
  if (problem) ctx.addIssue({ code: 'custom', message: `"${pattern}" ${problem}` });
});

export const WorkspaceSetupSchema = z.object({
  /** Command line (split without a shell), run in the workspace's root inside the test sandbox. */
  command: z.string().min(1),
  /** Give the setup command the network (the sandbox has none otherwise); the plan shown for approval says so. */
  network: z.boolean().default(false),
  timeoutSeconds: z.number().positive().max(7200).default(600),
});
export type WorkspaceSetup = z.infer<typeof WorkspaceSetupSchema>;

export const WorkspaceSettingsSchema = z.object({
  /**
   * Paths of your checkout that test commands see, read-only, at the same place in every task
   * workspace: a virtualenv, nested packages' node_modules, generated sources, a build cache.
   * Globs (`*`, `**` after a first segment) are matched against the checkout when a run starts.
   */
  link: z.array(RepoPathPatternSchema).default([]),
  /** Paths of your checkout copied into every task workspace (writable there, never committed), e.g. `.env.test`. */
  copy: z.array(RepoPathPatternSchema).default([]),
  /** Run once in every new workspace, in the sandbox, before anyone works or tests there (e.g. code generation). */
  setup: WorkspaceSetupSchema.optional(),
  /**
   * Task workspaces as warm worktrees kept between tasks and runs (a new task's checkout rewrites
   * only the files that differ): "auto" when the repository has at least 1,000 files, true, false.
   */
  warm: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  /** Most warm worktrees kept idle between tasks (default: maxWorkers + 2); 0 removes each after use. */
  keepWarm: z.number().int().min(0).max(64).optional(),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettingsSchema>;

export const DEFAULT_WORKSPACE_SETTINGS: WorkspaceSettings = WorkspaceSettingsSchema.parse({});
