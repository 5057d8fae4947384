// Checks a plan before anyone runs it: the schema, unique ids, known dependencies, no cycles,
// phases that do not depend forwards, scopes inside the repository, and write scopes that
// could collide. Every problem carries a path (`tasks[3].depends_on[0]`) an editor can point at.
import type { z } from 'zod';
import { PlanSchema, type Plan, type Task } from './plan-schema.ts';
import { scopesOverlap } from './scope-overlap.ts';

export interface PlanProblem {
  /** Where in the plan, e.g. `tasks[3].depends_on[0]`; '' for the plan as a whole. */
  path: string;
  /** Stable machine-readable kind. */
  code: PlanProblemCode;
  message: string;
}

export type PlanProblemCode =
  | 'schema'
  | 'duplicate_id'
  | 'unknown_dependency'
  | 'cycle'
  | 'forward_phase_dependency'
  | 'scope_outside_repo'
  | 'scope_unsupported'
  | 'unknown_test'
  | 'write_scope_overlap'
  | 'read_only_task_writes'
  | 'locked_task_changed'
  | 'workflow_rule';

export type PlanValidation =
  | { ok: true; plan: Plan; errors: []; warnings: PlanProblem[] }
  | { ok: false; plan?: Plan; errors: PlanProblem[]; warnings: PlanProblem[] };

export interface ValidatePlanOptions {
  /** Test suite names the repository defines (baton.config.json `tests`); unknown names are errors. */
  knownTests?: readonly string[];
}

/** `['tasks', 3, 'depends_on', 0]` -> `tasks[3].depends_on[0]`. */
export function formatProblemPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function schemaProblems(error: z.ZodError): PlanProblem[] {
  return error.issues.map((issue) => ({ path: formatProblemPath(issue.path), code: 'schema', message: issue.message }));
}

/** Validates anything claiming to be a plan. */
export function validatePlan(input: unknown, options: ValidatePlanOptions = {}): PlanValidation {
  const parsed = PlanSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: schemaProblems(parsed.error), warnings: [] };
  const plan = parsed.data;
  const errors: PlanProblem[] = [];
  const warnings: PlanProblem[] = [];
  const indexOf = new Map<string, number>();

  plan.tasks.forEach((task, i) => {
    if (indexOf.has(task.id)) {
      errors.push({ path: `tasks[${i}].id`, code: 'duplicate_id', message: `task id "${task.id}" is already used by tasks[${indexOf.get(task.id)}]; ids must be unique` });
    } else indexOf.set(task.id, i);
  });

  plan.tasks.forEach((task, i) => {
    task.depends_on.forEach((dep, j) => {
      const at = `tasks[${i}].depends_on[${j}]`;
      const target = indexOf.get(dep);
      if (target === undefined) errors.push({ path: at, code: 'unknown_dependency', message: `task "${task.id}" depends on "${dep}", which is not a task in this plan` });
      else if (plan.tasks[target]!.phase > task.phase) {
        errors.push({ path: at, code: 'forward_phase_dependency', message: `task "${task.id}" (phase ${task.phase}) depends on "${dep}" from the later phase ${plan.tasks[target]!.phase}` });
      }
    });
    scopeProblems(task.read_scope, `tasks[${i}].read_scope`, errors);
    scopeProblems(task.write_scope, `tasks[${i}].write_scope`, errors);
    if (options.knownTests) {
      const known = new Set(options.knownTests);
      task.tests.forEach((name, j) => {
        if (!known.has(name)) {
          errors.push({ path: `tasks[${i}].tests[${j}]`, code: 'unknown_test', message: `test suite "${name}" is not defined; known suites: ${[...known].join(', ') || '(none)'}` });
        }
      });
    }
    if (task.type === 'analysis' && task.write_scope.length > 0) {
      warnings.push({ path: `tasks[${i}].write_scope`, code: 'read_only_task_writes', message: `analysis task "${task.id}" has a write scope; analysis tasks normally only read` });
    }
  });

  errors.push(...cycleProblems(plan, indexOf));
  if (errors.every((e) => e.code !== 'cycle' && e.code !== 'unknown_dependency')) warnings.push(...overlapWarnings(plan, indexOf));
  return errors.length === 0 ? { ok: true, plan, errors: [], warnings } : { ok: false, plan, errors, warnings };
}

function scopeProblems(globs: readonly string[], path: string, into: PlanProblem[]): void {
  globs.forEach((glob, k) => {
    const at = `${path}[${k}]`;
    const segments = glob.split('/');
    if (glob.startsWith('/') || /^[A-Za-z]:/.test(glob) || glob.startsWith('~')) {
      into.push({ path: at, code: 'scope_outside_repo', message: `"${glob}" is absolute; scopes are globs relative to the repository root` });
    } else if (glob.includes('\\')) {
      into.push({ path: at, code: 'scope_unsupported', message: `"${glob}" contains a backslash; use "/" between path segments` });
    } else if (segments.includes('..')) {
      into.push({ path: at, code: 'scope_outside_repo', message: `"${glob}" uses ".." and could reach outside the repository` });
    } else if (segments.some((s) => s.toLowerCase() === '.git')) {
      into.push({ path: at, code: 'scope_outside_repo', message: `"${glob}" names .git; git's own files are never in a task's scope` });
    } else if (glob.startsWith('!')) {
      into.push({ path: at, code: 'scope_unsupported', message: `"${glob}" is a negated glob; list what the task may touch instead` });
    }
  });
}

function cycleProblems(plan: Plan, indexOf: ReadonlyMap<string, number>): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const colour = new Map<string, 'grey' | 'black'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (id: string): void => {
    colour.set(id, 'grey');
    stack.push(id);
    const i = indexOf.get(id)!;
    plan.tasks[i]!.depends_on.forEach((dep, j) => {
      if (!indexOf.has(dep)) return;
      const c = colour.get(dep);
      if (c === 'grey') {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep];
        const key = [...new Set(cycle)].sort().join('\0');
        if (!reported.has(key)) {
          reported.add(key);
          // The plan reads "a depends on b"; show the chain in that direction.
          problems.push({ path: `tasks[${i}].depends_on[${j}]`, code: 'cycle', message: `dependency cycle: ${cycle.join(' -> ')} (each task depends on the next)` });
        }
      } else if (c === undefined) visit(dep);
    });
    stack.pop();
    colour.set(id, 'black');
  };
  for (const task of plan.tasks) if (!colour.has(task.id) && indexOf.get(task.id) !== undefined) visit(task.id);
  return problems;
}

/** Ancestors of each task (transitive depends_on). Assumes no cycles and known deps. */
export function dependencyClosure(tasks: readonly Task[]): Map<string, Set<string>> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const closure = new Map<string, Set<string>>();
  const visit = (id: string): Set<string> => {
    const known = closure.get(id);
    if (known) return known;
    const set = new Set<string>();
    closure.set(id, set);
    for (const dep of byId.get(id)?.depends_on ?? []) {
      set.add(dep);
      for (const a of visit(dep)) set.add(a);
    }
    return set;
  };
  for (const t of tasks) visit(t.id);
  return closure;
}

function overlapWarnings(plan: Plan, indexOf: ReadonlyMap<string, number>): PlanProblem[] {
  const ancestors = dependencyClosure(plan.tasks);
  const warnings: PlanProblem[] = [];
  for (let i = 0; i < plan.tasks.length; i++) {
    const a = plan.tasks[i]!;
    if (indexOf.get(a.id) !== i) continue;
    for (let j = i + 1; j < plan.tasks.length; j++) {
      const b = plan.tasks[j]!;
      if (indexOf.get(b.id) !== j) continue;
      if (ancestors.get(a.id)?.has(b.id) || ancestors.get(b.id)?.has(a.id) || a.phase !== b.phase) continue;
      const overlap = scopesOverlap(a.write_scope, b.write_scope);
      if (!overlap) continue;
      warnings.push({
        path: `tasks[${i}].write_scope`,
        code: 'write_scope_overlap',
        message: `write scope of "${a.id}" ("${overlap.a}") overlaps "${b.id}" (tasks[${j}].write_scope: "${overlap.b}"); they will not run at the same time`,
      });
    }
  }
  return warnings;
}
