// A run whose worker chose hostile names and text: files named to hide in a diff (quotes,
// backslashes, newlines, tabs, spaces, non-ASCII, bidi overrides, names that look like `b/`
// prefixes or diff headers), binary, mode-only, renamed, deleted and empty files, committed in a
// real git repository by the same code the engine uses, plus titles, plan text, log lines,
// review reasons and an escalation carrying bidi and invisible characters. For the tests of
// what a human sees (dashboard and CLI).
import { chmod, mkdir, rm, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { git, gitOut } from '../git/run-git.ts';
import { makePlan } from '../plan/make-task.ts';
import { gitWorkspaces } from '../run/git-workspaces.ts';
import type { RunStore } from '../store/run-store.ts';

export const HOSTILE_RUN = 'hostile';
export const HOSTILE_TASK = 'names';
/** The planner names roles too; the report charts them. */
export const HOSTILE_ROLE = 'wor\u200Bker';
const RLO = '\u202E';

/** The trap the issue names: reads as `src/résumé-exe.png` when the override is shown raw. */
export const SPOOFED_NAME = `src/résumé-${RLO}gnp.exe`;

const BASE_FILES: Record<string, string | Buffer> = {
  'plain.ts': 'export const a = 1;\n-- not a header\nexport const b = 2;\n',
  'old name.txt': 'kept as it is\n',
  'moved.ts': Array.from({ length: 10 }, (_, i) => `export const line${i} = ${i};\n`).join(''),
  'image.bin': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x00]),
  'run.sh': '#!/bin/sh\necho hi\n',
  'gone "q".txt': 'bye\n',
  'a/b b/a/b': 'looks like prefixes\n',
};

/** Files the hostile commit adds, with their content. */
const ADDED: Record<string, string> = {
  'has space.ts': 'export const spaced = true;\n',
  'trail .txt': 'a name ending in a space\n',
  'quo"te.ts': 'export const quote = 1;\n',
  'back\\slash.ts': 'export const backslash = 1;\n',
  'new\nline.ts': 'export const newline = 1;\n',
  'tab\there.ts': 'export const tab = 1;\n',
  'résumé.md': '# résumé\n',
  [SPOOFED_NAME]: 'MZ not really an image\n',
  'zero\u200Bwidth.ts': 'export const zw = 1;\n',
  'diff --git a/x b/x': 'a file named like a diff header\n',
  'evil\ndiff --git a/evil b/evil': 'a newline, then a header\n',
  '--- x.ts': 'named like a --- line\n',
  '@@ -1 +1 @@.txt': 'named like a hunk header\n',
  'esc\u001b[31mred.txt': 'a terminal escape in the name\n',
  'empty.txt': '',
};

export interface HostileCommit {
  repo: string;
  base: string;
  commit: string;
  /** What the engine records: git's list of changed paths and `git show --patch`. */
  files: string[];
  diff: string;
  /** Every path a human must see a section for (both sides of renames). */
  expectedPaths: string[];
}

async function put(dir: string, rel: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
  await writeFile(path.join(dir, rel), content);
}

/** Makes `repo` (an empty directory) a git repository with a base commit, then commits the hostile change on branch `baton/<run>`. */
export async function commitHostileChange(repo: string, runId: string = HOSTILE_RUN): Promise<HostileCommit> {
  await git(['init', '-q', '-b', 'main'], { cwd: repo });
  for (const [rel, content] of Object.entries(BASE_FILES)) await put(repo, rel, content);
  await git(['add', '--all'], { cwd: repo });
  await git(['commit', '-q', '-m', 'base'], { cwd: repo });
  const base = await gitOut(['rev-parse', 'HEAD'], { cwd: repo });
  await git(['checkout', '-q', '-b', `baton/${runId}`], { cwd: repo });

  await put(repo, 'plain.ts', 'export const a = 1;\ndiff --git a/z b/z\n--- a/z\n+++ b/z\n@@ -1 +1 @@\nexport const b = 2;\n');
  await rename(path.join(repo, 'old name.txt'), path.join(repo, 'new name.txt'));
  await mkdir(path.join(repo, 'dir with space'));
  await rm(path.join(repo, 'moved.ts'));
  await put(repo, 'dir with space/moved "q".ts', (BASE_FILES['moved.ts'] as string).replace('line4 = 4', 'line4 = 40'));
  await put(repo, 'image.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x03, 0x04, 0x00]));
  await chmod(path.join(repo, 'run.sh'), 0o755);
  await rm(path.join(repo, 'gone "q".txt'));
  await put(repo, 'a/b b/a/b', 'still looks like prefixes\n');
  for (const [rel, content] of Object.entries(ADDED)) await put(repo, rel, content);

  const committed = await gitWorkspaces({ repo }).commit({ workspace: { dir: repo, branch: `baton/${runId}` }, message: 'hostile names' });
  if (!committed) throw new Error('the hostile change committed nothing');
  await git(['checkout', '-q', 'main'], { cwd: repo });
  const expectedPaths = [
    'plain.ts',
    'old name.txt',
    'new name.txt',
    'moved.ts',
    'dir with space/moved "q".ts',
    'image.bin',
    'run.sh',
    'gone "q".txt',
    'a/b b/a/b',
    ...Object.keys(ADDED),
  ].sort();
  return { repo, base, commit: committed.commit, files: committed.changed.map((c) => c.path), diff: committed.diff, expectedPaths };
}

/** Records a run around the hostile commit, as the engine would have: plan, worker events, diff, review, escalation. */
export async function seedHostileRun(store: RunStore, change: HostileCommit, runId: string = HOSTILE_RUN): Promise<void> {
  const writer = await store.createRun({ runId, ticket: `Tidy the uploads folder ${RLO}txt.exe`, workflow: 'feature', baseCommit: change.base, baseBranch: 'main', maxWorkers: 1 });
  try {
    const plan = makePlan(
      [
        {
          id: HOSTILE_TASK,
          title: `Rename ${SPOOFED_NAME}`,
          role: HOSTILE_ROLE,
          brief: `Rename the upload to ${SPOOFED_NAME}.\nThen check\u200B every\u2066 name.`,
          write_scope: ['**'],
          acceptance: [`nothing reads as ${SPOOFED_NAME}`],
        },
      ],
      { ticket: `Tidy the uploads folder ${RLO}txt.exe`, summary: `Rename ${SPOOFED_NAME} and friends.` },
    );
    await writer.approvePlan({ version: (await writer.proposePlan({ plan, source: 'proposed', by: 'scripted:hostile-planner' })).version, by: 'ann' });
    const model = 'scripted:hostile-worker';
    await writer.appendMany([
      { type: 'task_started', taskId: HOSTILE_TASK, attempt: 1, model },
      { type: 'task_event', taskId: HOSTILE_TASK, attempt: 1, kind: 'model_call', model, usage: { inputTokens: 900, outputTokens: 100 } },
      { type: 'task_event', taskId: HOSTILE_TASK, attempt: 1, kind: 'tool_call', name: 'apply_diff', durationMs: 3, detail: `{"path":"${SPOOFED_NAME}"}` },
      { type: 'task_event', taskId: HOSTILE_TASK, attempt: 1, kind: 'message', model, detail: `Renamed ${SPOOFED_NAME}.\u001b[2K\rall good` },
      { type: 'file_written', taskId: HOSTILE_TASK, attempt: 1, path: SPOOFED_NAME },
      { type: 'diff_recorded', taskId: HOSTILE_TASK, attempt: 1, commit: change.commit, files: change.files, diff: change.diff },
      { type: 'review_decided', taskId: HOSTILE_TASK, attempt: 1, decision: 'escalate', reasons: [`renames ${SPOOFED_NAME}`] },
      { type: 'task_status', taskId: HOSTILE_TASK, status: 'awaiting_review', reason: `review of ${SPOOFED_NAME}` },
      { type: 'escalation_raised', escalationId: `esc-${HOSTILE_TASK}-1`, taskId: HOSTILE_TASK, reason: `Confirm ${SPOOFED_NAME} is an image.`, options: ['approve', 'retry', 'reject'] },
      // A decision is one line, but what a model writes in it may still hide or reorder text.
      { type: 'decision_logged', text: `Uploads keep names like ${SPOOFED_NAME}`, source: 'reviewer', by: `review\u200Ber`, taskId: HOSTILE_TASK },
    ]);
  } finally {
    await writer.release();
  }
}
