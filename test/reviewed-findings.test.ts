// Read-only findings reviewed like diffs, and the decisions log, end to end with scripted models
// on the incident example (the real CLI, a copy of the example service): the planner logs
// decisions with its plan, a person adds one before approving, the reviewer accepts one task's
// findings (logging a decision), sends another back once and accepts the rework, and escalates
// the proposed fix, which waits for a person's answer; only accepted findings, and every
// decision, reach the brief of the task that depends on them.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitSync, makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const examples = path.join(REPO_ROOT, 'examples');
const models = [
  '--planner', `scripted:${path.join(examples, 'scripts', 'incident', 'planner.yaml')}`,
  '--worker', `scripted:${path.join(examples, 'scripts', 'incident', 'worker.yaml')}`,
  '--reviewer', `scripted:${path.join(REPO_ROOT, 'test', 'fixtures', 'incident-review', 'reviewer.yaml')}`,
];
const PLANNER_DECISIONS = ['No file changes before a human decides; the tasks report findings and a proposed fix only', 'Timestamps stay ISO 8601 strings in UTC, as validateCustomer returns them today'];
const HUMAN_DECISION = 'The fix may not add dependencies: the service runs on plain Node';
const REVIEWER_DECISION = 'The defect is in customer creation (validateCustomer), not in the weekly report or the notifier';

interface LoggedEvent {
  type: string;
  taskId?: string;
  attempt?: number;
  name?: string;
  detail?: string;
  decision?: string;
  findings?: string;
  status?: string;
}

let repo: TestGitRepo;
afterAll(() => repo?.cleanup());

const baton = (args: string[]) => runBaton([...args, '--repo', repo.dir]);
const log = async (): Promise<LoggedEvent[]> => (await baton(['log', 'inc', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as LoggedEvent);
const briefOf = (events: LoggedEvent[], taskId: string, attempt: number) => events.find((e) => e.type === 'task_event' && e.name === 'brief' && e.taskId === taskId && e.attempt === attempt)?.detail ?? '';

describe('reviewed findings and the decisions log, end to end', () => {
  it('reviews each analysis, passes on only accepted findings and every decision, and waits for a person on the escalated fix', async () => {
    repo = await makeGitRepo({ source: path.join(examples, 'service') });
    const planned = await runBaton(['run', '--ticket-file', path.join(examples, 'tickets', 'incident-signup-dates.md'), '--workflow', 'incident', '--repo', repo.dir, '--run-id', 'inc', ...models]);
    expect(planned.code, `${planned.stdout}\n${planned.stderr}`).toBe(3);
    expect(planned.stdout).toContain(`Decisions every task will follow:\n  D1 ${PLANNER_DECISIONS[0]}\n  D2 ${PLANNER_DECISIONS[1]}`);

    // A person adds a decision while the plan waits for approval, then approves it.
    const added = await baton(['decisions', 'inc', 'add', HUMAN_DECISION, '--by', 'ann']);
    expect(added.code, added.stderr).toBe(0);
    expect((await baton(['approve', 'inc'])).code).toBe(0);
    const first = await baton(['resume', 'inc', ...models]);
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(3);

    let events = await log();
    const verdicts = (taskId: string) => events.filter((e) => e.type === 'review_decided' && e.taskId === taskId).map((e) => e.decision);
    expect(verdicts('log-analysis')).toEqual(['accept']);
    expect(verdicts('code-inspection')).toEqual(['rework', 'accept']);
    expect(verdicts('propose-fix')).toEqual(['escalate']);
    // The rework carried the reviewer's feedback and the findings it did not accept.
    expect(briefOf(events, 'code-inspection', 2)).toContain('## Review of attempt 1: rework requested\nQuote the line that sets the default');
    expect(briefOf(events, 'code-inspection', 2)).toContain("That attempt's findings (not accepted):\nsrc/domain/customer.ts, validateCustomer");

    // The fix's brief: every decision (planner, person, reviewer) and both accepted findings.
    const fixBrief = briefOf(events, 'propose-fix', 1);
    expect(fixBrief).toContain(`## Decisions so far\n`);
    expect(fixBrief).toContain(`- D1: ${PLANNER_DECISIONS[0]}\n- D2: ${PLANNER_DECISIONS[1]}\n- D3: ${HUMAN_DECISION}\n- D4: ${REVIEWER_DECISION}`);
    expect(fixBrief).toContain('## Findings of the tasks this one builds on (accepted by review)');
    expect(fixBrief).toContain('### log-analysis: Cluster the errors in the incident log\nClusters: (1) customers.create logs created_at=1970');
    expect(fixBrief).toContain('### code-inspection: Find where created_at is set\nsrc/domain/customer.ts, validateCustomer');
    // Briefs written before the reviewer's decision was logged do not carry it; the analysis briefs carry the others.
    expect(briefOf(events, 'log-analysis', 1)).toContain(`- D3: ${HUMAN_DECISION}`);
    expect(briefOf(events, 'log-analysis', 1)).not.toContain('D4');
    // The fix was not started before both analyses were accepted.
    const fixStarted = events.findIndex((e) => e.type === 'task_started' && e.taskId === 'propose-fix');
    const accepted = events.map((e, i) => (e.type === 'task_status' && e.status === 'done' ? i : -1)).filter((i) => i >= 0);
    expect(accepted.length).toBe(2);
    expect(Math.max(...accepted)).toBeLessThan(fixStarted);

    const waiting = JSON.parse((await baton(['escalations', '--json'])).stdout) as { id: string; taskId?: string; options: string[] }[];
    expect(waiting).toEqual([expect.objectContaining({ id: 'propose-fix-1', taskId: 'propose-fix', options: ['approve', 'retry', 'reject', 'skip'] })]);
    let status = JSON.parse((await baton(['status', 'inc', '--json'])).stdout) as { tasks: { id: string; status: string; findings: { accepted: boolean } | null }[] };
    expect(status.tasks.map((t) => [t.id, t.status, t.findings?.accepted])).toEqual([
      ['log-analysis', 'done', true],
      ['code-inspection', 'done', true],
      ['propose-fix', 'blocked', false],
    ]);

    // A person accepts the proposed fix; resuming ends the run with it accepted.
    expect((await baton(['decide', 'inc', 'propose-fix', 'accept', '--comment', 'default to now, with the clock injectable'])).code).toBe(0);
    const resumed = await baton(['resume', 'inc', ...models]);
    expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    status = JSON.parse((await baton(['status', 'inc', '--json'])).stdout) as typeof status;
    expect(status.tasks.find((t) => t.id === 'propose-fix')).toMatchObject({ status: 'done', findings: { accepted: true } });
    events = await log();
    expect(events.filter((e) => e.type === 'review_decided' && e.taskId === 'propose-fix')).toHaveLength(1);
    expect(gitSync(repo.dir, ['rev-list', '--count', 'main..baton/inc'])).toBe('0');

    const decisions = JSON.parse((await baton(['decisions', 'inc', '--json'])).stdout) as { entries: { label: string; source: string; by: string; text: string }[] };
    expect(decisions.entries.map((e) => [e.label, e.source, e.text])).toEqual([
      ['D1', 'planner', PLANNER_DECISIONS[0]],
      ['D2', 'planner', PLANNER_DECISIONS[1]],
      ['D3', 'human', HUMAN_DECISION],
      ['D4', 'reviewer', REVIEWER_DECISION],
    ]);
  });
});
