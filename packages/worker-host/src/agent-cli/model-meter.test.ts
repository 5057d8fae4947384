import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../testing/fake-provider.ts';
import type { MeteredCall } from './metered-call.ts';
import { startModelMeter, type ModelCallRequest, type ModelMeter } from './model-meter.ts';
import type { ModelWire } from './offered-tools.ts';

let fake: FakeProvider;
let meter: ModelMeter | undefined;
const calls: (MeteredCall & { durationMs: number; callId: number })[] = [];
const admitted: ModelCallRequest[] = [];
beforeEach(async () => {
  fake = await startFakeProvider();
  calls.length = 0;
  admitted.length = 0;
});
afterEach(async () => {
  await meter?.close();
  await fake.close();
});

async function meterFor(wire: ModelWire, upstream: string, refuse?: string) {
  meter = await startModelMeter({ upstream, wire, admit: (r) => (admitted.push(r), refuse), onCall: (c) => (calls.push(c), 'release') });
  return meter;
}

describe('model meter', () => {
  it('forwards an Anthropic call unchanged and reads its usage, text and tool calls', async () => {
    const m = await meterFor('anthropic', fake.url);
    fake.push({ turn: { text: 'Reading it.', toolCalls: [{ name: 'mcp__baton__read_file', arguments: { path: 'a.ts' } }], usage: { input: 1200, output: 80, cacheRead: 1000 } } });
    const response = await fetch(`${m.url}/v1/messages?beta=true`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'sk-test' }, body: JSON.stringify({ model: 'claude-haiku-4-5', stream: true, tools: [{ name: 'mcp__baton__read_file' }], messages: [] }) });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain('event: message_stop');
    expect(fake.requests[0]!.path).toBe('/v1/messages');
    expect(fake.requests[0]!.headers['x-api-key']).toBe('sk-test');
    expect(admitted).toEqual([{ callId: 1, model: 'claude-haiku-4-5', offeredTools: ['mcp__baton__read_file'] }]);
    expect(calls[0]?.callId).toBe(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ model: 'fake', text: 'Reading it.', toolCalls: ['mcp__baton__read_file'], stopReason: 'tool_use', complete: true, usage: { inputTokens: 1200, outputTokens: 80, cacheReadTokens: 1000, cacheWriteTokens: 0 } });
  });

  it('reads a Responses call, namespaced and custom tool calls included', async () => {
    const m = await meterFor('responses', `${fake.url}/v1`);
    fake.push({ turn: { text: 'Done soon.', toolCalls: [{ namespace: 'mcp__baton', name: 'apply_diff', arguments: {} }, { name: 'exec', input: 'text(1)' }], usage: { input: 300, output: 40, cacheRead: 100 } } });
    const response = await fetch(`${m.url}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-5.3-codex', stream: true, tools: [{ type: 'namespace', name: 'mcp__baton', tools: [{ type: 'function', name: 'apply_diff' }] }], input: [] }) });
    await response.text();
    expect(fake.requests[0]!.path).toBe('/v1/responses');
    expect(admitted[0]!.offeredTools).toEqual(['mcp__baton/apply_diff']);
    expect(calls[0]).toMatchObject({ text: 'Done soon.', toolCalls: ['mcp__baton/apply_diff', 'exec'], stopReason: 'tool_use', complete: true, usage: { inputTokens: 300, outputTokens: 40, cacheReadTokens: 100 } });
  });

  it('refuses a call baton does not admit without sending it upstream', async () => {
    const m = await meterFor('anthropic', fake.url, 'the worker spent its token budget');
    const response = await fetch(`${m.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'permission_error', message: 'baton refused this model call: the worker spent its token budget' } });
    expect(fake.requests).toHaveLength(0);
    expect(calls).toHaveLength(0);
  });

  it('reports a provider error answer as the call\'s error', async () => {
    const m = await meterFor('anthropic', fake.url);
    fake.push({ fail: { status: 400, message: 'bad model' } });
    const response = await fetch(`${m.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [] }) });
    expect(response.status).toBe(400);
    await response.text();
    expect(calls[0]).toMatchObject({ complete: false, error: 'HTTP 400: bad model' });
  });

  it('answers only under its secret path and forwards other requests without metering them', async () => {
    const m = await meterFor('anthropic', fake.url);
    const base = new URL(m.url);
    expect((await fetch(`${base.origin}/v1/messages`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${m.url}x/v1/messages`, { method: 'POST', body: '{}' })).status).toBe(404);
    fake.push({ raw: { status: 200, contentType: 'application/json', body: '{"input_tokens":5}' } });
    const counted = await fetch(`${m.url}/v1/messages/count_tokens`, { method: 'POST', body: '{}' });
    expect(await counted.json()).toEqual({ input_tokens: 5 });
    expect(admitted).toHaveLength(0);
    expect(calls).toHaveLength(0);
  });

  it('says so when the upstream cannot be reached', async () => {
    const m = await meterFor('responses', 'http://127.0.0.1:9/v1');
    const response = await fetch(`${m.url}/responses`, { method: 'POST', body: JSON.stringify({ model: 'm' }) });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/could not reach http:\/\/127\.0\.0\.1:9\/v1/);
    expect(calls[0]).toMatchObject({ complete: false });
  });
});
