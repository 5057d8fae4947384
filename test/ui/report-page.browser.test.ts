// The dashboard's Report page in a real browser (Debian's Chromium through playwright-core):
// per-ticket pilot figures (time against the estimate, review, regressions) and their totals,
// with hostile text and a javascript: pull request URL kept inert.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePlan, openRunStore, recordPilotEvent, startDashboardServer, storeDashboardSource, type DashboardServer, type RunStore } from '@baton/orchestrator';

const CHROMIUM = process.env['BATON_CHROMIUM'] ?? '/usr/bin/chromium';
const SHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '.screenshots');
const HOSTILE = '<img src=x onerror="window.pwned=1">';

let store: RunStore;
let server: DashboardServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

async function seed(s: RunStore, clock: { t: number }): Promise<void> {
  const run = async (id: string, ticket: string, minutes: number) => {
    const w = await s.createRun({ runId: id, ticket, workflow: 'feature', baseCommit: 'a'.repeat(40), maxWorkers: 1 });
    await w.approvePlan({ version: (await w.proposePlan({ plan: makePlan([{ id: 't1' }]), source: 'proposed' })).version });
    clock.t += minutes * 60_000;
    await w.append({ type: 'run_finished', outcome: 'succeeded' });
    await w.release();
  };
  await run('alpha', 'Add CSV export', 45);
  await run('beta', `Rename ${HOSTILE}`, 120);
  await run('gamma', 'No estimate here', 5);
  await recordPilotEvent(s, 'alpha', { type: 'human_estimate', seconds: 3 * 3600 });
  await recordPilotEvent(s, 'alpha', { type: 'pull_request', action: 'opened', repo: 'o/r', number: 12, url: 'https://github.com/o/r/pull/12', base: 'main', head: 'baton/alpha', commit: 'b'.repeat(40), draft: true, apiUrl: 'https://api.github.com', remote: 'origin' });
  await recordPilotEvent(s, 'alpha', { type: 'pr_review_stats', number: 12, state: 'merged', reviews: 2, reviewRounds: 2, reviewComments: 4, diffComments: 3, conversationComments: 1, changesRequested: 1, approvals: 1 });
  await recordPilotEvent(s, 'alpha', { type: 'regression_check', baseCommit: 'a', runCommit: 'b', suites: [], regressions: [] });
  await recordPilotEvent(s, 'beta', { type: 'human_estimate', seconds: 3600 });
  await recordPilotEvent(s, 'beta', { type: 'pull_request', action: 'opened', repo: 'o/r', number: 13, url: 'javascript:window.pwned=1', base: 'main', head: 'baton/beta', commit: 'c'.repeat(40), draft: true, apiUrl: 'https://api.github.com', remote: 'origin' });
  await recordPilotEvent(s, 'beta', { type: 'regression_found', kind: 'revert', commit: 'd'.repeat(40), subject: HOSTILE, targets: ['c'], branch: 'main' });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package or set BATON_CHROMIUM to a Chromium binary`);
  mkdirSync(SHOTS, { recursive: true });
  const clock = { t: Date.parse('2026-11-20T09:00:00Z') };
  store = openRunStore({ path: ':memory:', now: () => new Date(clock.t) });
  await seed(store, clock);
  server = await startDashboardServer({ source: storeDashboardSource({ store }), pollMs: 50 });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => void (message.type() === 'error' && problems.push(`console error: ${message.text()}`)));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  store?.close();
});

describe('the Report page', () => {
  it('shows time against the estimate, review figures and regressions per ticket and over the pilot', async () => {
    await page.goto(server.url);
    await page.goto(`${server.origin}/#/report`);
    await page.getByTestId('pilot-table').waitFor();
    expect(await page.getByTestId('vs-estimate-alpha').innerText()).toBe('0.25×');
    expect(await page.getByTestId('vs-estimate-beta').innerText()).toBe('2.00×');
    expect(await page.getByTestId('vs-estimate-gamma').innerText()).toBe('—');
    const alpha = await page.getByTestId('pilot-row-alpha').innerText();
    expect(alpha).toContain('3h');
    expect(alpha).toContain('#12 merged');
    expect(alpha).toContain('4 in 2 round(s)');
    expect(await page.getByTestId('regressions-alpha').innerText()).toBe('0 (0 test(s), 0 revert(s), 0 fix-up(s))');
    expect(await page.getByTestId('regressions-beta').innerText()).toBe('1 (tests not checked, 1 revert(s), 0 fix-up(s))');
    const summary = await page.getByTestId('pilot-summary').innerText();
    expect(summary).toContain('0.69× — 2h 45m of wall time for 4h estimated over 2 run(s)');
    expect(summary).toContain('2 pull request(s), 1 merged · 4 review comment(s) in 2 round(s)');
    expect(await page.getByTestId('pilot-row-alpha').getByRole('link', { name: '#12' }).getAttribute('href')).toBe('https://github.com/o/r/pull/12');
    await page.getByTestId('chart-vs-estimate').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'report-pilot.png'), fullPage: true });
  });

  it('keeps hostile text and URLs inert', async () => {
    const beta = page.getByTestId('pilot-row-beta');
    expect(await beta.innerText()).toContain(HOSTILE);
    expect(await beta.locator('img').count()).toBe(0);
    expect(await beta.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await beta.innerText()).toContain('#13 unknown');
    expect(await page.evaluate("typeof window.pwned")).toBe("undefined");
    expect(problems).toEqual([]);
  });
});
