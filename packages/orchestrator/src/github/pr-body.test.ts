import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { makePlan } from '../plan/make-task.ts';
import { recordPilotEvent } from '../report/record-pilot-event.ts';
import { openRunStore } from '../store/open-store.ts';
import { MAX_BODY_CHARS, pullRequestText } from './pr-body.ts';

const render = (markdown: string) => micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
const HOSTILE = '<img src=x onerror=alert(1)> @octocat Fixes #12 [x](https://evil.example) | cell';

async function recordedRun(options: { hostile?: string; tasks?: number } = {}) {
  const store = openRunStore({ path: ':memory:', now: () => new Date('2026-11-20T10:00:00Z') });
  const text = options.hostile ?? 'plain';
  const w = await store.createRun({ runId: 'r1', ticket: `Add CSV export ${text}\n\nDetails: ${text}`, workflow: 'feature', baseCommit: 'a'.repeat(40), baseBranch: 'main', maxWorkers: 2 });
  const ids = Array.from({ length: options.tasks ?? 2 }, (_, i) => `t${i + 1}`);
  const plan = makePlan(ids.map((id) => ({ id, title: `Task ${id} ${text}`, write_scope: ['src/**'] })), { summary: `Summary ${text}` });
  await w.approvePlan({ version: (await w.proposePlan({ plan, source: 'proposed', by: 'scripted:planner.yaml' })).version });
  await w.append({ type: 'task_started', taskId: 't1', attempt: 1, model: 'scripted:worker.yaml' });
  await w.append({ type: 'task_event', taskId: 't1', attempt: 1, kind: 'model_call', model: 'scripted:worker.yaml', usage: { inputTokens: 1500, outputTokens: 500 }, costUsd: 0.02 });
  await w.append({ type: 'test_result', taskId: 't1', attempt: 1, suite: 'unit', passed: false, summary: text });
  await w.append({ type: 'review_decided', taskId: 't1', attempt: 1, decision: 'rework', reasons: ['tests_failed'], feedback: text });
  await w.append({ type: 'task_started', taskId: 't1', attempt: 2 });
  await w.append({ type: 'test_result', taskId: 't1', attempt: 2, suite: 'unit', passed: true });
  await w.append({ type: 'review_decided', taskId: 't1', attempt: 2, decision: 'accept', reasons: [text] });
  await w.append({ type: 'task_status', taskId: 't1', status: 'done' });
  await w.append({ type: 'escalation_raised', escalationId: 't2-1', taskId: 't2', reason: `conflict ${text}` });
  await w.append({ type: 'decision_logged', text: `CSV columns are id, email, role ${text}`, source: 'planner', by: 'scripted:planner.yaml', planVersion: 1 });
  await w.release();
  await store.recordHumanDecision('r1', { decision: 'skip', escalationId: 't2-1', taskId: 't2', by: 'alice', note: `not needed ${text}` });
  await recordPilotEvent(store, 'r1', { type: 'human_estimate', seconds: 3 * 3600, by: 'bob' });
  return store;
}

describe('pullRequestText', () => {
  it('has the ticket, the plan, a row per task, escalations with answers, figures and the scripted warning', async () => {
    const store = await recordedRun();
    const { title, body } = pullRequestText(await store.state('r1'), await store.events('r1'), { headCommit: 'b'.repeat(40) });
    expect(title).toBe('Add CSV export plain');
    expect(body).toContain('[!WARNING]');
    expect(body).toContain('`scripted:worker.yaml`');
    expect(body).toMatch(/## Ticket\n\nAdd CSV export plain<br>\n<br>\nDetails: plain/);
    expect(body).toContain('2 task(s) in 1 phase(s) · plan v1, approved');
    expect(body).toMatch(/\| `t1` Task t1 plain \| done \| 2 \| ✓ `unit` \| attempt 1 rework: tests\\_failed<br>attempt 2 accept: plain \| 2\.0k \| \$0\.0200 \|/);
    expect(body).toMatch(/\| `t2` Task t2 plain \| pending \| 0 \| — \| — \| 0 \| \$0\.0000 \|/);
    expect(body).toContain('- `t2-1` (task `t2`): conflict plain → **skip** by alice: not needed plain');
    expect(body).toContain('- human-only estimate: 3h (by bob)');
    expect(body).toContain('## Decisions log\n\n- D1 (planner, `scripted:planner.yaml`): CSV columns are id, email, role plain');
    const html = render(body);
    expect(html.match(/<tr>/g)).toHaveLength(3);
  });

  it('renders worker-controlled text inert: no tags but ours, no links, no mentions, no issue references', async () => {
    const store = await recordedRun({ hostile: HOSTILE });
    const { title, body } = pullRequestText(await store.state('r1'), await store.events('r1'), { headCommit: 'b'.repeat(40) });
    expect(title).toBe(`Add CSV export ${HOSTILE}`);
    const html = render(body);
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    const ours = new Set(['blockquote', 'br', 'code', 'em', 'h2', 'li', 'p', 'strong', 'sub', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul']);
    expect([...tags].filter((t) => !ours.has(t!))).toEqual([]);
    const text = html.replace(/<[^>]+>/g, ' ');
    expect(text).not.toMatch(/(?<![\w`])@[A-Za-z0-9]|#\d|https?:\/\//);
    // Every row still has its seven cells: the pipe in the text did not split one.
    for (const row of html.match(/<tr>[\s\S]*?<\/tr>/g)!.slice(1)) expect(row.match(/<td/g)).toHaveLength(7);
  });

  it('drops table rows, not sections, when the body would pass GitHub limit', async () => {
    const store = await recordedRun({ hostile: 'x'.repeat(110), tasks: 900 });
    const { body } = pullRequestText(await store.state('r1'), await store.events('r1'), { headCommit: 'b'.repeat(40) });
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body).toMatch(/more task\(s\): see `baton status r1`/);
    expect(body).toContain('## Figures');
  });
});
