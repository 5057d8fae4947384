// run_tests: runs one of the grant's named test commands in the workspace, sandboxed, with a
// time limit and capped output, and reports truthfully: passed only when the exit code is 0.
import { z } from 'zod';
import { resolveAccessiblePath } from '../confine/access.ts';
import type { ProcessResult } from '../run-tests/run-process.ts';
import { runTestCommand } from '../run-tests/run-test-command.ts';
import { sandboxStatus } from '../run-tests/sandbox.ts';
import { parseTestOutput } from '../run-tests/summary-parsers.ts';
import { filterProblem } from '../run-tests/test-filter.ts';
import { defineTool } from './tool.ts';
import { ToolError } from './tool-error.ts';

const input = z.object({
  suite: z.string().describe('Name of a test suite this session may run (the error for an unknown name lists them).'),
  filter: z
    .string()
    .max(500)
    .optional()
    .describe('Appended to the suite\'s command as ONE argument: a test file or a name pattern, never parsed by a shell. It may not start with "-", "+" or "@", so that no runner reads it as an option or a file of options.'),
});

const output = z.object({
  suite: z.string(),
  status: z.enum(['passed', 'failed', 'timed_out', 'cancelled', 'error']),
  exit_code: z.number().int().nullable(),
  signal: z.string().nullable(),
  duration_ms: z.number().int(),
  sandboxed: z.boolean().describe('False only when sandboxing was unavailable and the grant allows running without it.'),
  counts: z.object({ runner: z.string(), passed: z.number().int(), failed: z.number().int(), skipped: z.number().int() }).optional(),
  failing: z.array(z.string()).describe('Names of failing tests, when the runner\'s output shows them.'),
  output: z.string().describe('Combined stdout and stderr; the middle is cut when it exceeds the limit.'),
  output_truncated: z.boolean(),
});
type Output = z.infer<typeof output>;

export const runTestsTool = defineTool({
  name: 'run_tests',
  title: 'Run tests',
  description:
    'Run one of the named test commands this session may run, in the workspace, in a sandbox: no network, nothing of the machine but the system directories, ' +
    'the toolchain the command needs (read-only) and the workspace (writable, its .git hidden), a private /tmp, and a time limit that ends every process the command started. ' +
    'The optional filter is one test file or name pattern; it may not start with "-", "+" or "@". ' +
    'Returns status (passed only when the command exits 0), pass/fail counts and failing test names when the runner shows them, ' +
    'and the output (head and tail when long). Use it after each change to check your work.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ suite, filter }, ctx): Promise<Output> {
    const command = Object.hasOwn(ctx.grant.tests, suite) ? ctx.grant.tests[suite] : undefined;
    if (!command) {
      const names = Object.keys(ctx.grant.tests);
      throw new ToolError({ code: 'unknown_test', message: `no test suite named "${suite}" in this session; ${names.length ? `you may run: ${names.join(', ')}` : 'this session may run no tests'}`, fault: 'request' });
    }
    const given = filter?.trim() === '' ? undefined : filter;
    const problem = given === undefined ? undefined : filterProblem(given);
    if (problem) throw new ToolError({ code: 'bad_filter', message: problem, fault: 'request' });
    const commandArgv = given === undefined ? command.argv : [...command.argv, given];
    const cwd = command.cwd ? (await resolveAccessiblePath(ctx, command.cwd, 'read')).abs : ctx.root;
    const sandbox = sandboxStatus();
    if (!sandbox.available && !ctx.grant.limits.allowUnsandboxedTests) {
      throw new ToolError({ code: 'sandbox_unavailable', message: `refusing to run tests without a sandbox: ${sandbox.reason}. An operator can allow unsandboxed tests for this grant.`, fault: 'environment' });
    }
    const links = ctx.grant.testLinks ?? [];
    if (!sandbox.available && links.length > 0) {
      throw new ToolError({ code: 'sandbox_unavailable', message: `refusing to run tests without a sandbox: ${sandbox.reason}. This session's tests need linked paths (${links.map((l) => l.path).join(', ')}), which only the sandbox can show read-only.`, fault: 'environment' });
    }
    ctx.log({ type: 'process.started', argv: commandArgv });
    const result = await runTestCommand({
      workspace: ctx.root,
      cwd,
      command: command.argv,
      argv: commandArgv,
      bwrap: sandbox.available ? sandbox.bwrap : undefined,
      allowEnv: ctx.grant.testEnv,
      readOnly: ctx.grant.testReadOnly ?? [],
      links,
      timeoutMs: ctx.grant.limits.testTimeoutSeconds * 1000,
      maxOutputBytes: ctx.grant.limits.maxOutputBytes,
      signal: ctx.signal,
    });
    ctx.log({ type: 'process.exited', exitCode: result.exitCode, timedOut: result.timedOut, durationMs: result.durationMs });
    const counts = parseTestOutput(result.output);
    return {
      suite,
      status: statusOf(result),
      exit_code: result.exitCode,
      signal: result.signal,
      duration_ms: result.durationMs,
      sandboxed: sandbox.available,
      ...(counts ? { counts: { runner: counts.runner, passed: counts.passed, failed: counts.failed, skipped: counts.skipped } } : {}),
      failing: counts?.failing ?? [],
      output: result.spawnError ? `could not start ${command.argv[0]}: ${result.spawnError}\n${result.output}` : result.output,
      output_truncated: result.outputTruncated,
    };
  },
  render(out) {
    const head = [`${out.suite}: ${out.status.toUpperCase()}${out.exit_code !== null ? ` (exit ${out.exit_code})` : out.signal ? ` (${out.signal})` : ''} in ${(out.duration_ms / 1000).toFixed(1)}s${out.sandboxed ? '' : ' [NOT sandboxed]'}`];
    if (out.counts) head.push(`${out.counts.passed} passed, ${out.counts.failed} failed, ${out.counts.skipped} skipped (${out.counts.runner})`);
    if (out.failing.length) head.push(`failing: ${out.failing.join('; ')}`);
    if (out.status === 'timed_out') head.push('The command hit the time limit and was stopped with every process it started.');
    return `${head.join('\n')}\n\n${out.output}`;
  },
});

function statusOf(result: ProcessResult): Output['status'] {
  if (result.spawnError !== undefined && result.exitCode === null) return 'error';
  if (result.cancelled) return 'cancelled';
  if (result.timedOut) return 'timed_out';
  return result.exitCode === 0 ? 'passed' : 'failed';
}

