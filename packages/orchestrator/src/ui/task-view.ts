// Everything the task page shows about one task, from the run's events: brief and scopes
// from the plan, the worker's conversation and tool calls, files, diff, tests and reviews.
import type { RunEventOf, StoredEvent } from '../store/run-event.ts';
import { reduceRunEvents } from '../store/run-state.ts';
import { isScriptedModel, modelsOf } from './run-views.ts';
import { sideBySideDiff, type DiffFile } from './side-by-side-diff.ts';

type Stamp = { seq: number; at: string };

export interface ConversationItem extends Stamp {
  attempt: number;
  kind: 'model_call' | 'message' | 'error';
  model?: string;
  name?: string;
  text?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  isError: boolean;
}

export interface ToolCallItem extends Stamp {
  attempt: number;
  name: string;
  isError: boolean;
  durationMs?: number;
  detail?: string;
}

export interface TaskDetail {
  runId: string;
  ticket: string;
  scripted: boolean;
  models: string[];
  task: {
    id: string;
    title: string;
    type: string;
    role: string;
    phase: number;
    status: string;
    reason?: string;
    brief: string;
    readScope: string[];
    writeScope: string[];
    tests: string[];
    acceptance: string[];
    dependsOn: string[];
    needsApproval: boolean;
    approval?: string;
    attempts: number;
    totalTokens: number;
    costUsd: number;
    /** Worker nodes that took the task's attempts (runs on worker nodes). */
    nodes: string[];
  };
  conversation: ConversationItem[];
  toolCalls: ToolCallItem[];
  filesRead: { path: string; attempt: number }[];
  filesWritten: { path: string; attempt: number }[];
  diff?: { attempt: number; commit: string; files: DiffFile[]; changedFiles: string[] };
  tests: (Stamp & { suite: string; passed: boolean; attempt?: number; context: string; summary?: string })[];
  reviews: (Stamp & { attempt: number; decision: string; reasons: string[]; feedback?: string; decisions?: string[] })[];
  /** A read-only task's findings per attempt, with what became of them. */
  findings: (Stamp & { attempt: number; text: string; outcome: FindingsOutcome })[];
  decisions: (Stamp & { decision: string; note?: string; by: string })[];
  openEscalation?: { id: string; reason: string; target: string };
  lastSeq: number;
}

export type FindingsOutcome = 'accepted' | 'rework' | 'escalated' | 'awaiting_review';

function uniqueByPath(items: { path: string; attempt: number }[]): { path: string; attempt: number }[] {
  const seen = new Map<string, { path: string; attempt: number }>();
  for (const item of items) seen.set(`${item.attempt}\0${item.path}`, item);
  return [...seen.values()];
}

/** The task's detail, or undefined when the run has no such task. */
export function taskDetail(events: readonly StoredEvent[], taskId: string): TaskDetail | undefined {
  const state = reduceRunEvents(events);
  const task = state.tasks[taskId];
  if (!task) return undefined;
  const plan = state.plan?.tasks.find((t) => t.id === taskId);
  const mine = events.filter((e) => 'taskId' in e && e.taskId === taskId);
  const models = modelsOf(mine);
  const conversation: ConversationItem[] = [];
  const toolCalls: ToolCallItem[] = [];
  const filesRead: { path: string; attempt: number }[] = [];
  const filesWritten: { path: string; attempt: number }[] = [];
  let diff: RunEventOf<'diff_recorded'> | undefined;
  const tests: TaskDetail['tests'] = [];
  const reviews: TaskDetail['reviews'] = [];
  const decisions: TaskDetail['decisions'] = [];
  const findings: TaskDetail['findings'] = [];
  for (const e of mine) {
    const stamp = { seq: e.seq, at: e.at };
    switch (e.type) {
      case 'task_event':
        if (e.kind === 'tool_call') {
          toolCalls.push({ ...stamp, attempt: e.attempt, name: e.name ?? '(unnamed tool)', isError: e.isError === true, ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}), ...(e.detail !== undefined ? { detail: e.detail } : {}) });
        } else {
          conversation.push({
            ...stamp,
            attempt: e.attempt,
            kind: e.kind,
            isError: e.isError === true || e.kind === 'error',
            ...(e.model !== undefined ? { model: e.model } : {}),
            ...(e.name !== undefined ? { name: e.name } : {}),
            ...(e.detail !== undefined ? { text: e.detail } : {}),
            ...(e.usage ? { inputTokens: e.usage.inputTokens, outputTokens: e.usage.outputTokens } : {}),
            ...(e.costUsd !== undefined ? { costUsd: e.costUsd } : {}),
          });
        }
        break;
      case 'file_read':
        filesRead.push({ path: e.path, attempt: e.attempt });
        break;
      case 'file_written':
        filesWritten.push({ path: e.path, attempt: e.attempt });
        break;
      case 'diff_recorded':
        diff = e;
        break;
      case 'test_result':
        tests.push({ ...stamp, suite: e.suite, passed: e.passed, context: e.context, ...(e.attempt !== undefined ? { attempt: e.attempt } : {}), ...(e.summary !== undefined ? { summary: e.summary } : {}) });
        break;
      case 'review_decided': {
        reviews.push({ ...stamp, attempt: e.attempt, decision: e.decision, reasons: e.reasons, ...(e.feedback !== undefined ? { feedback: e.feedback } : {}), ...(e.decisions ? { decisions: e.decisions } : {}) });
        const reported = findings.find((f) => f.attempt === e.attempt);
        if (reported) reported.outcome = e.decision === 'accept' ? 'accepted' : e.decision === 'rework' ? 'rework' : 'escalated';
        break;
      }
      case 'findings_reported':
        findings.push({ ...stamp, attempt: e.attempt, text: e.findings, outcome: 'awaiting_review' });
        break;
      case 'human_decision':
        decisions.push({ ...stamp, decision: e.decision, by: e.by, ...(e.note !== undefined ? { note: e.note } : {}) });
        break;
      default:
        break;
    }
  }
  const open = state.escalations.find((e) => e.taskId === taskId && e.resolution === undefined);
  return {
    runId: state.runId,
    ticket: state.ticket,
    // The run's label, not only the task's: a scripted planner or reviewer marks every page.
    scripted: modelsOf(events).some(isScriptedModel),
    models,
    task: {
      id: taskId,
      title: plan?.title ?? taskId,
      type: plan?.type ?? 'implementation',
      role: plan?.role ?? 'worker',
      phase: plan?.phase ?? 1,
      status: task.status,
      ...(task.reason !== undefined ? { reason: task.reason } : {}),
      brief: plan?.brief ?? '',
      readScope: plan?.read_scope ?? [],
      writeScope: plan?.write_scope ?? [],
      tests: plan?.tests ?? [],
      acceptance: plan?.acceptance ?? [],
      dependsOn: plan?.depends_on ?? [],
      needsApproval: plan?.needs_approval === true,
      ...(task.approval !== undefined ? { approval: task.approval } : {}),
      attempts: task.attempts,
      totalTokens: task.usage.totalTokens,
      costUsd: task.usage.costUsd,
      nodes: task.nodes ?? [],
    },
    conversation,
    toolCalls,
    filesRead: uniqueByPath(filesRead),
    filesWritten: uniqueByPath(filesWritten),
    ...(diff ? { diff: { attempt: diff.attempt, commit: diff.commit, files: sideBySideDiff(diff.diff ?? '', { changedFiles: diff.files }), changedFiles: diff.files } } : {}),
    tests,
    reviews,
    // A human's approval of escalated findings accepts them too.
    findings: findings.map((f) => (task.acceptedFindings?.attempt === f.attempt ? { ...f, outcome: 'accepted' as const } : f)),
    decisions,
    ...(open ? { openEscalation: { id: open.id, reason: open.reason, target: taskId } } : {}),
    lastSeq: state.lastSeq,
  };
}
