// `baton decisions <run> [add|edit|remove]`: the run's decisions log — key decisions (interfaces
// and names chosen, constraints) every later brief carries — shown, and changed by a person,
// also while the run is live (the engine reads the log afresh for each brief).
import { Command, Option } from 'commander';
import { UsageError } from '@baton/mcp-tools';
import { parseDecisionId, type DecisionChange } from '../decisions/decision-change.ts';
import { MAX_DECISION_CHARS, MAX_DECISIONS } from '../decisions/decision-events.ts';
import { decisionLabel, type DecisionEntry, type DecisionLog } from '../decisions/decision-log.ts';
import { recordDecisionChange } from '../decisions/record-decision-change.ts';
import { resolveRunId, withStore } from './repo-store.ts';
import { colorEnabled, createStyle, type Style } from './style.ts';
import { terminalJson, terminalText } from './terminal-text.ts';

export const DECISION_ACTIONS = ['add', 'edit', 'remove'] as const;
type DecisionAction = (typeof DECISION_ACTIONS)[number];

interface DecisionsFlags {
  repo?: string;
  by: string;
  reason?: string;
  json?: boolean;
}

const USAGE = `
Examples:
  baton decisions <run>                                      list the log
  baton decisions <run> add "CSV rows end with CRLF"         log a decision
  baton decisions <run> edit D3 "Dates are ISO 8601 in UTC"  reword one
  baton decisions <run> remove D3 --reason "superseded"      drop one
Text that starts with "-" goes after "--". Each entry is one line of at most ${MAX_DECISION_CHARS} characters;
the log holds at most ${MAX_DECISIONS}. Exit codes: 0 done, 2 refused (the message says why).`;

/** The change the arguments ask for, or a usage error saying what is missing. */
export function decisionChangeFromArgs(action: DecisionAction, words: readonly string[], flags: Pick<DecisionsFlags, 'by' | 'reason'>): DecisionChange {
  const who = { source: 'human' as const, by: flags.by };
  if (action === 'add') {
    if (words.length === 0) throw new UsageError('say what was decided: baton decisions <run> add "<text>"');
    return { action, text: words.join(' '), ...who };
  }
  const [idText, ...rest] = words;
  if (idText === undefined) throw new UsageError(`name the decision to ${action}: baton decisions <run> ${action} D3${action === 'edit' ? ' "<new text>"' : ''}`);
  const id = parseDecisionId(idText);
  if (action === 'edit') {
    if (rest.length === 0) throw new UsageError(`give the new text: baton decisions <run> edit ${decisionLabel(id)} "<new text>"`);
    return { action, id, text: rest.join(' '), ...who };
  }
  if (rest.length > 0) throw new UsageError(`remove takes only the decision's id; say why with --reason "${rest.join(' ')}"`);
  return { action, id, ...who, ...(flags.reason !== undefined ? { reason: flags.reason } : {}) };
}

/** What --json prints: the log in force, the limits, and entries refused because the log was full. */
export function decisionsJson(runId: string, log: DecisionLog): Record<string, unknown> {
  return { run: runId, maxEntries: MAX_DECISIONS, maxChars: MAX_DECISION_CHARS, entries: log.entries.map((e) => ({ label: decisionLabel(e.id), ...e })), refused: log.refused };
}

function entryLine(entry: DecisionEntry, style: Style): string {
  const origin = [entry.source === entry.by ? entry.source : `${entry.source} ${entry.by}`, entry.taskId ? `with ${entry.taskId}` : '', entry.planVersion !== undefined ? `plan v${entry.planVersion}` : '', entry.edited ? `edited by ${entry.edited.by}` : ''].filter(Boolean).join(', ');
  // Written by models and people: hidden characters show as markers.
  return `  ${style.bold(decisionLabel(entry.id))}  ${terminalText(entry.text, style)}  ${style.dim(`(${terminalText(origin, style)})`)}`;
}

export function renderDecisions(runId: string, log: DecisionLog, style: Style): string {
  if (log.entries.length === 0) return `run ${runId} has no decisions yet; log one with baton decisions ${runId} add "<text>"`;
  const lines = [`decisions of run ${runId} (${log.entries.length} of at most ${MAX_DECISIONS}; every later brief carries them):`, ...log.entries.map((e) => entryLine(e, style))];
  if (log.refused.length > 0) lines.push(style.yellow(`not logged, the log was full: ${log.refused.map((e) => `${decisionLabel(e.id)} ${terminalText(e.text, style)}`).join('; ')}`));
  return lines.join('\n');
}

export function decisionsCommand(): Command {
  return new Command('decisions')
    .description("Show or change a run's decisions log: key decisions (interfaces, names, constraints) that every later brief carries. Works while the run is live.")
    .argument('<run>', 'run id')
    .addArgument(new Command().createArgument('[action]', 'add | edit | remove (default: list)').choices(DECISION_ACTIONS))
    .argument('[args...]', 'add: the text · edit: the id (D3) and the new text · remove: the id')
    .option('--reason <text>', 'remove: why (recorded in the log)')
    .addOption(new Option('--by <name>', 'who changes the log (recorded)').default(process.env['USER'] ?? 'human'))
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--json', 'print the log as JSON')
    .addHelpText('after', USAGE)
    .action(async (runArg: string, action: DecisionAction | undefined, words: string[], flags: DecisionsFlags) => {
      if (action === undefined && words.length > 0) throw new UsageError(`say what to do with ${JSON.stringify(words.join(' '))}: baton decisions <run> add|edit|remove …`);
      const change = action === undefined ? undefined : decisionChangeFromArgs(action, words, flags);
      await withStore(flags.repo, async ({ store }) => {
        const runId = await resolveRunId(store, runArg);
        const style = createStyle(colorEnabled());
        if (!change) {
          const log = (await store.state(runId)).decisions;
          return void process.stdout.write(`${flags.json ? terminalJson(decisionsJson(runId, log), 2) : renderDecisions(runId, log, style)}\n`);
        }
        const recorded = await recordDecisionChange(store, runId, change);
        if (flags.json) return void process.stdout.write(`${terminalJson({ ...decisionsJson(runId, recorded.log), changed: { action: change.action, label: decisionLabel(recorded.entry?.id ?? ('id' in change ? change.id : 0)) } }, 2)}\n`);
        const id = recorded.entry?.id ?? ('id' in change ? change.id : 0);
        const done = { add: 'logged', edit: 'edited', remove: 'removed' }[change.action];
        const live = (await store.lockHolder(runId)) !== undefined;
        process.stdout.write(`${done} ${decisionLabel(id)} in run ${runId}${recorded.entry ? `: ${terminalText(recorded.entry.text, style)}` : ''}\n${live ? 'the live run passes the log on from its next brief\n' : ''}`);
      });
    });
}
