// The planner loop: ask the model for a plan through a `submit_plan` tool call, validate it,
// send the reasons back when it is invalid, and after a bounded number of attempts hand the
// last attempt and its problems to the human instead of guessing.
import { MAX_DECISIONS } from '../decisions/decision-events.ts';
import type { DecisionEntry } from '../decisions/decision-log.ts';
import { decisionLines } from '../decisions/render-decisions.ts';
import { renderRepoMetadata, type RepoMetadata } from '../planner/repo-metadata.ts';
import { planDecisionsJsonSchema, readPlanDecisions } from './plan-decisions.ts';
import { workflowFor, type Workflow, type WorkflowName } from '../workflows/workflow.ts';
import { PlanSchema, planJsonSchema, type Plan, type TaskStatus } from './plan-schema.ts';
import type { PlannerMessage, PlannerModel, PlannerModelResponse } from './planner-model.ts';
import { mergeReplan } from './replan.ts';
import { validatePlan, type PlanProblem } from './validate-plan.ts';

export const SUBMIT_PLAN_TOOL = 'submit_plan';

export interface PlannerAttempt {
  attempt: number;
  /** What the model submitted (undefined when it called no tool). */
  submitted: unknown;
  problems: PlanProblem[];
}

export interface PlannerUsage {
  inputTokens: number;
  outputTokens: number;
  modelCalls: number;
}

export type PlannerOutcome =
  /** `decisions`: what the planner asked to log in the run's decisions log with this plan. */
  | { kind: 'planned'; plan: Plan; decisions: string[]; warnings: PlanProblem[]; attempts: PlannerAttempt[]; usage: PlannerUsage }
  /** No valid plan within the attempts: a human must edit the last one or rephrase the ticket. */
  | { kind: 'invalid'; attempts: PlannerAttempt[]; lastSubmitted: unknown; problems: PlanProblem[]; usage: PlannerUsage };

export interface PlanTicketOptions {
  model: PlannerModel;
  ticket: string;
  workflow: Workflow | WorkflowName;
  /** What the planner knows about the repository (gathered through a read-only grant). */
  repo: RepoMetadata | string;
  /** Test suite names from baton.config.json. */
  knownTests?: readonly string[];
  maxAttempts?: number;
  maxOutputTokens?: number;
  /** Re-plan mode: the current plan and task statuses; only pending/failed/blocked tasks may change. */
  replan?: { current: Plan; statuses: Readonly<Record<string, { status: TaskStatus } | undefined>>; reason: string };
  /** Called after each attempt (for the event log: plan_invalid). */
  onAttempt?: (attempt: PlannerAttempt) => void;
  /** The run's decisions log so far (a re-plan sees it) and how many entries it still takes (default: all of them). */
  decisions?: { current: readonly Pick<DecisionEntry, 'id' | 'text'>[]; room: number };
}

const RULES = [
  'Rules for the plan:',
  '- Task ids: lowercase letters, digits, "-", "_" or "." (e.g. "csv-serializer"); unique.',
  '- depends_on lists ids of tasks that must finish first; no cycles; never depend on a task in a later phase.',
  '- write_scope and read_scope are globs relative to the repository root ("src/report/**", "docs/api.md"); never absolute, never "..", never .git.',
  '- Keep write scopes narrow and disjoint where possible: tasks whose write scopes overlap cannot run at the same time.',
  '- tests names test suites from the repository configuration; leave it empty when none applies.',
  '- acceptance lists checkable statements; brief says concretely what to do and where.',
  '- decisions (optional) lists the key decisions the plan fixes that every task must follow: interfaces and names chosen, constraints. One line each; every task\'s brief carries them, so keep them few and short.',
  `- Submit the whole plan by calling ${SUBMIT_PLAN_TOOL} exactly once. Put a short human-readable summary of the approach in "summary".`,
].join('\n');

function systemPrompt(workflow: Workflow, knownTests: readonly string[] | undefined): string {
  return [
    'You are the planner of baton, which splits a software ticket into small tasks for parallel coding agents, each confined to its own files.',
    workflow.plannerGuide,
    RULES,
    knownTests ? `Test suites available: ${knownTests.join(', ') || '(none)'}.` : '',
  ]
    .filter((s) => s !== '')
    .join('\n\n');
}

function firstPrompt(options: PlanTicketOptions, workflow: Workflow): string {
  const repo = typeof options.repo === 'string' ? options.repo : renderRepoMetadata(options.repo);
  const parts = [`# Ticket\n${options.ticket.trim()}`, `# Workflow\n${workflow.name}: ${workflow.title}`, `# Repository\n${repo}`];
  const current = options.decisions?.current ?? [];
  if (current.length > 0) parts.push(`# Decisions so far\nThe run's decisions log holds these; add to "decisions" only new ones.\n${decisionLines(current).join('\n')}`);
  if (options.replan) {
    const lines = options.replan.current.tasks.map((t) => `- ${t.id} [${options.replan!.statuses[t.id]?.status ?? 'pending'}]: ${t.title}`);
    parts.push(
      `# Re-plan\nThe run is under way and needs a new plan because: ${options.replan.reason}\nCurrent tasks and their status:\n${lines.join('\n')}`,
      `Current plan (JSON):\n${JSON.stringify(options.replan.current)}`,
      'Only tasks that are pending, failed or blocked may change or be dropped; include every other task exactly as it is. You may add new tasks.',
    );
  }
  return parts.join('\n\n');
}

function feedback(problems: readonly PlanProblem[]): string {
  return [
    `The plan you submitted is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
    ...problems.map((p) => `- ${p.path || '(plan)'}: ${p.message}`),
    `Fix them and call ${SUBMIT_PLAN_TOOL} again with the whole corrected plan.`,
  ].join('\n');
}

function addUsage(usage: PlannerUsage, response: PlannerModelResponse): void {
  usage.modelCalls++;
  usage.inputTokens += response.usage?.inputTokens ?? 0;
  usage.outputTokens += response.usage?.outputTokens ?? 0;
}

function workflowProblems(plan: Plan, workflow: Workflow): PlanProblem[] {
  if (!workflow.humanDecidesFix) return [];
  return plan.tasks.flatMap((t, i) =>
    t.write_scope.length > 0 ? [{ path: `tasks[${i}].write_scope`, code: 'workflow_rule' as const, message: `the ${workflow.name} workflow changes no files before a human decides; task "${t.id}" must have an empty write_scope` }] : [],
  );
}

export async function planTicket(options: PlanTicketOptions): Promise<PlannerOutcome> {
  const workflow = typeof options.workflow === 'string' ? workflowFor(options.workflow) : options.workflow;
  const maxAttempts = options.maxAttempts ?? 3;
  const messages: PlannerMessage[] = [{ role: 'user', content: firstPrompt(options, workflow) }];
  const room = options.decisions?.room ?? MAX_DECISIONS;
  const tools = [{ name: SUBMIT_PLAN_TOOL, description: 'Submit the complete task plan for the ticket.', inputSchema: submitPlanSchema(room) }];
  const system = systemPrompt(workflow, options.knownTests);
  const usage: PlannerUsage = { inputTokens: 0, outputTokens: 0, modelCalls: 0 };
  const attempts: PlannerAttempt[] = [];
  let lastSubmitted: unknown;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const response = await options.model.complete({ system, messages, tools, maxOutputTokens: options.maxOutputTokens ?? 16_000 });
    addUsage(usage, response);
    const call = response.toolCalls.find((c) => c.name === SUBMIT_PLAN_TOOL);
    let problems: PlanProblem[];
    let result: { plan: Plan; decisions: string[]; warnings: PlanProblem[] } | undefined;
    if (!call) {
      problems = [{ path: '', code: 'schema', message: `no plan was submitted; call the ${SUBMIT_PLAN_TOOL} tool with the plan` }];
    } else {
      lastSubmitted = call.input;
      const checked = checkCandidate(normaliseSubmission(call.input, options.ticket, workflow.name), options, workflow);
      const decisions = readPlanDecisions(call.input, room);
      problems = [...checked.problems, ...decisions.problems];
      if (problems.length === 0 && checked.plan) result = { plan: checked.plan, decisions: decisions.decisions, warnings: checked.warnings };
    }
    const record: PlannerAttempt = { attempt, submitted: call?.input, problems };
    attempts.push(record);
    options.onAttempt?.(record);
    if (result) return { kind: 'planned', plan: result.plan, decisions: result.decisions, warnings: result.warnings, attempts, usage };
    messages.push(
      { role: 'assistant', content: `${response.text.trim()}\n\n[${SUBMIT_PLAN_TOOL} called with: ${call ? JSON.stringify(call.input) : 'nothing'}]`.trim() },
      { role: 'user', content: feedback(problems) },
    );
  }
  return { kind: 'invalid', attempts, lastSubmitted, problems: attempts.at(-1)?.problems ?? [], usage };
}

/** The plan's JSON Schema with the optional decisions field (which is not part of the plan: it goes to the decisions log). */
function submitPlanSchema(room: number): Record<string, unknown> {
  const schema = planJsonSchema();
  const properties = schema['properties'] as Record<string, unknown>;
  if (room > 0) properties['decisions'] = planDecisionsJsonSchema(room);
  return schema;
}

/** The ticket and workflow are the human's choice, and statuses are the run's, never the model's. */
function normaliseSubmission(input: unknown, ticket: string, workflow: WorkflowName): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const record = input as Record<string, unknown>;
  const tasks = Array.isArray(record['tasks'])
    ? record['tasks'].map((t: unknown) => {
        if (typeof t !== 'object' || t === null) return t;
        const { status: _ignored, ...rest } = t as Record<string, unknown>;
        return rest;
      })
    : record['tasks'];
  return { ...record, ticket, workflow, tasks };
}

function checkCandidate(candidate: unknown, options: PlanTicketOptions, workflow: Workflow): { plan?: Plan; problems: PlanProblem[]; warnings: PlanProblem[] } {
  const knownTests = options.knownTests ? { knownTests: options.knownTests } : {};
  if (options.replan) {
    // A re-plan is checked as merged with the tasks it must keep (they may be left out or referenced).
    const parsed = PlanSchema.safeParse(candidate);
    if (!parsed.success) return { problems: validatePlan(candidate).errors, warnings: [] };
    const merged = mergeReplan({ current: options.replan.current, statuses: options.replan.statuses, proposed: parsed.data, ...knownTests });
    return { plan: merged.plan, problems: [...merged.errors, ...workflowProblems(merged.plan, workflow)], warnings: merged.warnings };
  }
  const validation = validatePlan(candidate, knownTests);
  if (!validation.plan) return { problems: validation.errors, warnings: [] };
  return { plan: validation.plan, problems: [...validation.errors, ...workflowProblems(validation.plan, workflow)], warnings: validation.warnings };
}
