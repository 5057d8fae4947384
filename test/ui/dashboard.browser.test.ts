// The dashboard in a real browser (Debian's Chromium through playwright-core) on a scripted
// run: sign in through the token URL, walk run -> task -> diff, answer two escalations, watch
// a live update arrive, and edit/approve a plan. Screenshots go to test/ui/.screenshots/ for a
// person to look at.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_PLAN_RUN,
  FIXTURE_RUN,
  openRunStore,
  PLANNER_DECISION,
  recordDecisionChange,
  REVIEWER_DECISION,
  seedScriptedRuns,
  startDashboardServer,
  storeDashboardSource,
  type DashboardServer,
  type DecideInput,
  type RunStore,
} from '@baton/orchestrator';

const CHROMIUM = process.env['BATON_CHROMIUM'] ?? '/usr/bin/chromium';
const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '.screenshots');

let store: RunStore;
let server: DashboardServer;
let browser: Browser;
let page: Page;
const decided: DecideInput[] = [];
const pageProblems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package or set BATON_CHROMIUM to a Chromium binary`);
  mkdirSync(SHOTS, { recursive: true });
  store = openRunStore({ path: ':memory:' });
  await seedScriptedRuns(store);
  const source = storeDashboardSource({ store });
  server = await startDashboardServer({
    source: { ...source, decide: (input) => (decided.push(input), source.decide(input)) },
    pollMs: 50,
    user: 'browser-test',
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every non-2xx reply; the plan check's 422 for an invalid plan is expected.
    if (message.type() === 'error' && !/status of 422 \(Unprocessable Entity\)/.test(message.text())) pageProblems.push(`console error: ${message.text()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
});

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const text = (testId: string) => page.getByTestId(testId).innerText();

describe('dashboard in Chromium', () => {
  it('signs in through the token URL and drops the token from the address bar', async () => {
    await page.goto(server.url);
    await page.getByTestId(`run-${FIXTURE_RUN}`).waitFor();
    expect(page.url()).toBe(`${server.origin}/`);
    expect(page.url()).not.toContain(server.token);
    // Each scripted run is labelled in the list.
    expect(await page.getByTestId(`run-${FIXTURE_RUN}`).getByTestId('scripted-label').innerText()).toBe('scripted');
    expect(await page.getByTestId(`run-${FIXTURE_PLAN_RUN}`).getByTestId('scripted-label').count()).toBe(1);
    await shot('1-runs');
  });

  it('shows the run with its task graph, budget and scripted banner', async () => {
    await page.getByRole('link', { name: FIXTURE_RUN }).click();
    await page.getByTestId('task-graph').waitFor();
    expect(await text('scripted-banner')).toContain('scripted:demo-worker');
    expect(await page.locator('[data-testid=task-graph] .edge').count()).toBe(4);
    expect(await page.getByTestId('node-analyse').getAttribute('class')).toContain('status-done');
    expect(await text('budget-tokens')).toContain('6,900 of 200,000');
    await shot('2-run');
  });

  it('updates the task graph live when an event is appended, keeping a comment being typed', async () => {
    await page.getByTestId('comment-cli-flag').fill('half-written thought');
    const writer = await store.openWriter(FIXTURE_RUN);
    try {
      await writer.append({ type: 'task_started', taskId: 'docs', attempt: 1, model: 'scripted:demo-worker' });
    } finally {
      await writer.release();
    }
    await page.locator('[data-testid=node-docs].status-in_progress').waitFor();
    expect(await page.getByTestId('comment-cli-flag').inputValue()).toBe('half-written thought');
  });

  it('opens a task: brief, scopes, conversation as text, tool calls, files and the side-by-side diff', async () => {
    await page.getByTestId('node-greet-shout').click();
    await page.getByTestId('side-by-side').waitFor();
    expect(await text('brief')).toContain('Give greet() an options object with shout');
    expect(await text('scripted-banner')).toContain('scripted');
    const diff = page.getByTestId('side-by-side');
    expect(await diff.locator('td.del').first().innerText()).toContain('export function greet(name: string): string {');
    expect(await diff.locator('td.add').nth(1).innerText()).toContain('options: { shout?: boolean }');
    expect(await diff.locator('.tok-keyword', { hasText: 'export' }).count()).toBeGreaterThan(0);
    expect(await diff.locator('.tok-comment').first().innerText()).toContain('Greets someone');
    // Model text that looks like markup is shown, not run or parsed.
    expect(await text('conversation')).toContain('<script>alert("x")</script>');
    expect(await page.locator('main script, main b').count()).toBe(0);
    expect(await text('tool-calls')).toContain('scope_denied');
    expect(await text('files-written')).toContain('src/greet.ts');
    await shot('3-task-diff');
  });

  it('answers escalations: approve one, request rework with a comment on the other', async () => {
    await page.getByRole('link', { name: 'Escalations' }).click();
    await page.getByTestId('escalation-esc-cli-flag-1').waitFor();
    expect(await page.getByTestId('escalation-esc-cli-flag-1').getByTestId('scripted-label').count()).toBe(1);

    // Rework without a comment is refused in the page and never reaches decide().
    await page.getByTestId('rework-cli-flag').click();
    await page.getByTestId('decide-cli-flag').getByText('Say what to change').waitFor();
    expect(decided).toEqual([]);

    await page.getByTestId('approve-greet-shout').click();
    await page.getByTestId('decide-greet-shout').getByText('Recorded: accept.').waitFor();
    await page.getByTestId('comment-cli-flag').fill('Parse flags with node:util parseArgs and keep the default name.');
    await page.getByTestId('rework-cli-flag').click();
    await page.getByTestId('decide-cli-flag').getByText('Recorded: rework.').waitFor();
    await shot('4-escalations-answered');

    expect(decided).toEqual([
      { runId: FIXTURE_RUN, target: 'greet-shout', decision: 'accept', by: 'browser-test' },
      { runId: FIXTURE_RUN, target: 'cli-flag', decision: 'rework', comment: 'Parse flags with node:util parseArgs and keep the default name.', by: 'browser-test' },
    ]);
    const recorded = (await store.events(FIXTURE_RUN)).filter((e) => e.type === 'human_decision');
    expect(recorded.map((e) => e.type === 'human_decision' && [e.escalationId, e.decision, e.note])).toEqual([
      ['esc-greet-shout-1', 'approve', undefined],
      ['esc-cli-flag-1', 'retry', 'Parse flags with node:util parseArgs and keep the default name.'],
    ]);

    await page.reload();
    await page.getByTestId('no-escalations').waitFor();
  });

  it("shows the decisions log on the run page and changes it: add, reword, remove, and the log's refusal", async () => {
    await page.goto(`${server.origin}/#/runs/${FIXTURE_RUN}`);
    const log = page.getByTestId('decision-log');
    await log.waitFor();
    expect(await text('decision-text-D1')).toBe(PLANNER_DECISION);
    expect(await page.getByTestId('decision-D1').innerText()).toContain('planner scripted:demo-planner, plan v1');
    expect(await page.getByTestId('decision-D2').innerText()).toContain('reviewer, with analyse');

    // Enter adds (a decision is one line); the entry shows who added it.
    await page.getByTestId('decision-add-text').fill('Keep greet() pure: no console output');
    await page.getByTestId('decision-add-text').press('Enter');
    await page.getByTestId('decision-D3').waitFor();
    expect(await page.getByTestId('decision-D3').innerText()).toContain('human browser-test');
    expect(await page.getByTestId('decision-add-text').inputValue()).toBe('');

    await page.getByTestId('decision-edit-button-D3').click();
    await page.getByTestId('decision-edit-D3').fill('Keep greet() a pure function');
    await page.getByTestId('decision-save-D3').click();
    await page.getByTestId('decision-text-D3').getByText('Keep greet() a pure function').waitFor();
    expect(await page.getByTestId('decision-D3').innerText()).toContain('edited by browser-test');

    await page.getByTestId('decision-remove-D1').click();
    await page.getByTestId('decision-D1').waitFor({ state: 'detached' });

    // The log's own limit, with its message; nothing is added.
    await page.getByTestId('decision-add-text').fill('x'.repeat(301));
    await page.getByTestId('decision-add').click();
    await page.getByTestId('decision-log-notice').getByText('a decision is at most 300 characters (this one has 301)').waitFor();
    await shot('5-decisions');
    expect((await store.state(FIXTURE_RUN)).decisions.entries.map((e) => [e.id, e.text, e.by])).toEqual([
      [2, REVIEWER_DECISION, 'reviewer'],
      [3, 'Keep greet() a pure function', 'browser-test'],
    ]);
    // A draft survives a live re-render caused by someone else's change.
    await page.getByTestId('decision-add-text').fill('half-written decision');
    await recordDecisionChange(store, FIXTURE_RUN, { action: 'add', text: 'Logged from the CLI meanwhile', source: 'human', by: 'cli' });
    await page.getByTestId('decision-D4').waitFor();
    expect(await page.getByTestId('decision-add-text').inputValue()).toBe('half-written decision');
  });

  it("shows a read-only task's findings with what the review made of them", async () => {
    await page.goto(`${server.origin}/#/runs/${FIXTURE_RUN}/tasks/analyse`);
    const card = page.getByTestId('findings-1');
    await card.waitFor();
    expect(await card.innerText()).toContain('Greetings are built only in src/greet.ts');
    expect(await card.getByTestId('findings-outcome').getAttribute('data-outcome')).toBe('accepted');
    expect(await page.getByText('No diff recorded yet.').count()).toBe(0);
    await shot('6-findings');
  });

  it('edits a plan: an invalid edit shows its line, a valid one is saved and approved', async () => {
    await page.goto(`${server.origin}/#/runs/${FIXTURE_PLAN_RUN}/plan`);
    const editor = page.getByTestId('plan-text');
    await editor.waitFor();
    await page.getByTestId('plan-problems').getByText('The plan is valid.').waitFor();
    const original = await editor.inputValue();
    const broken = original.replace('depends_on:\n      - rename', 'depends_on:\n      - ghost');
    expect(broken).not.toBe(original);
    await editor.fill(broken);
    await page.getByTestId('plan-save').click();
    const error = page.getByTestId('plan-error').first();
    await error.waitFor();
    const ghostLine = broken.split('\n').findIndex((line) => line.includes('ghost')) + 1;
    expect(await error.getAttribute('data-line')).toBe(String(ghostLine));
    expect(await error.innerText()).toContain(`line ${ghostLine}:`);
    expect(await error.innerText()).toContain('ghost');
    await shot('7-plan-invalid');
    expect((await store.state(FIXTURE_PLAN_RUN)).planVersion).toBe(1);

    await editor.fill(original.replace('One rename, then the docs.', 'One rename, then the docs (checked in the browser).'));
    await page.getByTestId('plan-approve').click();
    await page.getByText('Approved plan v2.').waitFor();
    expect(await store.state(FIXTURE_PLAN_RUN)).toMatchObject({ approvedVersion: 2, plan: { summary: 'One rename, then the docs (checked in the browser).' } });
    await shot('8-plan-approved');
  });

  it('shows the pilot metrics with charts', async () => {
    await page.goto(`${server.origin}/#/report`);
    await page.getByTestId('report-summary').waitFor();
    expect(await page.getByTestId('report-summary').textContent()).toMatch(/\d+ run\(s\)/);
    expect(await page.locator('svg[aria-label="Tokens by role"] rect').count()).toBeGreaterThan(0);
    expect(await page.locator('svg[aria-label="Cost by run"] rect').count()).toBe(2);
    await shot('9-report');
  });

  it('had no script errors on any page', async () => {
    expect(pageProblems).toEqual([]);
  });
});
