// What a human reviews, in a real browser, when the worker chose the names and text: every
// changed file of a real git commit gets its own diff section whatever its name, and bidi
// overrides, zero-width and control characters show as markers wherever worker text appears.
// Checked on the rendered page: the order in which characters appear on screen, left to right,
// not the HTML. (The DOM library is for the functions that run in the page.)
/// <reference lib="dom" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commitHostileChange,
  HOSTILE_RUN,
  HOSTILE_TASK,
  openRunStore,
  seedHostileRun,
  SPOOFED_NAME,
  startDashboardServer,
  storeDashboardSource,
  visibleText,
  type DashboardServer,
  type HostileCommit,
  type RunStore,
} from '@baton/orchestrator';

const CHROMIUM = process.env['BATON_CHROMIUM'] ?? '/usr/bin/chromium';
const SHOWN_SPOOF = 'src/résumé-<U+202E>gnp.exe';
/** Characters that must never reach the screen raw. */
const RAW_HIDDEN = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}]/u;

let tmp: string;
let change: HostileCommit;
let store: RunStore;
let server: DashboardServer;
let browser: Browser;
let page: Page;
const pageProblems: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'baton-hostile-ui-'));
  change = await commitHostileChange(tmp);
  store = openRunStore({ path: ':memory:' });
  await seedHostileRun(store, change);
  server = await startDashboardServer({ source: storeDashboardSource({ store }), pollMs: 50 });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('console', (message) => void (message.type() === 'error' && pageProblems.push(`console error: ${message.text()}`)));
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  store?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/**
 * The characters of one rendered line in the order a reader sees them, left to right: each
 * character's box on screen, zero-width ones dropped (a reader cannot see them either).
 */
function onScreen(locator: Locator): Promise<string> {
  return locator.evaluate((el) => {
    const seen: { char: string; x: number }[] = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const data = (node as Text).data;
      let start = 0;
      for (const char of data) {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + char.length);
        start += char.length;
        const box = range.getBoundingClientRect();
        if (box.width > 0) seen.push({ char, x: box.left + box.width / 2 });
      }
    }
    return seen.sort((a, b) => a.x - b.x).map((s) => s.char).join('');
  });
}
const background = (locator: Locator) => locator.evaluate((el) => getComputedStyle(el).backgroundColor);

/** What the whole page shows as text (textarea contents excluded: they are form values). */
const pageText = () => page.locator('main').innerText();

describe('a hostile worker in the dashboard', () => {
  it('shows the task title and the spoofed file name as written, left to right, with a marker', async () => {
    await page.goto(`${server.origin}/#/runs/${HOSTILE_RUN}/tasks/${HOSTILE_TASK}`);
    await page.getByTestId('diff-summary').waitFor();
    expect(await onScreen(page.locator('h1'))).toBe(`${HOSTILE_TASK}: Rename ${SHOWN_SPOOF}`);
    const section = page.getByTestId(`diff-${SPOOFED_NAME}`);
    expect(await onScreen(section.locator('.name'))).toBe(`${SHOWN_SPOOF} (added)`);
    // The marker is set apart from the name around it.
    const marker = section.locator('.name .hidden-char');
    expect(await marker.innerText()).toBe('<U+202E>');
    const [markerBg, nameBg] = await Promise.all([background(marker), background(section.locator('.name'))]);
    expect(markerBg).not.toBe(nameBg);
    expect(await onScreen(page.getByTestId('files-written').locator('code'))).toBe(SHOWN_SPOOF);
  });

  it('gives every file git changed its own section, whatever its name', async () => {
    const sections = page.locator('.diff-file');
    expect(await sections.count()).toBe(change.files.length);
    expect(await page.getByTestId('diff-summary').innerText()).toContain(`${change.files.length} files`);
    expect(await page.locator('.diff-file.unreadable').count()).toBe(0);
    const names = (await sections.locator('.name').allInnerTexts()).map((n) => n.replace(/ \([^()]*\)$/, ''));
    const expected = change.files.map((p) => {
      if (p === 'new name.txt') return 'old name.txt → new name.txt';
      if (p === 'dir with space/moved "q".ts') return 'moved.ts → dir with space/moved "q".ts';
      return visibleText(p);
    });
    expect(names.sort()).toEqual(expected.sort());
    // Names with spaces lost the tab git writes after them; names with newlines and tabs are marked.
    expect(names).toContain('has space.ts');
    expect(names).toContain('evil<U+000A>diff --git a/evil b/evil');
    expect(names).toContain('tab<U+0009>here.ts');
    expect(names).toContain('esc<U+001B>[31mred.txt');
  });

  it('puts each file\'s lines under its own name', async () => {
    const body = async (name: string) => page.getByTestId(`diff-${name}`).innerText();
    expect(await body('quo"te.ts')).toContain('export const quote = 1;');
    expect(await body('back\\slash.ts')).toContain('export const backslash = 1;');
    expect(await body('new\nline.ts')).toContain('export const newline = 1;');
    expect(await body('has space.ts')).toContain('export const spaced = true;');
    expect(await body('has space.ts')).not.toContain('quote');
    expect(await body('plain.ts')).toContain('+++ b/z');
    expect(await body('run.sh')).toContain('mode 100644 → 100755');
    expect(await body('run.sh')).toContain('mode change only');
    expect(await body('image.bin')).toContain('binary file');
    expect(await body('empty.txt')).toContain('empty file');
    expect(await body('new name.txt')).toContain('content unchanged');
    expect(await body('gone "q".txt')).toContain('(deleted)');
    expect(await body('gone "q".txt')).toContain('bye');
  });

  it('marks hidden characters in the brief, conversation, tool calls, review and status', async () => {
    expect(await page.getByTestId('brief').innerText()).toContain('Then check<U+200B> every<U+2066> name.');
    expect(await page.getByTestId('conversation').innerText()).toContain(`Renamed ${SHOWN_SPOOF}.<U+001B>[2K<U+000D>all good`);
    expect(await page.getByTestId('tool-calls').innerText()).toContain(`{"path":"${SHOWN_SPOOF}"}`);
    const text = await pageText();
    expect(text).toContain(`renames ${SHOWN_SPOOF}`);
    expect(text).toContain(`review of ${SHOWN_SPOOF}`);
    expect(text).toContain(`Confirm ${SHOWN_SPOOF} is an image.`);
    expect(text).toContain(`nothing reads as ${SHOWN_SPOOF}`);
    expect(RAW_HIDDEN.test(text.replace(/[\n\t]/g, ''))).toBe(false);
  });

  it('marks them on the run page, the escalations page and the plan page', async () => {
    await page.goto(`${server.origin}/#/runs/${HOSTILE_RUN}`);
    await page.getByTestId('task-graph').waitFor();
    expect(await onScreen(page.locator('h1'))).toBe('Tidy the uploads folder <U+202E>txt.exe');
    expect(await onScreen(page.getByTestId(`task-row-${HOSTILE_TASK}`).locator('.muted'))).toBe(`Rename ${SHOWN_SPOOF}`);
    // The decisions log: model-written text, shown through the same markers, left to right.
    expect(await onScreen(page.getByTestId('decision-text-D1'))).toBe(`Uploads keep names like ${SHOWN_SPOOF}`);
    expect(await page.getByTestId('decision-text-D1').locator('.hidden-char').innerText()).toBe('<U+202E>');
    expect(await page.getByTestId('decision-D1').innerText()).toContain('reviewer review<U+200B>er, with');
    expect(RAW_HIDDEN.test((await pageText()).replace(/[\n\t]/g, ''))).toBe(false);

    await page.goto(`${server.origin}/#/escalations`);
    const card = page.getByTestId(`escalation-esc-${HOSTILE_TASK}-1`);
    await card.waitFor();
    expect(await onScreen(card.locator('p').first())).toBe(`Confirm ${SHOWN_SPOOF} is an image.`);

    await page.goto(`${server.origin}/#/runs/${HOSTILE_RUN}/plan`);
    const hidden = page.getByTestId('plan-hidden-chars');
    await hidden.waitFor();
    expect(await hidden.innerText()).toContain(`Rename ${SHOWN_SPOOF}`);
    expect(await hidden.innerText()).toContain('<U+200B>');
    // A listed line leads to its place in the editor.
    const first = hidden.locator('li').first();
    const [line, column] = (await first.locator('a').innerText()).replace('line ', '').split(':').map(Number) as [number, number];
    await first.locator('a').click();
    const offset = await page.getByTestId('plan-text').evaluate((el) => (el as HTMLTextAreaElement).selectionStart);
    const planText = await page.getByTestId('plan-text').inputValue();
    const lines = planText.split('\n');
    expect(lines.slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0) + column - 1).toBe(offset);
    expect(RAW_HIDDEN.test(planText[offset]!)).toBe(true);
  });

  it('marks them in the report\'s charts (role names come from the plan)', async () => {
    await page.goto(`${server.origin}/#/report`);
    const chart = page.locator('svg[aria-label="Tokens by role"]');
    await chart.waitFor();
    expect(await chart.locator('text', { hasText: 'wor' }).textContent()).toBe('wor<U+200B>ker');
    expect(await chart.locator('tspan.hidden-char').count()).toBe(1);
  });

  it('had no script errors', () => {
    expect(pageProblems).toEqual([]);
  });
});
