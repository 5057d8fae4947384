// A run's trace, derived from its event log the way its state is: run segment → task →
// attempt spans, model calls as `chat` spans (provider, model, token usage) and tool calls as
// `execute_tool` spans with the grant id, following the OpenTelemetry GenAI conventions, plus
// metric points. Pure and OpenTelemetry-free: events in, finished spans and points out. Ids
// are derived from the run and the event that opened a span, so every process that works on a
// run (a resume after a crash, say) adds to the same trace without duplicates.
import { createHash } from 'node:crypto';
import type { StoredEvent } from '../store/run-event.ts';
import { BATON_METRIC, GEN_AI, GEN_AI_METRIC, GEN_AI_OPERATION } from './gen-ai-conventions.ts';

export type AttributeValue = string | number | boolean | string[];
export type Attributes = Record<string, AttributeValue>;

export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: 'internal' | 'client';
  startMs: number;
  endMs: number;
  attributes: Attributes;
  events: { name: string; timeMs: number; attributes: Attributes }[];
  status: 'unset' | 'ok' | 'error';
  statusMessage?: string;
  /** The event that ended the span (exporters skip spans an earlier process already sent). */
  endSeq: number;
}

export interface MetricPoint {
  name: string;
  kind: 'histogram' | 'counter';
  value: number;
  attributes: Attributes;
  seq: number;
}

type OpenSpan = Omit<SpanRecord, 'endMs' | 'endSeq' | 'status'> & { status?: SpanRecord['status'] };

export function traceIdOf(runId: string): string {
  return createHash('sha256').update(`baton-trace\0${runId}`).digest('hex').slice(0, 32);
}

function spanIdOf(runId: string, key: string): string {
  return createHash('sha256').update(`baton-span\0${runId}\0${key}`).digest('hex').slice(0, 16);
}

/** `anthropic:claude-…` → provider and model; labels without a provider keep the whole label as the model. */
export function splitModelLabel(label: string): { provider: string; model: string } {
  const i = label.indexOf(':');
  if (i <= 0) return { provider: 'unknown', model: label };
  const provider = label.slice(0, i);
  return { provider: provider === 'openai-compatible' ? 'openai' : provider === 'scripted' ? 'baton.scripted' : provider, model: label.slice(i + 1) };
}

const ms = (iso: string) => Date.parse(iso);
const TERMINAL = new Set(['done', 'failed', 'skipped']);

export class TraceBuilder {
  readonly #runId: string;
  readonly #traceId: string;
  #segment: OpenSpan | undefined;
  readonly #tasks = new Map<string, OpenSpan>();
  readonly #attempts = new Map<string, OpenSpan>();
  readonly #merges = new Map<string, OpenSpan>();
  readonly #accepted = new Set<string>();
  readonly #roles = new Map<string, string>();
  #finished: SpanRecord[] = [];
  #points: MetricPoint[] = [];

  constructor(runId: string) {
    this.#runId = runId;
    this.#traceId = traceIdOf(runId);
  }

  get traceId(): string {
    return this.#traceId;
  }

  /** Feeds one event (in seq order); returns the spans it finished and the metric points it made. */
  push(event: StoredEvent): { spans: SpanRecord[]; points: MetricPoint[] } {
    this.#apply(event);
    const out = { spans: this.#finished, points: this.#points };
    this.#finished = [];
    this.#points = [];
    return out;
  }

  #open(key: string, input: { name: string; kind?: 'internal' | 'client'; startMs: number; parent?: OpenSpan; attributes?: Attributes }): OpenSpan {
    return {
      traceId: this.#traceId,
      spanId: spanIdOf(this.#runId, key),
      ...(input.parent ? { parentSpanId: input.parent.spanId } : {}),
      name: input.name,
      kind: input.kind ?? 'internal',
      startMs: input.startMs,
      attributes: { ...(input.attributes ?? {}) },
      events: [],
    };
  }

  #close(span: OpenSpan | undefined, at: StoredEvent, status: SpanRecord['status'] = span?.status ?? 'unset', message?: string): void {
    if (!span) return;
    this.#finished.push({ ...span, endMs: Math.max(span.startMs, ms(at.at)), endSeq: at.seq, status, ...(message !== undefined ? { statusMessage: message } : {}) });
  }

  #point(name: string, kind: MetricPoint['kind'], value: number, attributes: Attributes, seq: number): void {
    this.#points.push({ name, kind, value, attributes, seq });
  }

  /** The span a task's model or tool call belongs to: its attempt, or after acceptance its merge work. */
  #workSpan(taskId: string, at: StoredEvent): OpenSpan | undefined {
    if (!this.#accepted.has(taskId)) return this.#attempts.get(taskId);
    let merge = this.#merges.get(taskId);
    if (!merge) {
      const parent = this.#tasks.get(taskId) ?? this.#segment;
      merge = this.#open(`merge/${taskId}/${at.seq}`, { name: `${GEN_AI_OPERATION.invokeAgent} merge`, startMs: ms(at.at), ...(parent ? { parent } : {}), attributes: { [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent, [GEN_AI.agentName]: 'merge', [GEN_AI.agentId]: `${taskId}.merge`, 'baton.task.id': taskId } });
      this.#merges.set(taskId, merge);
    }
    return merge;
  }

  #closeTaskWork(taskId: string, at: StoredEvent, status?: SpanRecord['status'], message?: string): void {
    this.#close(this.#attempts.get(taskId), at, status, message);
    this.#attempts.delete(taskId);
    this.#close(this.#merges.get(taskId), at, status, message);
    this.#merges.delete(taskId);
  }

  #closeAll(at: StoredEvent, message?: string): void {
    const status = message ? 'error' : undefined;
    for (const id of [...this.#attempts.keys(), ...this.#merges.keys()]) this.#closeTaskWork(id, at, status, message);
    for (const [id, span] of this.#tasks) this.#close(span, at, status ?? 'unset', message);
    this.#tasks.clear();
    this.#accepted.clear();
  }

  #event(span: OpenSpan | undefined, name: string, at: StoredEvent, attributes: Attributes): void {
    span?.events.push({ name, timeMs: ms(at.at), attributes });
  }

  #apply(e: StoredEvent): void {
    switch (e.type) {
      case 'run_created':
      case 'run_resumed': {
        if (e.type === 'run_resumed') {
          this.#closeAll(e, 'interrupted: the process working on the run stopped');
          this.#close(this.#segment, e, 'error', 'interrupted: the process working on the run stopped');
        }
        const attributes: Attributes = { [GEN_AI.operationName]: GEN_AI_OPERATION.invokeWorkflow, [GEN_AI.workflowName]: 'baton', [GEN_AI.conversationId]: this.#runId, 'baton.run.id': this.#runId };
        if (e.type === 'run_created') Object.assign(attributes, { 'baton.workflow': e.workflow, 'baton.ticket': e.ticket.split('\n')[0]!.slice(0, 200), 'baton.base_commit': e.baseCommit });
        else Object.assign(attributes, { 'baton.resumed': true, 'baton.restarted_tasks': e.interruptedTasks });
        this.#segment = this.#open(`segment/${e.seq}`, { name: `${GEN_AI_OPERATION.invokeWorkflow} baton`, startMs: ms(e.at), attributes });
        return;
      }
      case 'plan_proposed':
      case 'plan_edited':
        for (const t of e.plan.tasks) this.#roles.set(t.id, t.role === 'worker' ? t.type : t.role);
        this.#event(this.#segment, `baton.${e.type}`, e, { 'baton.plan.version': e.version, 'baton.plan.tasks': e.plan.tasks.length });
        return;
      case 'plan_approved':
        this.#event(this.#segment, 'baton.plan_approved', e, { 'baton.plan.version': e.version, 'baton.by': e.by });
        return;
      case 'model_usage': {
        const { provider, model } = splitModelLabel(e.model);
        const start = ms(e.at);
        const span = this.#open(`usage/${e.seq}`, { name: `${GEN_AI_OPERATION.chat} ${model}`, kind: 'client', startMs: start, ...(this.#segment ? { parent: this.#segment } : {}), attributes: { [GEN_AI.operationName]: GEN_AI_OPERATION.chat, [GEN_AI.providerName]: provider, [GEN_AI.requestModel]: model, [GEN_AI.inputTokens]: e.usage.inputTokens, [GEN_AI.outputTokens]: e.usage.outputTokens, 'baton.role': e.role, 'baton.model_calls': e.calls, 'baton.cost_usd': e.costUsd } });
        this.#close(span, e, 'ok');
        this.#usagePoints({ provider, model, role: e.role, input: e.usage.inputTokens, output: e.usage.outputTokens, costUsd: e.costUsd, seq: e.seq });
        return;
      }
      case 'task_started': {
        const start = ms(e.at);
        let task = this.#tasks.get(e.taskId);
        if (!task) {
          task = this.#open(`task/${e.taskId}/${e.seq}`, { name: `baton.task ${e.taskId}`, startMs: start, ...(this.#segment ? { parent: this.#segment } : {}), attributes: { 'baton.task.id': e.taskId, 'baton.task.role': this.#roles.get(e.taskId) ?? 'worker' } });
          this.#tasks.set(e.taskId, task);
        }
        this.#closeTaskWork(e.taskId, e);
        this.#accepted.delete(e.taskId);
        task.attributes['baton.task.attempts'] = e.attempt;
        const agent = this.#roles.get(e.taskId) ?? 'worker';
        const attributes: Attributes = { [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent, [GEN_AI.agentName]: agent, [GEN_AI.agentId]: `${e.taskId}#${e.attempt}`, 'baton.task.id': e.taskId, 'baton.task.attempt': e.attempt };
        if (e.model) {
          const { provider, model } = splitModelLabel(e.model);
          Object.assign(attributes, { [GEN_AI.providerName]: provider, [GEN_AI.requestModel]: model });
        }
        this.#attempts.set(e.taskId, this.#open(`attempt/${e.taskId}/${e.seq}`, { name: `${GEN_AI_OPERATION.invokeAgent} ${agent}`, startMs: start, parent: task, attributes }));
        return;
      }
      case 'task_event': {
        const parent = this.#workSpan(e.taskId, e) ?? this.#tasks.get(e.taskId) ?? this.#segment;
        const end = ms(e.at);
        const start = end - (e.durationMs ?? 0);
        if (e.kind === 'model_call') {
          const { provider, model } = splitModelLabel(e.model ?? 'unknown');
          const role = e.name === 'review' ? 'reviewer' : this.#accepted.has(e.taskId) ? 'merge' : (this.#roles.get(e.taskId) ?? 'worker');
          const attributes: Attributes = { [GEN_AI.operationName]: GEN_AI_OPERATION.chat, [GEN_AI.providerName]: provider, [GEN_AI.requestModel]: model, [GEN_AI.responseModel]: model, [GEN_AI.inputTokens]: e.usage?.inputTokens ?? 0, [GEN_AI.outputTokens]: e.usage?.outputTokens ?? 0, 'baton.role': role, 'baton.task.id': e.taskId, 'baton.cost_usd': e.costUsd ?? 0 };
          if (e.usage?.cacheReadTokens) attributes[GEN_AI.cacheReadInputTokens] = e.usage.cacheReadTokens;
          if (e.usage?.cacheWriteTokens) attributes[GEN_AI.cacheCreationInputTokens] = e.usage.cacheWriteTokens;
          if (e.isError) attributes[GEN_AI.errorType] = 'model_error';
          const span = this.#open(`call/${e.seq}`, { name: `${GEN_AI_OPERATION.chat} ${model}`, kind: 'client', startMs: start, ...(parent ? { parent } : {}), attributes });
          this.#close(span, e, e.isError ? 'error' : 'ok');
          this.#usagePoints({ provider, model, role, input: e.usage?.inputTokens ?? 0, output: e.usage?.outputTokens ?? 0, costUsd: e.costUsd ?? 0, seq: e.seq, durationMs: e.durationMs });
        } else if (e.kind === 'tool_call') {
          const tool = e.name ?? 'unknown';
          const attributes: Attributes = { [GEN_AI.operationName]: GEN_AI_OPERATION.executeTool, [GEN_AI.toolName]: tool, [GEN_AI.toolType]: 'function', 'baton.task.id': e.taskId, 'baton.task.attempt': e.attempt };
          if (e.grantId) attributes['baton.grant.id'] = e.grantId;
          if (e.isError) attributes[GEN_AI.errorType] = 'tool_error';
          const span = this.#open(`tool/${e.seq}`, { name: `${GEN_AI_OPERATION.executeTool} ${tool}`, startMs: start, ...(parent ? { parent } : {}), attributes });
          this.#close(span, e, e.isError ? 'error' : 'ok', e.isError ? (e.detail ?? 'the tool call failed').slice(0, 500) : undefined);
        } else if (e.kind === 'error') {
          this.#event(parent, e.name === 'access_denied' ? 'baton.access_denied' : 'baton.error', e, { 'baton.detail': (e.detail ?? '').slice(0, 500) });
        }
        return;
      }
      case 'test_result': {
        const parent = (e.taskId && e.context === 'task' ? this.#attempts.get(e.taskId) : undefined) ?? (e.taskId ? this.#tasks.get(e.taskId) : undefined) ?? this.#segment;
        const end = ms(e.at);
        const span = this.#open(`test/${e.seq}`, { name: `baton.test ${e.suite}`, startMs: end - (e.durationMs ?? 0), ...(parent ? { parent } : {}), attributes: { 'baton.test.suite': e.suite, 'baton.test.context': e.context, 'baton.test.passed': e.passed, ...(e.taskId ? { 'baton.task.id': e.taskId } : {}) } });
        this.#close(span, e, e.passed ? 'ok' : 'error', e.passed ? undefined : (e.summary ?? 'tests failed').slice(0, 500));
        return;
      }
      case 'review_decided': {
        const attempt = this.#attempts.get(e.taskId);
        if (attempt) Object.assign(attempt.attributes, { 'baton.review.decision': e.decision, 'baton.review.reasons': e.reasons });
        if (e.decision === 'rework') this.#point(BATON_METRIC.reworks, 'counter', 1, { 'baton.task.role': this.#roles.get(e.taskId) ?? 'worker', 'baton.review.reasons': e.reasons.join(',') }, e.seq);
        this.#close(attempt, e, e.decision === 'accept' ? 'ok' : 'unset');
        this.#attempts.delete(e.taskId);
        if (e.decision === 'accept') this.#accepted.add(e.taskId);
        return;
      }
      case 'merge_result': {
        const merge = this.#merges.get(e.taskId);
        this.#close(merge, e, e.ok ? 'ok' : 'error', e.ok ? undefined : `not merged${e.conflictFiles.length ? `: conflict in ${e.conflictFiles.join(', ')}` : ''}`);
        this.#merges.delete(e.taskId);
        const task = this.#tasks.get(e.taskId);
        if (task) Object.assign(task.attributes, { 'baton.merge.ok': e.ok, ...(e.resolvedBy ? { 'baton.merge.resolved_by': e.resolvedBy } : {}) });
        return;
      }
      case 'task_status': {
        const task = this.#tasks.get(e.taskId);
        if (task) task.attributes['baton.task.status'] = e.status;
        if (!TERMINAL.has(e.status)) return;
        this.#closeTaskWork(e.taskId, e);
        this.#accepted.delete(e.taskId);
        if (task) {
          this.#close(task, e, e.status === 'done' ? 'ok' : e.status === 'failed' ? 'error' : 'unset', e.status === 'failed' ? (e.reason ?? 'failed').slice(0, 500) : undefined);
          this.#tasks.delete(e.taskId);
          this.#point(BATON_METRIC.taskDuration, 'histogram', Math.max(0, ms(e.at) - task.startMs) / 1000, { 'baton.task.status': e.status, 'baton.task.role': String(task.attributes['baton.task.role']) }, e.seq);
        }
        return;
      }
      case 'escalation_raised':
        this.#event(this.#segment, 'baton.escalation', e, { 'baton.escalation.id': e.escalationId, 'baton.reason': e.reason.slice(0, 500), ...(e.taskId ? { 'baton.task.id': e.taskId } : {}) });
        return;
      case 'human_decision':
        this.#event(this.#segment, 'baton.human_decision', e, { 'baton.decision': e.decision, 'baton.by': e.by, ...(e.escalationId ? { 'baton.escalation.id': e.escalationId } : {}) });
        return;
      case 'budget':
        this.#event(this.#segment, 'baton.budget', e, { 'baton.budget.level': e.level, 'baton.budget.resource': e.resource, 'baton.budget.used': e.used, 'baton.budget.limit': e.limit });
        return;
      case 'gate_result':
        this.#event(this.#segment, 'baton.gate', e, { 'baton.gate.phase': e.phase, 'baton.gate.passed': e.passed });
        return;
      case 'run_finished': {
        this.#closeAll(e);
        const segment = this.#segment;
        if (segment) Object.assign(segment.attributes, { 'baton.run.outcome': e.outcome, ...(e.commit ? { 'baton.run.commit': e.commit } : {}) });
        this.#close(segment, e, e.outcome === 'succeeded' ? 'ok' : e.outcome === 'failed' ? 'error' : 'unset', e.outcome === 'failed' ? e.summary?.slice(0, 500) : undefined);
        this.#segment = undefined;
        return;
      }
      default:
        return;
    }
  }

  #usagePoints(u: { provider: string; model: string; role: string; input: number; output: number; costUsd: number; seq: number; durationMs?: number | undefined }): void {
    const base: Attributes = { [GEN_AI.operationName]: GEN_AI_OPERATION.chat, [GEN_AI.providerName]: u.provider, [GEN_AI.requestModel]: u.model };
    this.#point(GEN_AI_METRIC.tokenUsage, 'histogram', u.input, { ...base, [GEN_AI.tokenType]: 'input' }, u.seq);
    this.#point(GEN_AI_METRIC.tokenUsage, 'histogram', u.output, { ...base, [GEN_AI.tokenType]: 'output' }, u.seq);
    if (u.durationMs !== undefined) this.#point(GEN_AI_METRIC.operationDuration, 'histogram', u.durationMs / 1000, base, u.seq);
    this.#point(BATON_METRIC.cost, 'counter', u.costUsd, { ...base, 'baton.role': u.role }, u.seq);
  }
}
