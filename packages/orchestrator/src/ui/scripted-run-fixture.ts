// A scripted run written into a run store, for the dashboard's tests and for looking at the
// dashboard without a model: a read-only task's findings accepted by the review, decisions
// logged by the planner and the reviewer, two workers produced diffs, one task escalated for
// approval and one for rework, and a second run waits for plan approval. Every model is
// `scripted:*`.
import { makePlan } from '../plan/make-task.ts';
import type { RunStore } from '../store/run-store.ts';

export const FIXTURE_RUN = 'demo-shout';
export const FIXTURE_PLAN_RUN = 'demo-plan';
export const WORKER_MODEL = 'scripted:demo-worker';
export const PLANNER_DECISION = 'The flag is --shout, parsed in src/cli.ts; greet() takes an options object';
export const REVIEWER_DECISION = 'src/greet.ts stays the only place that builds a greeting';

export const GREET_DIFF = [
  'diff --git a/src/greet.ts b/src/greet.ts',
  'index 3b18e51..9f2c1aa 100644',
  '--- a/src/greet.ts',
  '+++ b/src/greet.ts',
  '@@ -1,5 +1,8 @@',
  '-export function greet(name: string): string {',
  "-  return 'Hello, ' + name;",
  '+/** Greets someone; `shout` upper-cases the whole greeting. */',
  '+export function greet(name: string, options: { shout?: boolean } = {}): string {',
  '+  const text = `Hello, ${name}`;',
  '+  // "<b>not markup</b>" stays text',
  '+  return options.shout ? text.toUpperCase() : text;',
  ' }',
  ' ',
  ' export const DEFAULT_NAME = "world";',
  '',
].join('\n');

const CLI_DIFF = [
  'diff --git a/src/cli.ts b/src/cli.ts',
  'index 1234567..89abcde 100644',
  '--- a/src/cli.ts',
  '+++ b/src/cli.ts',
  '@@ -3,3 +3,4 @@ import { greet } from "./greet.ts";',
  ' const args = process.argv.slice(2);',
  "-console.log(greet(args[0] ?? 'world'));",
  "+const shout = args.includes('--shout');",
  "+console.log(greet(args.find((a) => !a.startsWith('--')) ?? 'world', { shout }));",
  '',
].join('\n');

export function fixturePlan() {
  return makePlan(
    [
      { id: 'analyse', title: 'Find where greetings are built', type: 'analysis', brief: 'Read src/ and list every place that builds a greeting.', write_scope: [] },
      {
        id: 'greet-shout',
        title: 'Add a shout option to greet()',
        depends_on: ['analyse'],
        brief: 'Give greet() an options object with shout; upper-case the greeting when it is set.',
        read_scope: ['src/**'],
        write_scope: ['src/greet.ts'],
        tests: ['unit'],
        acceptance: ["greet('ann', { shout: true }) returns 'HELLO, ANN'"],
      },
      { id: 'cli-flag', title: 'Add --shout to the CLI', depends_on: ['analyse'], brief: 'Parse --shout in src/cli.ts and pass it to greet().', write_scope: ['src/cli.ts'], tests: ['unit'] },
      { id: 'docs', title: 'Document --shout', type: 'docs', phase: 2, depends_on: ['greet-shout', 'cli-flag'], brief: 'Describe --shout in README.md.', write_scope: ['README.md'] },
    ],
    { ticket: 'Add a --shout flag to the greeter', summary: 'Add an option to greet(), wire a CLI flag, then document it.' },
  );
}

/** Writes the scripted run (and a run awaiting plan approval) into the store; releases their locks. */
export async function seedScriptedRuns(store: RunStore): Promise<{ runId: string; planRunId: string }> {
  const writer = await store.createRun({ runId: FIXTURE_RUN, ticket: 'Add a --shout flag to the greeter', workflow: 'feature', baseCommit: '3b18e51', baseBranch: 'main', budgets: { tokens: 200_000, usd: 2 }, maxWorkers: 2 });
  const usage = (inputTokens: number, outputTokens: number) => ({ usage: { inputTokens, outputTokens }, costUsd: (inputTokens + outputTokens) / 1_000_000 });
  try {
    await writer.append({ type: 'decision_logged', text: PLANNER_DECISION, source: 'planner', by: 'scripted:demo-planner', planVersion: 1 });
    const plan = await writer.proposePlan({ plan: fixturePlan(), source: 'proposed', by: 'scripted:demo-planner' });
    await writer.approvePlan({ version: plan.version, by: 'ann' });
    const model = WORKER_MODEL;
    await writer.appendMany([
      { type: 'task_started', taskId: 'analyse', attempt: 1, model },
      { type: 'task_event', taskId: 'analyse', attempt: 1, kind: 'model_call', model, ...usage(1200, 300) },
      { type: 'task_event', taskId: 'analyse', attempt: 1, kind: 'tool_call', name: 'read_file', durationMs: 3, detail: 'src/greet.ts (5 lines)' },
      { type: 'file_read', taskId: 'analyse', attempt: 1, path: 'src/greet.ts' },
      { type: 'findings_reported', taskId: 'analyse', attempt: 1, findings: 'Greetings are built only in src/greet.ts (greet, line 1); src/cli.ts prints them.' },
      { type: 'task_status', taskId: 'analyse', status: 'awaiting_review' },
      { type: 'review_decided', taskId: 'analyse', attempt: 1, decision: 'accept', reasons: ['names the one place and quotes it'], by: 'reviewer', decisions: [REVIEWER_DECISION] },
      { type: 'task_status', taskId: 'analyse', status: 'done', reason: 'findings accepted by the reviewer' },
      { type: 'decision_logged', text: REVIEWER_DECISION, source: 'reviewer', by: 'reviewer', taskId: 'analyse' },

      { type: 'task_started', taskId: 'greet-shout', attempt: 1, model, branch: 'baton-tasks/demo-shout/greet-shout' },
      { type: 'task_started', taskId: 'cli-flag', attempt: 1, model, branch: 'baton-tasks/demo-shout/cli-flag' },
      { type: 'task_event', taskId: 'greet-shout', attempt: 1, kind: 'model_call', model, ...usage(2400, 700) },
      { type: 'task_event', taskId: 'greet-shout', attempt: 1, kind: 'tool_call', name: 'read_file', durationMs: 2, detail: 'src/greet.ts' },
      { type: 'file_read', taskId: 'greet-shout', attempt: 1, path: 'src/greet.ts' },
      { type: 'task_event', taskId: 'greet-shout', attempt: 1, kind: 'tool_call', name: 'apply_diff', durationMs: 5, detail: 'src/greet.ts: 1 hunk applied' },
      { type: 'file_written', taskId: 'greet-shout', attempt: 1, path: 'src/greet.ts' },
      { type: 'task_event', taskId: 'greet-shout', attempt: 1, kind: 'tool_call', name: 'write_file', isError: true, durationMs: 1, detail: 'src/other.ts [scope_denied: outside the write scope]' },
      { type: 'task_event', taskId: 'greet-shout', attempt: 1, kind: 'message', model, detail: 'greet() takes { shout } now; <script>alert("x")</script> is not run.' },
      { type: 'diff_recorded', taskId: 'greet-shout', attempt: 1, commit: '9f2c1aa', files: ['src/greet.ts'], diff: GREET_DIFF },
      { type: 'test_result', taskId: 'greet-shout', attempt: 1, suite: 'unit', passed: true, summary: '12 passed', durationMs: 840 },
      { type: 'review_decided', taskId: 'greet-shout', attempt: 1, decision: 'escalate', reasons: ['changes the signature of an exported function'] },
      { type: 'task_status', taskId: 'greet-shout', status: 'awaiting_review' },
      { type: 'escalation_raised', escalationId: 'esc-greet-shout-1', taskId: 'greet-shout', reason: 'The reviewer wants a human to confirm the new greet() signature.', options: ['approve', 'retry', 'reject'] },

      { type: 'task_event', taskId: 'cli-flag', attempt: 1, kind: 'model_call', model, ...usage(1800, 500) },
      { type: 'task_event', taskId: 'cli-flag', attempt: 1, kind: 'tool_call', name: 'apply_diff', durationMs: 4, detail: 'src/cli.ts: 1 hunk applied' },
      { type: 'file_written', taskId: 'cli-flag', attempt: 1, path: 'src/cli.ts' },
      { type: 'diff_recorded', taskId: 'cli-flag', attempt: 1, commit: '89abcde', files: ['src/cli.ts'], diff: CLI_DIFF },
      { type: 'test_result', taskId: 'cli-flag', attempt: 1, suite: 'unit', passed: false, summary: '1 failed: cli prints HELLO, WORLD' },
      { type: 'review_decided', taskId: 'cli-flag', attempt: 1, decision: 'escalate', reasons: ['tests fail after the change'] },
      { type: 'task_status', taskId: 'cli-flag', status: 'awaiting_review' },
      { type: 'escalation_raised', escalationId: 'esc-cli-flag-1', taskId: 'cli-flag', reason: 'Tests fail after two attempts; decide whether to retry with guidance.', options: ['approve', 'retry', 'reject'] },
      { type: 'budget', level: 'warning', resource: 'tokens', used: 6900, limit: 200_000 },
    ]);
  } finally {
    await writer.release();
  }

  const planWriter = await store.createRun({ runId: FIXTURE_PLAN_RUN, ticket: 'Rename greet to salute', workflow: 'refactor', baseCommit: '3b18e51', baseBranch: 'main', maxWorkers: 2 });
  try {
    await planWriter.proposePlan({
      plan: makePlan(
        [
          { id: 'rename', title: 'Rename greet to salute', type: 'refactor', brief: 'Rename the function and its callers.', write_scope: ['src/**'] },
          { id: 'docs', title: 'Update the README', type: 'docs', depends_on: ['rename'], brief: 'Say salute where README says greet.', write_scope: ['README.md'] },
        ],
        { ticket: 'Rename greet to salute', summary: 'One rename, then the docs.', workflow: 'refactor' },
      ),
      source: 'proposed',
      by: 'scripted:demo-planner',
    });
  } finally {
    await planWriter.release();
  }
  return { runId: FIXTURE_RUN, planRunId: FIXTURE_PLAN_RUN };
}
