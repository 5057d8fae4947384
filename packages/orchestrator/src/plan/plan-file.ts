// The plan as a YAML file a human edits (`baton plan edit`), and parsing it back with every
// problem pointing at its line and column, compiler style.
import { Document, isNode, LineCounter, parseDocument, type Node } from 'yaml';
import type { Plan, Task } from './plan-schema.ts';
import { validatePlan, type PlanProblem, type ValidatePlanOptions } from './validate-plan.ts';

export interface PlanFileProblem {
  /** 1-based line and column in the file. */
  line: number;
  column: number;
  /** Where in the plan, e.g. `tasks[3].depends_on[0]` ('' for syntax errors). */
  path: string;
  code: PlanProblem['code'] | 'yaml_syntax';
  message: string;
}

export type PlanFileParse =
  | { ok: true; plan: Plan; warnings: PlanFileProblem[] }
  | { ok: false; errors: PlanFileProblem[]; warnings: PlanFileProblem[] };

const TASK_KEYS: readonly (keyof Task)[] = ['id', 'title', 'type', 'role', 'phase', 'depends_on', 'needs_approval', 'write_scope', 'read_scope', 'tests', 'brief', 'acceptance', 'status'];

function orderedTask(task: Task): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of TASK_KEYS) {
    const value = task[key];
    if (value === undefined) continue;
    // Run-time status is shown only when it says something; new and pending tasks omit it.
    if (key === 'status' && value === 'pending') continue;
    out[key] = value;
  }
  return out;
}

export function renderPlanFile(plan: Plan, options: { runId?: string; version?: number; warnings?: readonly string[] } = {}): string {
  const doc = new Document({ ticket: plan.ticket, summary: plan.summary, workflow: plan.workflow, tasks: plan.tasks.map(orderedTask) });
  const header = [
    ` baton plan${options.runId ? ` for run ${options.runId}` : ''}${options.version !== undefined ? `, version ${options.version}` : ''}.`,
    ' Edit and save; baton validates the file and points at the line of any problem.',
    ' depends_on: ids of tasks that must finish first. write_scope/read_scope: globs relative to the repository root.',
    ' Tasks whose write scopes overlap never run at the same time. needs_approval: true makes a task wait for you.',
    ...(options.warnings ?? []).map((w) => ` warning: ${w}`),
  ];
  doc.commentBefore = header.join('\n');
  const tasks = doc.get('tasks', true);
  if (tasks && isNode(tasks) && 'items' in tasks && Array.isArray(tasks.items)) {
    tasks.items.forEach((item: unknown, i: number) => {
      if (i > 0 && isNode(item)) item.spaceBefore = true;
    });
  }
  return doc.toString({ lineWidth: 110, blockQuote: 'literal' });
}

/**
 * A plan file for a run that has no valid plan: the planner's last refused attempt (with its
 * problems as comments) or, when it submitted nothing, a one-task skeleton to fill in. The
 * ticket and workflow are the run's, whatever the attempt said.
 */
export function renderDraftPlanFile(input: { ticket: string; workflow: string; runId: string; attempt?: unknown; problems?: readonly string[] }): string {
  const attempt = typeof input.attempt === 'object' && input.attempt !== null && !Array.isArray(input.attempt) ? (input.attempt as Record<string, unknown>) : undefined;
  const tasks = Array.isArray(attempt?.['tasks'])
    ? attempt['tasks'].map((t: unknown) => (typeof t === 'object' && t !== null ? Object.fromEntries(Object.entries(t).filter(([key]) => key !== 'status')) : t))
    : [{ id: 'first-task', title: 'What this task does', type: 'implementation', depends_on: [], brief: 'Say concretely what to change and where.', read_scope: ['**'], write_scope: ['src/**'], tests: [], acceptance: ['A checkable statement'] }];
  const doc = new Document({ ticket: input.ticket, summary: typeof attempt?.['summary'] === 'string' ? attempt['summary'] : 'How the ticket is done, in a sentence.', workflow: input.workflow, tasks });
  doc.commentBefore = [
    ` baton plan for run ${input.runId}: no valid plan yet.`,
    attempt ? ' This is the planner\'s last attempt; fix what is listed below and save.' : ' The planner submitted nothing; write the plan here and save.',
    ...(input.problems ?? []).map((p) => ` problem: ${p}`),
    ' depends_on: ids of tasks that must finish first. write_scope/read_scope: globs relative to the repository root.',
  ].join('\n');
  return doc.toString({ lineWidth: 110, blockQuote: 'literal' });
}

/** `tasks[3].depends_on[0]` -> ['tasks', 3, 'depends_on', 0]. */
export function parseProblemPath(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  return keys;
}

function locate(doc: Document, counter: LineCounter, path: string): { line: number; column: number } {
  const keys = parseProblemPath(path);
  // A missing key (e.g. a required field) points at the nearest enclosing node that exists.
  for (let n = keys.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : (doc.getIn(keys.slice(0, n), true) as unknown);
    if (isNode(node) && (node as Node).range) {
      const pos = counter.linePos((node as Node).range![0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

export function parsePlanFile(text: string, options: ValidatePlanOptions = {}): PlanFileParse {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const errors: PlanFileProblem[] = doc.errors.map((e) => {
      const pos = e.linePos?.[0] ?? counter.linePos(e.pos[0]);
      return { line: pos.line, column: pos.col, path: '', code: 'yaml_syntax', message: e.message.split('\n')[0]! };
    });
    return { ok: false, errors, warnings: [] };
  }
  const result = validatePlan(doc.toJS() as unknown, options);
  const place = (p: PlanProblem): PlanFileProblem => ({ ...locate(doc, counter, p.path), path: p.path, code: p.code, message: p.message });
  const warnings = result.warnings.map(place);
  if (!result.ok) return { ok: false, errors: result.errors.map(place).sort((a, b) => a.line - b.line || a.column - b.column), warnings };
  return { ok: true, plan: result.plan, warnings };
}

/** `plan.yaml:12:7: tasks[3].depends_on[0]: ...` lines for a terminal or an editor's quickfix list. */
export function formatPlanFileProblems(problems: readonly PlanFileProblem[], fileName: string): string {
  return problems.map((p) => `${fileName}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n');
}
