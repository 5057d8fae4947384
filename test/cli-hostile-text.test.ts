// What the CLI prints when a worker chose the names and text: `baton log`, `status`,
// `escalations` and `diff` through the real binary, on a run whose commit (made with real git)
// and events carry bidi overrides, zero-width characters and terminal escapes. Hidden characters
// print as `<U+XXXX>` markers; JSON keeps the data with \u escapes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitHostileChange, HOSTILE_RUN, HOSTILE_TASK, openRepoStore, seedHostileRun, SPOOFED_NAME, type StoredEvent } from '@baton/orchestrator';
import { runBaton } from './helpers/run-cli.ts';

const SHOWN_SPOOF = 'src/résumé-<U+202E>gnp.exe';
/** Anything that reorders, hides or repaints terminal text; newlines (and tabs in diffs) are layout. */
const RAW_HIDDEN = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}]/u;
const hasRawHidden = (text: string, layout = /\n/g) => RAW_HIDDEN.test(text.replace(layout, ''));

let tmp: string;
let repo: string;
let events: StoredEvent[];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'baton-hostile-cli-'));
  const change = await commitHostileChange(tmp);
  repo = change.repo;
  const store = await openRepoStore({ repoRoot: repo });
  await seedHostileRun(store, change);
  events = await store.events(HOSTILE_RUN);
  await store.close();
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const baton = async (args: string[], env: Record<string, string> = {}) => {
  const result = await runBaton([...args, '--repo', repo], { env });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
};

describe('worker-controlled text in the CLI', () => {
  it('baton log marks hidden characters in paths, messages, tool arguments, reasons and escalations', async () => {
    const out = await baton(['log', HOSTILE_RUN]);
    expect(hasRawHidden(out)).toBe(false);
    expect(out).toContain('Tidy the uploads folder <U+202E>txt.exe');
    expect(out).toContain(`file_written ${HOSTILE_TASK} ${SHOWN_SPOOF}`);
    expect(out).toContain(`{"path":"${SHOWN_SPOOF}"}`);
    // The log keeps each event on one line (whitespace, the carriage return included, folds to a space).
    expect(out).toContain(`Renamed ${SHOWN_SPOOF}.<U+001B>[2K all good`);
    expect(out).toContain(`escalate: renames ${SHOWN_SPOOF}`);
    expect(out).toContain(`Confirm ${SHOWN_SPOOF} is an image.`);
    // The diff_recorded line lists git's names, each visible.
    expect(out).toContain('zero<U+200B>width.ts');
    expect(out).toContain('new<U+000A>line.ts');
  });

  it('baton log --json keeps the data, with hidden characters as \\u escapes', async () => {
    const out = await baton(['log', HOSTILE_RUN, '--json']);
    expect(hasRawHidden(out)).toBe(false);
    expect(out).toContain('src/résumé-\\u202egnp.exe');
    expect(out.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(JSON.parse(JSON.stringify(events)));
  });

  it('baton status shows the ticket and the waiting escalation with markers', async () => {
    const all = await baton(['status']);
    expect(hasRawHidden(all)).toBe(false);
    expect(all).toContain('Tidy the uploads folder <U+202E>txt.exe');
    const one = await baton(['status', HOSTILE_RUN]);
    expect(hasRawHidden(one)).toBe(false);
    expect(one).toContain(`: Confirm ${SHOWN_SPOOF} is an image.`);
    // The progress table's worker column holds the plan's role name.
    expect(one).toContain('wor<U+200B>ker #1');
    const json = await baton(['status', HOSTILE_RUN, '--json']);
    expect(hasRawHidden(json)).toBe(false);
    expect((JSON.parse(json) as { ticket: string }).ticket).toBe('Tidy the uploads folder \u202Etxt.exe');
  });

  it('baton escalations shows the reason with markers', async () => {
    const out = await baton(['escalations']);
    expect(hasRawHidden(out)).toBe(false);
    expect(out).toContain(`Confirm ${SHOWN_SPOOF} is an image.`);
    const json = await baton(['escalations', '--json']);
    expect(hasRawHidden(json)).toBe(false);
    expect((JSON.parse(json) as { reason: string }[]).map((p) => p.reason)).toContain(`Confirm ${SPOOFED_NAME} is an image.`);
  });

  it('baton diff marks hidden characters in names and lines; --raw prints git\'s text', async () => {
    for (const args of [['diff', HOSTILE_RUN], ['diff', HOSTILE_RUN, '--task', HOSTILE_TASK], ['diff', HOSTILE_RUN, '--stat']]) {
      const out = await baton(args);
      expect(hasRawHidden(out, /[\n\t]/g), args.join(' ')).toBe(false);
      expect(out, args.join(' ')).toContain(SHOWN_SPOOF);
      expect(out, args.join(' ')).toContain('zero<U+200B>width.ts');
    }
    const raw = await baton(['diff', HOSTILE_RUN, '--raw']);
    expect(raw).toContain(`+++ b/${SPOOFED_NAME}`);
  });

  it('sets markers apart in reverse video when colour is on', async () => {
    const out = await baton(['log', HOSTILE_RUN, '--task', HOSTILE_TASK], { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(out).toContain('src/résumé-\u001b[7m<U+202E>\u001b[27mgnp.exe');
    // The only escapes left are baton's own styles.
    expect(hasRawHidden(out.replace(/\u001b\[\d+m/g, ''))).toBe(false);
  });
});
