// `baton plan edit <run>`: the plan as a readable YAML file in $VISUAL/$EDITOR (or --file),
// validated on save with problems pointing at line and column; a valid change becomes a new
// plan version that needs approval. Once execution started, only pending, failed or blocked
// tasks may change.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { splitCommandLine, UsageError } from '@baton/mcp-tools';
import { loadConfig } from '../config/load-config.ts';
import { formatPlanFileProblems, parsePlanFile, renderPlanFile } from '../plan/plan-file.ts';
import { mergeReplan } from '../plan/replan.ts';
import type { Plan } from '../plan/plan-schema.ts';
import { RunLockedError } from '../store/store-errors.ts';
import { askYesNo } from './ask.ts';
import { EXIT } from './exit-codes.ts';
import { resolveRunId, withStore } from './repo-store.ts';

export function planEditCommand(): Command {
  return new Command('edit')
    .description('Edit a run\'s plan as YAML in $VISUAL/$EDITOR (or take it from --file); it is validated on save and stored as a new version to approve.')
    .argument('[run]', 'run id (default: the newest run)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--file <file>', 'use this edited plan file instead of opening an editor')
    .option('--print', 'print the plan file and change nothing')
    .action(async (runArg: string | undefined, flags: { repo?: string; file?: string; print?: boolean }) => {
      await withStore(flags.repo, async ({ repo, store }) => {
        const runId = resolveRunId(store, runArg);
        const state = store.state(runId);
        if (!state.plan) throw new UsageError(`run ${runId} has no plan yet`);
        const current: Plan = state.plan;
        const text = renderPlanFile(current, { runId, version: state.planVersion, warnings: state.planWarnings });
        if (flags.print) return void process.stdout.write(text);
        const started = Object.values(state.tasks).some((t) => t.attempts > 0);
        const { config } = await loadConfig(repo);
        const knownTests = Object.keys(config.tests);

        let edited: string;
        let fileName: string;
        let scratch: string | undefined;
        if (flags.file) {
          edited = readFileSync(flags.file, 'utf8');
          fileName = flags.file;
        } else {
          scratch = mkdtempSync(path.join(tmpdir(), 'baton-plan-'));
          fileName = path.join(scratch, `${runId}-plan.yaml`);
          writeFileSync(fileName, text);
          edited = text;
        }
        try {
          for (;;) {
            if (scratch) edited = openEditor(fileName);
            if (edited === text) {
              process.stdout.write(`plan v${state.planVersion} of run ${runId} is unchanged\n`);
              return;
            }
            const parsed = parsePlanFile(edited, { knownTests });
            let problems = parsed.ok ? [] : parsed.errors.map((p) => formatPlanFileProblems([p], fileName));
            let plan = parsed.ok ? parsed.plan : undefined;
            if (plan && started) {
              const merged = mergeReplan({ current, statuses: state.tasks, proposed: plan, knownTests });
              if (!merged.ok) problems = merged.errors.map((e) => `${fileName}: ${e.path}: ${e.message}`);
              else plan = merged.plan;
            }
            if (problems.length === 0 && plan) {
              const writer = openWriter(store, runId);
              try {
                const warnings = parsed.warnings.map((w) => `${w.path}: ${w.message}`);
                const record = writer.proposePlan({ plan, source: 'edited', warnings, by: process.env['USER'] ?? 'human' });
                process.stdout.write(`stored plan v${record.version} of run ${runId}${warnings.length ? ` (${warnings.length} warning(s))` : ''}; approve it with: baton approve ${runId}\n`);
              } finally {
                writer.release();
              }
              return;
            }
            process.stderr.write(`the edited plan is not valid; nothing was stored:\n${problems.join('\n')}\n`);
            if (!scratch || !process.stdin.isTTY || !(await askYesNo('Edit it again? [y/N] '))) {
              process.exitCode = EXIT.usage;
              return;
            }
          }
        } finally {
          if (scratch) rmSync(scratch, { recursive: true, force: true });
        }
      });
    });
}

function openEditor(file: string): string {
  const editor = process.env['VISUAL'] || process.env['EDITOR'];
  if (!editor) throw new UsageError('set $VISUAL or $EDITOR, or pass --file with the edited plan');
  const [command, ...args] = splitCommandLine(editor);
  const result = spawnSync(command!, [...args, file], { stdio: 'inherit' });
  if (result.error) throw new UsageError(`could not start the editor "${editor}": ${result.error.message}`);
  if (result.status !== 0) throw new UsageError(`the editor exited with ${result.status}; the plan was not changed`);
  return readFileSync(file, 'utf8');
}

function openWriter(store: Parameters<Parameters<typeof withStore>[1]>[0]['store'], runId: string) {
  try {
    return store.openWriter(runId);
  } catch (error) {
    if (error instanceof RunLockedError) throw new UsageError(`run ${runId} is executing in another process; edit its plan after it stops (baton cancel ${runId}) or once it waits for you`);
    throw error;
  }
}
