// The grant body the admin API accepts (`POST /grants`, or `grants.mint` in process) and
// its mapping onto a Grant. Wire names are snake_case; a capability is spelled out, never
// defaulted to "everything": `tools` and `read` are required.
import { z } from 'zod';
import { GrantGlobSchema, GrantSchema, TestCommandSchema, TestLinkSchema, ToolNameSchema, type Grant, type TestCommand } from '../grant.ts';
import { CommandLineSyntaxError, splitCommandLine } from '../test-command.ts';

/** Lifetime of a grant whose request names no `expires_in_s`. */
export const DEFAULT_GRANT_TTL_S = 3600;
/** Longest lifetime a grant may ask for. */
export const MAX_GRANT_TTL_S = 7 * 24 * 3600;

const GlobListSchema = z.array(GrantGlobSchema);

const GrantRequestLimitsSchema = z.strictObject({
  max_file_bytes: z.number().int().positive().optional(),
  max_results: z.number().int().positive().optional(),
  max_output_bytes: z.number().int().positive().optional(),
  test_timeout_s: z.number().positive().optional(),
  /** Run test commands without bubblewrap where it is unavailable (the result says so). */
  allow_unsandboxed_tests: z.boolean().optional(),
});

export const GrantRequestSchema = z.strictObject({
  tools: z.array(ToolNameSchema).min(1),
  /** picomatch globs over root-relative paths; `[]` means nothing is readable. */
  read: GlobListSchema,
  write: GlobListSchema.default([]),
  /** Named test commands: a command line (split without a shell) or an argument vector. */
  tests: z
    .record(z.string(), z.union([z.string().min(1), TestCommandSchema]))
    .default({}),
  expires_in_s: z.number().positive().max(MAX_GRANT_TTL_S).default(DEFAULT_GRANT_TTL_S),
  /** Extra environment variables test commands may see. */
  test_env: z.array(z.string()).default([]),
  /** Host paths test commands see read-only at a path inside the workspace: `{source, path}`. */
  test_links: z.array(TestLinkSchema).default([]),
  limits: GrantRequestLimitsSchema.default({}),
});
/** What a caller sends; defaults are filled in by GrantRequestSchema. */
export type GrantRequest = z.input<typeof GrantRequestSchema>;

/** The request was malformed: the caller (the orchestrator or an admin) is at fault. */
export class GrantRequestError extends Error {
  override name = 'GrantRequestError';
}

export interface GrantFromRequestOptions {
  id: string;
  nowMs: number;
}

/** Validates an untrusted grant request (e.g. an HTTP body); throws GrantRequestError. */
export function parseGrantRequest(input: unknown): z.output<typeof GrantRequestSchema> {
  const parsed = GrantRequestSchema.safeParse(input);
  if (!parsed.success) throw new GrantRequestError(`invalid grant request: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** Validates a grant request and turns it into a Grant that expires `expires_in_s` from `nowMs`. */
export function grantFromRequest(input: GrantRequest, options: GrantFromRequestOptions): Grant & { expiresAt: number } {
  const request = parseGrantRequest(input);
  const tests: Record<string, TestCommand> = {};
  for (const [name, spec] of Object.entries(request.tests)) tests[name] = testCommand(name, spec);
  const { limits } = request;
  const expiresAt = options.nowMs + Math.round(request.expires_in_s * 1000);
  const grant = GrantSchema.safeParse({
    id: options.id,
    tools: [...new Set(request.tools)],
    read: request.read,
    write: request.write,
    tests,
    testEnv: request.test_env,
    ...(request.test_links.length > 0 ? { testLinks: request.test_links } : {}),
    limits: {
      ...(limits.max_file_bytes !== undefined ? { maxFileBytes: limits.max_file_bytes } : {}),
      ...(limits.max_results !== undefined ? { maxResults: limits.max_results } : {}),
      ...(limits.max_output_bytes !== undefined ? { maxOutputBytes: limits.max_output_bytes } : {}),
      ...(limits.test_timeout_s !== undefined ? { testTimeoutSeconds: limits.test_timeout_s } : {}),
      ...(limits.allow_unsandboxed_tests !== undefined ? { allowUnsandboxedTests: limits.allow_unsandboxed_tests } : {}),
    },
    expiresAt,
  });
  if (!grant.success) throw new GrantRequestError(`invalid grant request: ${describeIssues(grant.error.issues)}`);
  return { ...grant.data, expiresAt };
}

const TEST_NAME = /^[A-Za-z0-9_.:-]+$/;

function testCommand(name: string, spec: string | TestCommand): TestCommand {
  if (!TEST_NAME.test(name)) throw new GrantRequestError(`invalid grant request: tests.${name}: test names use letters, digits, _ . : -`);
  if (typeof spec !== 'string') return spec;
  let argv: string[];
  try {
    argv = splitCommandLine(spec);
  } catch (error) {
    if (error instanceof CommandLineSyntaxError) throw new GrantRequestError(`invalid grant request: tests.${name}: ${error.message}`);
    throw error;
  }
  if (argv.length === 0) throw new GrantRequestError(`invalid grant request: tests.${name} is an empty command`);
  return { argv };
}

function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; ');
}
