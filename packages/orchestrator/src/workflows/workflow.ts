// A workflow is a template the planner starts from: how to cut the ticket into tasks,
// which gates and approvals apply, and what the human decides at the end.
import { z } from 'zod';

export const WORKFLOW_NAMES = ['feature', 'refactor', 'incident'] as const;
export const WorkflowNameSchema = z.enum(WORKFLOW_NAMES);
export type WorkflowName = z.infer<typeof WorkflowNameSchema>;

export interface Workflow {
  name: WorkflowName;
  title: string;
  /** Guidance appended to the planner's prompt. */
  plannerGuide: string;
  /** Phases run strictly in order, each gated by its tests passing. */
  phaseGates: boolean;
  /** Whether a human must choose what happens after the analysis tasks (no code changes before that). */
  humanDecidesFix: boolean;
}

const feature: Workflow = {
  name: 'feature',
  title: 'Feature work',
  phaseGates: false,
  humanDecidesFix: false,
  plannerGuide: [
    'Workflow: feature.',
    '1. Start with one read-only discovery task (type analysis, role analysis, empty write_scope) that finds the code the feature touches.',
    '2. Split the change into small tasks by concern, e.g. serialization, endpoint/handler, wiring/registration, tests, docs.',
    '3. Give each task the narrowest write_scope that lets it do its job; tasks whose write scopes are disjoint run in parallel.',
    '4. depends_on only where a task needs another task\'s code (e.g. wiring depends on the endpoint).',
    '5. Every implementation or tests task names the test suites that prove it works.',
  ].join('\n'),
};

const refactor: Workflow = {
  name: 'refactor',
  title: 'Phased refactor',
  phaseGates: true,
  humanDecidesFix: false,
  plannerGuide: [
    'Workflow: phased refactor. Behaviour must not change.',
    'Phase 1: internal code and its tests, one task per module (parallel where write scopes are disjoint).',
    'Phase 2: database schema and migrations (add a NEW migration; never edit applied migrations).',
    'Phase 3: external API names and documentation.',
    'Phase N+1 starts only after phase N\'s tests pass. Any task that renames something external callers see',
    '(HTTP routes, JSON field names, CLI flags, public package exports) sets needs_approval: true so a human signs off first.',
  ].join('\n'),
};

const incident: Workflow = {
  name: 'incident',
  title: 'Incident response',
  phaseGates: false,
  humanDecidesFix: true,
  plannerGuide: [
    'Workflow: incident response. No files change until a human decides.',
    'Plan exactly two read-only analysis tasks that run in parallel (empty write_scope):',
    '- log-analysis: cluster the errors in the incident context, count them, name the likely components;',
    '- code-inspection: read the suspected code paths and recent commits, explain the likely root cause.',
    'Their reports go to the orchestrator, which proposes one or two candidate fixes and a minimal reproducing test.',
    'A human then chooses: let a worker implement a fix (a new task with a write scope), or take over.',
  ].join('\n'),
};

export const WORKFLOWS: Readonly<Record<WorkflowName, Workflow>> = { feature, refactor, incident };

export function workflowFor(name: WorkflowName): Workflow {
  return WORKFLOWS[name];
}
