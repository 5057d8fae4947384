// A recorded run for telemetry tests: a rework, an accepted second attempt, a merge worker
// call, a failing tool call, a gate; optionally a crash and a resume in between.
import { makePlan } from '../../plan/make-task.ts';
import { openRunStore } from '../../store/open-store.ts';
import type { RunWriter } from '../../store/run-store.ts';

/** A run with a rework, an accepted second attempt, a merge worker call, a failing tool call and a gate. */
export async function recordSampleRun(options: { crashAfterFirstAttempt?: boolean } = {}) {
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const store = openRunStore({ path: ':memory:', now: () => new Date((clock += 1000)) });
  let w: RunWriter = await store.createRun({ runId: 'r1', ticket: 'Add CSV export\nmore', workflow: 'feature', baseCommit: 'a'.repeat(40), maxWorkers: 1 });
  await w.approvePlan({ version: (await w.proposePlan({ plan: makePlan([{ id: 'csv', role: 'worker', type: 'implementation', write_scope: ['src/**'] }]), source: 'proposed' })).version });
  await w.append({ type: 'model_usage', role: 'planner', model: 'anthropic:claude-opus-4-6', usage: { inputTokens: 900, outputTokens: 100 }, costUsd: 0.02, calls: 2 });
  await w.append({ type: 'task_started', taskId: 'csv', attempt: 1, model: 'anthropic:claude-haiku-4-5' });
  await w.append({ type: 'task_event', taskId: 'csv', attempt: 1, kind: 'model_call', model: 'anthropic:claude-haiku-4-5', usage: { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 300 }, costUsd: 0.01, durationMs: 400 });
  await w.append({ type: 'task_event', taskId: 'csv', attempt: 1, kind: 'tool_call', name: 'apply_diff', isError: true, durationMs: 20, grantId: 'g-1', detail: 'hunk 1 did not apply' });
  await w.append({ type: 'task_event', taskId: 'csv', attempt: 1, kind: 'error', name: 'access_denied', isError: true, detail: 'blocked access outside the grant: .env' });
  await w.append({ type: 'test_result', taskId: 'csv', attempt: 1, suite: 'unit', passed: false, context: 'task', durationMs: 300, summary: '1 failed' });
  await w.append({ type: 'review_decided', taskId: 'csv', attempt: 1, decision: 'rework', reasons: ['tests_failed'] });
  await w.append({ type: 'task_status', taskId: 'csv', status: 'rework' });
  if (options.crashAfterFirstAttempt) {
    await w.append({ type: 'task_started', taskId: 'csv', attempt: 2, model: 'anthropic:claude-haiku-4-5' });
    const crashSeq = (await store.state('r1')).lastSeq;
    await w.release();
    w = (await store.resumeRun('r1')).writer;
    return { store, writer: w, crashSeq, finish: () => finish(w) };
  }
  return { store, writer: w, crashSeq: 0, finish: () => finish(w) };

  async function finish(writer: RunWriter) {
    await writer.append({ type: 'task_started', taskId: 'csv', attempt: 2, model: 'openai-compatible:qwen' });
    await writer.append({ type: 'task_event', taskId: 'csv', attempt: 2, kind: 'tool_call', name: 'read_file', durationMs: 5, grantId: 'g-2' });
    await writer.append({ type: 'task_event', taskId: 'csv', attempt: 2, kind: 'model_call', name: 'review', model: 'anthropic:claude-opus-4-6', usage: { inputTokens: 500, outputTokens: 50 }, costUsd: 0.005, durationMs: 100 });
    await writer.append({ type: 'review_decided', taskId: 'csv', attempt: 2, decision: 'accept', reasons: [] });
    await writer.append({ type: 'task_event', taskId: 'csv', attempt: 1, kind: 'model_call', model: 'anthropic:claude-haiku-4-5', usage: { inputTokens: 70, outputTokens: 7 }, costUsd: 0.001, durationMs: 50 });
    await writer.append({ type: 'merge_result', taskId: 'csv', ok: true, commit: 'c'.repeat(40), resolvedBy: 'merge_worker' });
    await writer.append({ type: 'task_status', taskId: 'csv', status: 'done' });
    await writer.append({ type: 'gate_result', phase: 1, passed: true });
    await writer.append({ type: 'run_finished', outcome: 'succeeded', commit: 'c'.repeat(40) });
  }
}

