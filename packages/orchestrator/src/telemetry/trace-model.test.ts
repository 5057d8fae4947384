import * as semconv from '@opentelemetry/semantic-conventions/incubating';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../store/run-event.ts';
import { BATON_METRIC, GEN_AI, GEN_AI_METRIC, GEN_AI_OPERATION } from './gen-ai-conventions.ts';
import { recordSampleRun } from './testing/sample-run.ts';
import { splitModelLabel, traceIdOf, TraceBuilder, type MetricPoint, type SpanRecord } from './trace-model.ts';

function build(events: readonly StoredEvent[], exportAfterSeq = 0): { spans: SpanRecord[]; points: MetricPoint[] } {
  const builder = new TraceBuilder('r1');
  const spans: SpanRecord[] = [];
  const points: MetricPoint[] = [];
  for (const e of events) {
    const out = builder.push(e);
    spans.push(...out.spans.filter((s) => s.endSeq > exportAfterSeq));
    points.push(...out.points.filter((p) => p.seq > exportAfterSeq));
  }
  return { spans, points };
}

const { store, finish } = await recordSampleRun();
await finish();
const sampleEvents = await store.events('r1');

describe('the trace model', () => {
  const { spans, points } = build(sampleEvents);
  const byName = (name: string) => spans.filter((s) => s.name === name);
  const one = (name: string) => {
    const found = byName(name);
    expect(found, name).toHaveLength(1);
    return found[0]!;
  };

  it('nests run segment → task → attempt → model and tool calls, under one trace id from the run', async () => {
    const run = one('invoke_workflow baton');
    const task = one('baton.task csv');
    const [first, second] = byName('invoke_agent implementation');
    expect(spans.every((s) => s.traceId === traceIdOf('r1'))).toBe(true);
    expect(run.parentSpanId).toBeUndefined();
    expect(task.parentSpanId).toBe(run.spanId);
    expect(first!.parentSpanId).toBe(task.spanId);
    expect(second!.parentSpanId).toBe(task.spanId);
    expect(one('execute_tool apply_diff').parentSpanId).toBe(first!.spanId);
    expect(one('execute_tool read_file').parentSpanId).toBe(second!.spanId);
    expect(one('baton.test unit').parentSpanId).toBe(first!.spanId);
    const merge = one('invoke_agent merge');
    expect(merge.parentSpanId).toBe(task.spanId);
    expect(spans.find((s) => s.parentSpanId === merge.spanId)?.name).toBe('chat claude-haiku-4-5');
    // Every parent is a span of the trace.
    const ids = new Set(spans.map((s) => s.spanId));
    expect(spans.filter((s) => s.parentSpanId !== undefined && !ids.has(s.parentSpanId))).toEqual([]);
    expect(ids.size).toBe(spans.length);
  });

  it('follows the GenAI conventions on model calls, tool calls and agents', async () => {
    const call = spans.find((s) => s.name === 'chat claude-haiku-4-5' && s.attributes[GEN_AI.inputTokens] === 1000)!;
    expect(call).toMatchObject({ kind: 'client', status: 'ok' });
    expect(call.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-haiku-4-5', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 200, 'gen_ai.usage.cache_read.input_tokens': 300, 'baton.role': 'implementation' });
    expect(call.endMs - call.startMs).toBe(400);
    const tool = spans.find((s) => s.name === 'execute_tool apply_diff')!;
    expect(tool.attributes).toMatchObject({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'apply_diff', 'gen_ai.tool.type': 'function', 'baton.grant.id': 'g-1', 'error.type': 'tool_error' });
    expect(tool).toMatchObject({ status: 'error', statusMessage: 'hunk 1 did not apply' });
    const [first, second] = byName('invoke_agent implementation');
    expect(first!.attributes).toMatchObject({ 'gen_ai.agent.name': 'implementation', 'gen_ai.agent.id': 'csv#1', 'gen_ai.provider.name': 'anthropic', 'baton.review.decision': 'rework' });
    expect(first!.events.map((e) => e.name)).toEqual(['baton.access_denied']);
    expect(second!.attributes).toMatchObject({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'qwen', 'baton.review.decision': 'accept' });
    expect(second!.status).toBe('ok');
    expect(spans.find((s) => s.attributes['baton.role'] === 'reviewer')!.parentSpanId).toBe(second!.spanId);
    expect(spans.find((s) => s.attributes['baton.role'] === 'planner')!.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 900, 'baton.model_calls': 2 });
    expect(one('invoke_workflow baton').attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.conversation.id': 'r1', 'baton.ticket': 'Add CSV export', 'baton.run.outcome': 'succeeded' });
    expect(one('baton.task csv')).toMatchObject({ status: 'ok', attributes: { 'baton.task.status': 'done', 'baton.task.attempts': 2, 'baton.merge.resolved_by': 'merge_worker' } });
  });

  it('makes metric points for tokens, cost, model call time, task durations and reworks', async () => {
    const tokens = points.filter((p) => p.name === GEN_AI_METRIC.tokenUsage);
    expect(tokens.filter((p) => p.attributes[GEN_AI.tokenType] === 'input').reduce((n, p) => n + p.value, 0)).toBe(900 + 1000 + 500 + 70);
    expect(tokens.filter((p) => p.attributes[GEN_AI.tokenType] === 'output').reduce((n, p) => n + p.value, 0)).toBe(100 + 200 + 50 + 7);
    expect(points.filter((p) => p.name === BATON_METRIC.cost).reduce((n, p) => n + p.value, 0)).toBeCloseTo(0.036, 9);
    expect(points.filter((p) => p.name === GEN_AI_METRIC.operationDuration).map((p) => p.value)).toEqual([0.4, 0.1, 0.05]);
    expect(points.filter((p) => p.name === BATON_METRIC.reworks)).toHaveLength(1);
    const duration = points.find((p) => p.name === BATON_METRIC.taskDuration)!;
    expect(duration.attributes).toEqual({ 'baton.task.status': 'done', 'baton.task.role': 'implementation' });
    expect(duration.value).toBeGreaterThan(0);
  });

  it('uses the names of the official semantic conventions package', async () => {
    expect(GEN_AI).toMatchObject({
      operationName: semconv.ATTR_GEN_AI_OPERATION_NAME,
      providerName: semconv.ATTR_GEN_AI_PROVIDER_NAME,
      requestModel: semconv.ATTR_GEN_AI_REQUEST_MODEL,
      responseModel: semconv.ATTR_GEN_AI_RESPONSE_MODEL,
      inputTokens: semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS,
      outputTokens: semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
      cacheReadInputTokens: semconv.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
      cacheCreationInputTokens: semconv.ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
      agentName: semconv.ATTR_GEN_AI_AGENT_NAME,
      agentId: semconv.ATTR_GEN_AI_AGENT_ID,
      conversationId: semconv.ATTR_GEN_AI_CONVERSATION_ID,
      workflowName: semconv.ATTR_GEN_AI_WORKFLOW_NAME,
      toolName: semconv.ATTR_GEN_AI_TOOL_NAME,
      toolType: semconv.ATTR_GEN_AI_TOOL_TYPE,
      tokenType: semconv.ATTR_GEN_AI_TOKEN_TYPE,
      errorType: semconv.ATTR_ERROR_TYPE,
    });
    expect(GEN_AI_OPERATION).toEqual({ chat: semconv.GEN_AI_OPERATION_NAME_VALUE_CHAT, invokeAgent: semconv.GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT, invokeWorkflow: semconv.GEN_AI_OPERATION_NAME_VALUE_INVOKE_WORKFLOW, executeTool: semconv.GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL });
    expect(GEN_AI_METRIC).toEqual({ tokenUsage: semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE, operationDuration: semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION });
    expect(splitModelLabel('anthropic:claude-x')).toEqual({ provider: semconv.GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC, model: 'claude-x' });
    expect(splitModelLabel('openai:gpt-5').provider).toBe(semconv.GEN_AI_PROVIDER_NAME_VALUE_OPENAI);
  });

  it('splits a crashed run between two processes without losing or repeating a span', async () => {
    const crashed = await recordSampleRun({ crashAfterFirstAttempt: true });
    await crashed.finish();
    const events = await crashed.store.events('r1');
    const before = build(events.filter((e) => e.seq <= crashed.crashSeq)).spans;
    const after = build(events, crashed.crashSeq).spans;
    const all = [...before, ...after];
    expect(new Set(all.map((s) => s.spanId)).size).toBe(all.length);
    const ids = new Set(all.map((s) => s.spanId));
    expect(all.filter((s) => s.parentSpanId !== undefined && !ids.has(s.parentSpanId))).toEqual([]);
    const segments = all.filter((s) => s.name === 'invoke_workflow baton');
    expect(segments.map((s) => [s.status, s.statusMessage ?? ''])).toEqual([['error', 'interrupted: the process working on the run stopped'], ['ok', '']]);
    // The first process had sent only what had ended; the second sends the rest, including the interrupted attempt.
    expect(before.map((s) => s.name).sort()).toEqual(['baton.test unit', 'chat claude-haiku-4-5', 'chat claude-opus-4-6', 'execute_tool apply_diff', 'invoke_agent implementation'].sort());
    expect(after.filter((s) => s.name === 'invoke_agent implementation').map((s) => s.status)).toEqual(['error', 'ok']);
  });
});
