// A grant is the capability a tool session carries: which tools, which paths, which
// test commands, what limits, until when. Data only; predicates live in permissions.ts.
import path from 'node:path';
import { z } from 'zod';
import { looksLikeCredential } from './run-tests/credential-name.ts';

export const TOOL_NAMES = ['read_file', 'list_files', 'search', 'apply_diff', 'run_tests', 'find_symbol', 'goto_definition', 'find_references', 'document_symbols', 'diagnostics'] as const;
/** The tools answered by language servers (read-only, like read_file; they start server processes on first use). */
export const CODE_INTELLIGENCE_TOOLS = ['find_symbol', 'goto_definition', 'find_references', 'document_symbols', 'diagnostics'] as const;
export const ToolNameSchema = z.enum(TOOL_NAMES);
export type ToolName = z.infer<typeof ToolNameSchema>;

/** A named test command, stored as an argument vector: it is never given to a shell. */
export const TestCommandSchema = z.object({
  argv: z.array(z.string().min(1)).min(1),
  /** Working directory relative to the root; defaults to the root. */
  cwd: z.string().optional(),
});
export type TestCommand = z.infer<typeof TestCommandSchema>;

/**
 * Why a grant glob cannot describe root-relative paths, or undefined when it can. Such globs
 * never matched anything (confinement does not depend on this check), but a grant that names
 * them is a mistake an operator must hear about.
 */
export function globProblem(glob: string): string | undefined {
  const body = glob.startsWith('!') ? glob.slice(1) : glob;
  if (body.trim() === '') return 'is empty';
  if (/(^|[{,])\//.test(body)) return 'is an absolute path; grant globs are relative to the repository root, e.g. "src/**"';
  if (/(^|[/{,])\.\.($|[/},])/.test(body)) return 'reaches outside the repository root with ".."; grant globs cover paths inside the root only';
  if (/(^|[{,])\.\//.test(body)) return 'starts with "./"; write root-relative globs without it, e.g. "src/**"';
  return undefined;
}

/** Why `rel` cannot be a path inside the root a link is shown at, or undefined when it can. */
export function linkPathProblem(rel: string): string | undefined {
  if (rel === '' || rel.includes('\0') || rel.includes('\\')) return 'must be a non-empty POSIX path';
  if (rel.startsWith('/')) return 'must be relative to the workspace root';
  const parts = rel.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return 'may not have empty, "." or ".." segments';
  if (parts[0] === '.git') return 'may not be inside .git';
  return undefined;
}

/** A host path test commands see read-only at `path` inside the workspace; the sandbox mounts it, the workspace never holds it. */
export const TestLinkSchema = z.object({
  source: z.string().refine((p) => path.isAbsolute(p) && path.normalize(p) !== '/' && !p.includes('\0'), 'must be an absolute path other than /'),
  path: z.string().superRefine((rel, ctx) => {
    const problem = linkPathProblem(rel);
    if (problem) ctx.addIssue({ code: 'custom', message: `link path "${rel}" ${problem}` });
  }),
});
export type TestLink = z.infer<typeof TestLinkSchema>;

/** A picomatch glob over root-relative POSIX paths; "!" in front makes it an exclusion. */
export const GrantGlobSchema = z.string().min(1).superRefine((glob, ctx) => {
  const problem = globProblem(glob);
  if (problem) ctx.addIssue({ code: 'custom', message: `glob "${glob}" ${problem}` });
});

export const GrantLimitsSchema = z.object({
  /** Largest file read_file returns whole; larger files need a line range. */
  maxFileBytes: z.number().int().positive().default(1_000_000),
  /** Most entries list_files and search return. */
  maxResults: z.number().int().positive().default(200),
  /** Most bytes of text any single tool result carries back to the model. */
  maxOutputBytes: z.number().int().positive().default(64_000),
  /** Wall-clock limit for one run_tests call. */
  testTimeoutSeconds: z.number().positive().default(600),
  /** Where bubblewrap cannot sandbox test commands, run them anyway (and say so) instead of refusing. */
  allowUnsandboxedTests: z.boolean().default(false),
});
export type GrantLimits = z.infer<typeof GrantLimitsSchema>;

export const GrantSchema = z.object({
  /** Identifies the grant in audit records; not a secret. */
  id: z.string().min(1).default('local'),
  tools: z.array(ToolNameSchema).default(['read_file', 'list_files', 'search']),
  /** picomatch globs over root-relative POSIX paths that may be read. */
  read: z.array(GrantGlobSchema).default(['**']),
  /** picomatch globs that may be written; empty means read-only. */
  write: z.array(GrantGlobSchema).default([]),
  tests: z.record(z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'test names use letters, digits, _ . : -'), TestCommandSchema).default({}),
  limits: GrantLimitsSchema.default(GrantLimitsSchema.parse({})),
  /** Extra environment variables test commands may see; a name that looks like a credential is refused. */
  testEnv: z
    .array(
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
        .refine((name) => !looksLikeCredential(name), { error: (issue) => `${String(issue.input)} looks like a credential; such variables never reach test commands (rename it if it is not one)` }),
    )
    .default([]),
  /** Absolute host paths the test sandbox shows read-only besides the system and the command's toolchain. */
  testReadOnly: z
    .array(z.string().refine((p) => path.isAbsolute(p) && path.normalize(p) !== '/' && !p.includes('\0'), 'must be an absolute path other than /'))
    .optional(),
  /**
   * Paths test commands see read-only inside the workspace although it does not hold them (a
   * checkout's virtualenv, node_modules, generated sources): only the sandbox shows them, so
   * the tools never see them and nothing can write through them.
   */
  testLinks: z.array(TestLinkSchema).optional(),
  /** Epoch milliseconds after which every call is refused. */
  expiresAt: z.number().int().positive().optional(),
});
export type Grant = z.infer<typeof GrantSchema>;
export type GrantInput = z.input<typeof GrantSchema>;

export function parseGrant(input: unknown): Grant {
  return GrantSchema.parse(input);
}
