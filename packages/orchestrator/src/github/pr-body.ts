// The pull request's title and body, generated from the run's store: the ticket, the plan,
// one row per task (status, attempts, tests, the reviewer's reasons, tokens, cost), the
// escalations with the humans' answers, and whether models were scripted. Everything a
// model, a worker or a test printed goes through markdown-escape first.
import { formatDuration, formatTokens, formatUsd } from '../cli/progress-table.ts';
import { formatHours } from '../report/human-estimate.ts';
import { latestEvent } from '../report/record-pilot-event.ts';
import type { RunEventOf, StoredEvent } from '../store/run-event.ts';
import type { RunState } from '../store/run-state.ts';
import { isScriptedModel, modelsOf } from '../ui/run-views.ts';
import { mdCode, mdParagraph, mdText } from './markdown-escape.ts';

/** GitHub refuses bodies over 65,536 characters. */
export const MAX_BODY_CHARS = 65_000;

export interface PullRequestText {
  title: string;
  body: string;
}

/** A title from the ticket's first line: plain text, no control characters, at most 120 characters. */
export function pullRequestTitle(state: RunState): string {
  const line = state.ticket.split('\n').find((l) => l.trim() !== '') ?? `baton run ${state.runId}`;
  const clean = line.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}

function reviewsByTask(events: readonly StoredEvent[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of events) {
    if (e.type !== 'review_decided') continue;
    const why = e.reasons.length > 0 ? `: ${e.reasons.join(', ')}` : '';
    const list = out.get(e.taskId) ?? [];
    list.push(`attempt ${e.attempt} ${e.decision}${why}`);
    out.set(e.taskId, list);
  }
  return out;
}

/** The task's own tests on its last attempt, then the run branch tests after its merge. */
function testsCell(task: RunState['tasks'][string], events: readonly StoredEvent[]): string {
  const own = new Map<string, boolean>();
  const merged = new Map<string, boolean>();
  for (const e of events) {
    if (e.type !== 'test_result' || e.taskId !== task.id) continue;
    if (e.context === 'task' && e.attempt === task.attempts) own.set(e.suite, e.passed);
    if (e.context === 'merge') merged.set(e.suite, e.passed);
  }
  const list = (results: Map<string, boolean>) => [...results].map(([suite, passed]) => `${passed ? '✓' : '✗'} ${mdCode(suite, 60)}`).join(' ');
  const parts = [own.size > 0 ? list(own) : '', merged.size > 0 ? `after merge: ${list(merged)}` : ''].filter(Boolean);
  return parts.join('<br>') || '—';
}

function taskTable(state: RunState, events: readonly StoredEvent[], maxRows: number): string[] {
  const titles = new Map((state.plan?.tasks ?? []).map((t) => [t.id, t.title]));
  const reviews = reviewsByTask(events);
  const rows = state.taskOrder.map((id) => {
    const task = state.tasks[id]!;
    const title = titles.get(id);
    return [
      `${mdCode(id, 64)}${title ? ` ${mdText(title, 120)}` : ''}`,
      task.status.replaceAll('_', ' '),
      String(task.attempts),
      testsCell(task, events),
      (reviews.get(id) ?? []).map((r) => mdText(r, 200)).join('<br>') || '—',
      formatTokens(task.usage.totalTokens),
      formatUsd(task.usage.costUsd),
    ];
  });
  const shown = rows.slice(0, maxRows).map((cells) => `| ${cells.join(' | ')} |`);
  if (rows.length > maxRows) shown.push(`| … ${rows.length - maxRows} more task(s): see \`baton status ${state.runId}\` | | | | | | |`);
  return ['| Task | Status | Attempts | Tests (last attempt) | Review | Tokens | Cost |', '| --- | --- | ---: | --- | --- | ---: | ---: |', ...shown];
}

function escalationLines(state: RunState, events: readonly StoredEvent[]): string[] {
  const lines: string[] = [];
  for (const e of state.escalations) {
    const where = e.taskId ? ` (task ${mdCode(e.taskId)})` : '';
    const answer = e.resolution
      ? ` → **${e.resolution.decision.replaceAll('_', ' ')}** by ${mdText(e.resolution.by, 60)}${e.resolution.note ? `: ${mdText(e.resolution.note, 400)}` : ''}`
      : ' → *still waiting for a human*';
    lines.push(`- ${mdCode(e.id)}${where}: ${mdText(e.reason, 400)}${answer}`);
  }
  for (const e of events) {
    if (e.type === 'human_decision' && e.escalationId === undefined && e.taskId) {
      lines.push(`- task ${mdCode(e.taskId)} needed approval before it started → **${e.decision}** by ${mdText(e.by, 60)}${e.note ? `: ${mdText(e.note, 400)}` : ''}`);
    }
  }
  return lines;
}

function allModels(events: readonly StoredEvent[]): string[] {
  const models = new Set(modelsOf(events));
  for (const e of events) if (e.type === 'model_usage') models.add(e.model);
  return [...models].sort();
}

function pilotLines(state: RunState, events: readonly StoredEvent[]): string[] {
  const end = state.finishedAt ?? events.at(-1)?.at ?? state.createdAt;
  const wall = Math.max(0, Date.parse(end) - Date.parse(state.createdAt));
  const estimate = latestEvent(events, 'human_estimate');
  const check = latestEvent(events, 'regression_check');
  const lines = [
    `- baton: ${formatDuration(wall)} wall time, ${formatTokens(state.usage.totalTokens)} tokens, ${formatUsd(state.usage.costUsd)}, ${state.usage.modelCalls} model calls, ${state.usage.toolCalls} tool calls`,
    `- human-only estimate: ${estimate ? `${formatHours(estimate.seconds)} (by ${mdText(estimate.by, 60)})` : 'none recorded'}`,
  ];
  if (check) {
    lines.push(
      check.regressions.length === 0
        ? `- regressions: none — every suite passing on the base (${mdCode(check.baseCommit.slice(0, 10))}) passes on this branch`
        : `- regressions: ${check.regressions.length} test(s) passing on the base fail on this branch: ${check.regressions.slice(0, 20).map((r) => mdCode(r, 120)).join(', ')}`,
    );
  }
  return lines;
}

export function pullRequestText(state: RunState, events: readonly StoredEvent[], options: { headCommit: string }): PullRequestText {
  // Long runs lose table rows (never the other sections) until the body fits.
  for (let maxRows = state.taskOrder.length; ; maxRows = Math.floor(maxRows / 2)) {
    const body = renderBody(state, events, options.headCommit, maxRows);
    if (body.length <= MAX_BODY_CHARS || maxRows === 0) return { title: pullRequestTitle(state), body: body.slice(0, MAX_BODY_CHARS) };
  }
}

function renderBody(state: RunState, events: readonly StoredEvent[], headCommit: string, maxRows: number): string {
  const models = allModels(events);
  const scripted = models.filter(isScriptedModel);
  const plan = state.plan;
  const sections: string[] = [];
  if (scripted.length > 0) {
    sections.push(`> [!WARNING]\n> This run used **scripted** models (${scripted.map((m) => mdCode(m, 120)).join(', ')}): their output was replayed from prepared answers, not produced by a live model.`);
  }
  sections.push('## Ticket', mdParagraph(state.ticket));
  if (plan) {
    const phases = new Set(plan.tasks.map((t) => t.phase)).size;
    const approved = state.approvedVersion !== undefined ? `plan v${state.approvedVersion}, approved` : `plan v${state.planVersion}, not approved`;
    sections.push('## Plan', `${mdText(plan.summary, 1000)}\n\n${plan.tasks.length} task(s) in ${phases} phase(s) · ${approved} · workflow ${mdCode(state.workflow)}`);
  }
  sections.push('## Tasks', taskTable(state, events, maxRows).join('\n'));
  const escalations = escalationLines(state, events);
  sections.push('## Escalations and human decisions', escalations.length > 0 ? escalations.join('\n') : 'None: no task needed a human.');
  if (state.decisions.entries.length > 0) {
    sections.push('## Decisions log', state.decisions.entries.map((d) => `- D${d.id} (${d.source}, ${mdCode(d.by, 80)}): ${mdText(d.text, 300)}`).join('\n'));
  }
  sections.push('## Figures', pilotLines(state, events).join('\n'));
  const finished = latestRunFinished(events);
  if (finished?.summary !== undefined) sections.push('## Outcome', mdText(finished.summary, 1000));
  sections.push(
    `<sub>Generated by baton from run ${mdCode(state.runId)} (${state.outcome ?? state.phase}) at ${mdCode(headCommit.slice(0, 12))}. Models: ${models.map((m) => mdCode(m, 120)).join(', ') || 'none'}. Every commit carries ${mdCode('Baton-Run')} and ${mdCode('Baton-Task')} trailers.</sub>`,
  );
  return sections.join('\n\n');
}

function latestRunFinished(events: readonly StoredEvent[]): RunEventOf<'run_finished'> | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'run_finished') return e;
    if (e.type === 'run_resumed') return undefined;
  }
  return undefined;
}
