// `baton plan edit <run>`: the run's latest plan as a readable YAML file in $VISUAL/$EDITOR
// (or taken from --file), validated on save with problems pointing at line and column; a
// valid change becomes a new plan version that needs approval. Once tasks have run, only
// pending, failed or blocked tasks may change (the re-plan rules of plan/replan.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { isNode, LineCounter, parseDocument, type Node } from 'yaml';
import { splitCommandLine, UsageError } from '@baton/mcp-tools';
import { loadConfig } from '../config/load-config.ts';
import { formatPlanFileProblems, parsePlanFile, parseProblemPath, renderDraftPlanFile, renderPlanFile } from '../plan/plan-file.ts';
import type { Plan, Task } from '../plan/plan-schema.ts';
import { mergeReplan, type ReplanResult } from '../plan/replan.ts';
import type { PlanProblem } from '../plan/validate-plan.ts';
import type { RunState } from '../store/run-state.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import { RunLockedError } from '../store/store-errors.ts';
import { askYesNo } from './ask.ts';
import { EXIT } from './exit-codes.ts';
import { resolveRunId, withStore } from './repo-store.ts';

interface PlanEditFlags {
  repo?: string;
  file?: string;
  print?: boolean;
}

/** What one save of the plan file amounts to. */
type CheckedEdit =
  | { kind: 'unchanged' }
  | { kind: 'invalid'; problems: string }
  | { kind: 'valid'; plan: Plan; warnings: string[]; changes: ReplanResult['changes'] };

export function planEditCommand(): Command {
  return new Command('edit')
    .description("Edit a run's latest plan as YAML in $VISUAL/$EDITOR (or take it from --file); it is validated on save and stored as a new version to approve.")
    .argument('[run]', 'run id (default: the newest run)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--file <file>', 'take the edited plan from this file instead of opening an editor (for scripts)')
    .option('--print', 'print the plan file and change nothing')
    .addHelpText('after', '\nExit codes: 0 stored or unchanged, 2 the edit is invalid (nothing stored), the run is busy in another process, or a usage error.')
    .action(async (runArg: string | undefined, flags: PlanEditFlags) => {
      await withStore(flags, async ({ repo, store }) => {
        const runId = await resolveRunId(store, runArg);
        if (flags.print) return void process.stdout.write((await currentPlanFile(store, runId)).text);
        // Hold the run's lock while the human edits, so nothing approves or executes the plan
        // from under them; a live process driving the run means the edit must wait.
        const writer = await openWriter(store, runId);
        try {
          const { config } = await loadConfig(repo);
          await editPlan({ store, writer, runId, knownTests: Object.keys(config.tests), ...(flags.file !== undefined ? { file: flags.file } : {}) });
        } finally {
          await writer.release();
        }
      });
    });
}

interface CurrentPlanFile {
  state: RunState;
  /** The latest plan version (proposed or edited), with each task's current status. */
  plan: Plan;
  version: number;
  text: string;
}

async function currentPlanFile(store: RunStore, runId: string): Promise<CurrentPlanFile> {
  const state = await store.state(runId);
  const latest = (await store.planVersions(runId)).at(-1);
  if (!latest) {
    // No valid plan (planning failed or was cut short): start from the planner's last attempt.
    const refused = state.lastRefusedPlan;
    const text = renderDraftPlanFile({ ticket: state.ticket, workflow: state.workflow, runId, ...(refused ? { attempt: refused.submitted, problems: refused.problems } : {}) });
    return { state, plan: { ticket: state.ticket, summary: '', workflow: state.workflow, tasks: [] }, version: 0, text };
  }
  const plan: Plan = { ...latest.plan, tasks: latest.plan.tasks.map((t) => ({ ...t, status: state.tasks[t.id]?.status ?? t.status })) };
  const warnings = latest.version === state.planVersion ? state.planWarnings : [];
  return { state, plan, version: latest.version, text: renderPlanFile(plan, { runId, version: latest.version, warnings }) };
}

async function editPlan(input: { store: RunStore; writer: RunWriter; runId: string; knownTests: string[]; file?: string }): Promise<void> {
  const { store, writer, runId } = input;
  const current = await currentPlanFile(store, runId);
  let scratch: string | undefined;
  let fileName: string;
  if (input.file !== undefined) {
    fileName = input.file;
  } else {
    scratch = mkdtempSync(path.join(tmpdir(), 'baton-plan-'));
    fileName = path.join(scratch, `${runId}-plan.yaml`);
    writeFileSync(fileName, current.text);
  }
  try {
    for (;;) {
      const edited = scratch ? openEditor(fileName) : readEditedFile(fileName);
      const checked = checkEdit({ edited, current, knownTests: input.knownTests, fileName });
      if (checked.kind === 'unchanged') {
        process.stdout.write(`${current.version === 0 ? `the draft plan of run ${runId}` : `plan v${current.version} of run ${runId}`} is unchanged; nothing stored\n`);
        if (current.version === 0) process.exitCode = EXIT.usage;
        return;
      }
      if (checked.kind === 'valid') {
        const record = await writer.proposePlan({ plan: checked.plan, source: 'edited', warnings: checked.warnings, by: process.env['USER'] || 'human' });
        const { added, changed, removed } = checked.changes;
        const what = [added.length ? `added ${added.join(', ')}` : '', changed.length ? `changed ${changed.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : ''].filter(Boolean).join('; ');
        const warned = checked.warnings.length ? `\n${checked.warnings.map((w) => `warning: ${w}`).join('\n')}` : '';
        process.stdout.write(`stored plan v${record.version} of run ${runId}${what ? ` (${what})` : ''}; approve it with: baton approve ${runId}${warned}\n`);
        return;
      }
      process.stderr.write(`the edited plan is not valid; nothing was stored:\n${checked.problems}\n`);
      if (!scratch || !process.stdin.isTTY || !(await askYesNo('Open the editor again to fix it? [y/N] '))) {
        if (scratch) process.stderr.write(`your edit was discarded; run baton plan edit ${runId} to start again from plan v${current.version}\n`);
        process.exitCode = EXIT.usage;
        return;
      }
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

function checkEdit(input: { edited: string; current: CurrentPlanFile; knownTests: string[]; fileName: string }): CheckedEdit {
  const { edited, current, knownTests, fileName } = input;
  if (edited === current.text) return { kind: 'unchanged' };
  const parsed = parsePlanFile(edited, { knownTests });
  if (!parsed.ok) return { kind: 'invalid', problems: formatPlanFileProblems(parsed.errors, fileName) };
  // The re-plan rules apply from the start: before any task ran every task is pending and may
  // change; statuses typed into the file are not taken (a task is done when it was done).
  const merged = mergeReplan({ current: current.plan, statuses: current.state.tasks, proposed: parsed.plan, knownTests });
  if (!merged.ok) return { kind: 'invalid', problems: locateReplanProblems({ text: edited, fileName, problems: merged.errors, merged: merged.plan, proposed: parsed.plan }) };
  if (canonical(withoutStatus(merged.plan)) === canonical(withoutStatus(current.plan))) return { kind: 'unchanged' };
  return { kind: 'valid', plan: merged.plan, warnings: merged.warnings.map((w) => `${w.path}: ${w.message}`), changes: merged.changes };
}

/**
 * Re-plan problems name tasks by their index in the merged plan (or, for a locked task that
 * was changed, in the file); this points each at its place in the edited file.
 */
function locateReplanProblems(input: { text: string; fileName: string; problems: readonly PlanProblem[]; merged: Plan; proposed: Plan }): string {
  const counter = new LineCounter();
  const doc = parseDocument(input.text, { lineCounter: counter });
  return input.problems
    .map((problem) => {
      const keys = parseProblemPath(problem.path);
      if (keys[0] === 'tasks' && typeof keys[1] === 'number' && problem.code !== 'locked_task_changed') {
        const id = input.merged.tasks[keys[1]]?.id;
        const inFile = input.proposed.tasks.findIndex((t) => t.id === id);
        if (inFile < 0) return `${input.fileName}: task "${id}" (kept from the current plan, not in the file): ${problem.message}`;
        keys[1] = inFile;
      }
      for (let n = keys.length; n >= 0; n--) {
        const node = n === 0 ? doc.contents : (doc.getIn(keys.slice(0, n), true) as unknown);
        if (isNode(node) && (node as Node).range) {
          const pos = counter.linePos((node as Node).range![0]);
          return formatPlanFileProblems([{ line: pos.line, column: pos.col, path: keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join(''), code: problem.code, message: problem.message }], input.fileName);
        }
      }
      return `${input.fileName}: ${problem.path}: ${problem.message}`;
    })
    .join('\n');
}

function withoutStatus(plan: Plan): Omit<Plan, 'tasks'> & { tasks: Omit<Task, 'status'>[] } {
  return { ...plan, tasks: plan.tasks.map(({ status: _status, ...task }) => task) };
}

/** JSON with object keys sorted, so two plans compare equal whatever order their keys came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function readEditedFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the edited plan ${file}: ${(error as Error).message}`);
  }
}

function openEditor(file: string): string {
  const editor = process.env['VISUAL'] || process.env['EDITOR'];
  if (!editor) throw new UsageError('set $VISUAL or $EDITOR to your editor, or pass --file with the edited plan');
  const [command, ...args] = splitCommandLine(editor);
  if (!command) throw new UsageError(`$VISUAL/$EDITOR ("${editor}") names no program`);
  // No shell: the editor's words are an argument array; the terminal is the editor's.
  const result = spawnSync(command, [...args, file], { stdio: 'inherit' });
  if (result.error) throw new UsageError(`could not start the editor "${editor}": ${result.error.message}`);
  if (result.status !== 0) throw new UsageError(`the editor "${editor}" exited with ${result.status ?? result.signal}; the plan was not changed`);
  return readFileSync(file, 'utf8');
}

async function openWriter(store: RunStore, runId: string): Promise<RunWriter> {
  try {
    return await store.openWriter(runId);
  } catch (error) {
    if (error instanceof RunLockedError) {
      throw new UsageError(`${error.message} Its plan cannot be edited meanwhile: stop it with baton cancel ${runId}, or edit once it waits for you (baton status ${runId}).`);
    }
    throw error;
  }
}
