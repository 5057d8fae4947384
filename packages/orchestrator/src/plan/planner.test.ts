import { describe, expect, it } from 'vitest';
import type { PlanProposal } from './plan-schema.ts';
import type { PlannerModel, PlannerModelRequest, PlannerModelResponse } from './planner-model.ts';
import { planTicket, SUBMIT_PLAN_TOOL } from './planner.ts';
import { makePlan } from './make-task.ts';

function scripted(responses: PlannerModelResponse[]): PlannerModel & { requests: PlannerModelRequest[] } {
  const requests: PlannerModelRequest[] = [];
  return {
    requests,
    complete(request) {
      requests.push(structuredClone(request));
      const next = responses.shift();
      if (!next) throw new Error('scripted planner ran out of responses');
      return Promise.resolve(next);
    },
  };
}

function submit(plan: unknown, text = 'Here is the plan.'): PlannerModelResponse {
  return { text, toolCalls: [{ id: 'call', name: SUBMIT_PLAN_TOOL, input: plan }], usage: { inputTokens: 100, outputTokens: 50 }, stopReason: 'tool_use' };
}

const good: PlanProposal = {
  ticket: 'ignored, the human ticket wins',
  summary: 'Find the code, then add the serializer.',
  workflow: 'feature',
  tasks: [
    { id: 'find', title: 'Find', type: 'analysis', role: 'analyst', depends_on: [], phase: 1, brief: 'read', read_scope: ['**'], write_scope: [], tests: [], acceptance: [] },
    { id: 'csv', title: 'CSV', type: 'implementation', role: 'worker', depends_on: ['find'], phase: 1, brief: 'write', read_scope: ['**'], write_scope: ['src/csv.ts'], tests: ['unit'], acceptance: ['quoted'] },
  ],
};

describe('planTicket', () => {
  it('returns a valid plan from the submit_plan call, with the submit_plan schema offered', async () => {
    const model = scripted([submit({ ...good, workflow: 'incident', tasks: [{ ...good.tasks[0]!, status: 'done' }, good.tasks[1]!] })]);
    const outcome = await planTicket({ model, ticket: 'Add CSV export', workflow: 'feature', repo: 'src/csv.ts', knownTests: ['unit'] });
    expect(outcome.kind).toBe('planned');
    if (outcome.kind !== 'planned') return;
    expect(outcome.plan.ticket).toBe('Add CSV export');
    expect(outcome.plan.workflow).toBe('feature');
    expect(outcome.plan.tasks.map((t) => t.status)).toEqual(['pending', 'pending']);
    expect(outcome.usage).toEqual({ inputTokens: 100, outputTokens: 50, modelCalls: 1 });
    const request = model.requests[0]!;
    expect(request.tools[0]!.name).toBe('submit_plan');
    expect(request.tools[0]!.inputSchema).toMatchObject({ type: 'object', required: ['ticket', 'summary', 'workflow', 'tasks'] });
    expect(request.system).toContain('Workflow: feature.');
    expect(request.messages[0]!.content).toContain('Add CSV export');
  });

  it('sends the reasons back when the plan is invalid and accepts the fix', async () => {
    const cyclic = { ...good, tasks: [{ ...good.tasks[0]!, depends_on: ['csv'] }, good.tasks[1]!] };
    const model = scripted([submit(cyclic), submit(good)]);
    const seen: number[] = [];
    const outcome = await planTicket({ model, ticket: 'Add CSV export', workflow: 'feature', repo: '', onAttempt: (a) => seen.push(a.problems.length) });
    expect(outcome.kind).toBe('planned');
    expect(seen).toEqual([1, 0]);
    const retry = model.requests[1]!.messages;
    expect(retry).toHaveLength(3);
    expect(retry[1]!.role).toBe('assistant');
    expect(retry[2]!.content).toMatch(/tasks\[\d\]\.depends_on\[0\]: dependency cycle: /);
  });

  it('gives up after the bounded attempts and surfaces the last plan and problems', async () => {
    const noTool: PlannerModelResponse = { text: 'I think we should...', toolCalls: [], stopReason: 'end_turn' };
    const bad = { ...good, tasks: [{ ...good.tasks[1]!, write_scope: ['/etc/passwd'] }] };
    const model = scripted([noTool, submit(bad)]);
    const outcome = await planTicket({ model, ticket: 't', workflow: 'feature', repo: '', maxAttempts: 2 });
    expect(outcome.kind).toBe('invalid');
    if (outcome.kind !== 'invalid') return;
    expect(outcome.attempts[0]!.problems[0]!.message).toContain('no plan was submitted');
    expect(outcome.attempts[1]!.problems.map((p) => p.code).sort()).toEqual(['scope_outside_repo', 'unknown_dependency']);
    expect(outcome.problems).toBe(outcome.attempts[1]!.problems);
    expect(outcome.lastSubmitted).toEqual(bad);
    expect(outcome.usage.modelCalls).toBe(2);
  });

  it('enforces the incident workflow: no writes before a human decides', async () => {
    const model = scripted([submit({ ...good, workflow: 'incident' })]);
    const outcome = await planTicket({ model, ticket: 't', workflow: 'incident', repo: '', maxAttempts: 1 });
    expect(outcome.kind).toBe('invalid');
    if (outcome.kind === 'invalid') expect(outcome.problems).toEqual([expect.objectContaining({ code: 'workflow_rule', path: 'tasks[1].write_scope' })]);
  });

  it('re-plans keeping finished tasks even when the model leaves them out', async () => {
    const current = makePlan([{ id: 'find', type: 'analysis' }, { id: 'csv', depends_on: ['find'], write_scope: ['src/csv.ts'] }]);
    const proposal = { ...good, tasks: [{ ...good.tasks[1]!, brief: 'smaller step' }] };
    const model = scripted([submit(proposal)]);
    const outcome = await planTicket({
      model,
      ticket: 't',
      workflow: 'feature',
      repo: '',
      replan: { current, statuses: { find: { status: 'done' }, csv: { status: 'failed' } }, reason: 'csv failed its tests' },
    });
    expect(outcome.kind).toBe('planned');
    if (outcome.kind === 'planned') expect(outcome.plan.tasks.map((t) => [t.id, t.status, t.brief])).toEqual([['find', 'done', 'do find'], ['csv', 'pending', 'smaller step']]);
    expect(model.requests[0]!.messages[0]!.content).toContain('csv failed its tests');
  });

  it('returns the decisions the planner logs with its plan, and offers the field with the room left', async () => {
    const model = scripted([submit({ ...good, decisions: ['  CSV export is toCsv(rows, columns) in src/csv.ts  ', 'No new dependencies'] })]);
    const outcome = await planTicket({ model, ticket: 't', workflow: 'feature', repo: '', decisions: { current: [{ id: 3, text: 'Dates are UTC' }], room: 5 } });
    expect(outcome.kind === 'planned' && outcome.decisions).toEqual(['CSV export is toCsv(rows, columns) in src/csv.ts', 'No new dependencies']);
    const request = model.requests[0]!;
    expect(request.tools[0]!.inputSchema).toMatchObject({ properties: { decisions: { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 300 } } } });
    expect(request.messages[0]!.content).toContain('# Decisions so far');
    expect(request.messages[0]!.content).toContain('- D3: Dates are UTC');
    expect(request.system).toContain('decisions (optional)');
    // The plan itself carries no decisions: they go to the run's decisions log.
    expect(outcome.kind === 'planned' && 'decisions' in outcome.plan).toBe(false);
  });

  it('sends decisions that are too long or too many back like any plan problem', async () => {
    const model = scripted([submit({ ...good, decisions: ['fine', 'x'.repeat(301), 'two\nlines'] }), submit({ ...good, decisions: ['a', 'b', 'c'] }), submit({ ...good, decisions: ['a'] })]);
    const outcome = await planTicket({ model, ticket: 't', workflow: 'feature', repo: '', decisions: { current: [], room: 2 } });
    expect(outcome.kind === 'planned' && outcome.decisions).toEqual(['a']);
    expect(outcome.attempts[0]!.problems.map((p) => p.path)).toEqual(['decisions[1]', 'decisions[2]', 'decisions']);
    expect(model.requests[1]!.messages[2]!.content).toContain('decisions[1]: a decision is at most 300 characters (this one has 301)');
    expect(model.requests[2]!.messages.at(-1)!.content).toContain('decisions: the decisions log takes 2 more entries, not 3');
  });
});
