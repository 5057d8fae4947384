// The planner's part of the decisions log: the optional `decisions` field of its submit_plan
// call (key decisions every task must follow: interfaces and names chosen, constraints). Checked
// like the rest of the plan, so a planner whose decisions are too long or too many is told why
// and tries again; logged with the plan it came with.
import { z } from 'zod';
import { decisionTextProblem, MAX_DECISION_CHARS } from '../decisions/decision-events.ts';
import type { PlanProblem } from './validate-plan.ts';

/** JSON Schema of the field, for the submit_plan tool; `room` is how many entries the log still takes. */
export function planDecisionsJsonSchema(room: number): Record<string, unknown> {
  const field = z
    .array(z.string().max(MAX_DECISION_CHARS))
    .max(room)
    .describe(
      `Key decisions this plan fixes that every task must follow: interfaces and names chosen, constraints (e.g. "CSV export is toCsv(rows, columns) in src/export/csv.ts"). One line each, at most ${MAX_DECISION_CHARS} characters, at most ${room}. Each task's brief carries them. Leave it out when there are none.`,
    );
  const schema = z.toJSONSchema(field) as Record<string, unknown>;
  delete schema['$schema'];
  return schema;
}

/** The decisions a submission carries (trimmed), or the problems that stop them from being logged. */
export function readPlanDecisions(submitted: unknown, room: number): { decisions: string[]; problems: PlanProblem[] } {
  const value = typeof submitted === 'object' && submitted !== null && !Array.isArray(submitted) ? (submitted as Record<string, unknown>)['decisions'] : undefined;
  if (value === undefined || value === null) return { decisions: [], problems: [] };
  if (!Array.isArray(value)) return { decisions: [], problems: [{ path: 'decisions', code: 'schema', message: 'decisions is a list of one-line strings' }] };
  const problems: PlanProblem[] = [];
  const decisions: string[] = [];
  value.forEach((item: unknown, i) => {
    const problem = typeof item === 'string' ? decisionTextProblem(item.trim()) : 'a decision is a string';
    if (problem !== undefined) problems.push({ path: `decisions[${i}]`, code: 'schema', message: problem });
    else decisions.push((item as string).trim());
  });
  if (value.length > room) problems.push({ path: 'decisions', code: 'schema', message: `the decisions log takes ${room} more entr${room === 1 ? 'y' : 'ies'}, not ${value.length}: keep the decisions that matter most` });
  return { decisions: problems.length === 0 ? decisions : [], problems };
}
