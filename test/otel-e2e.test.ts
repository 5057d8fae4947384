// OpenTelemetry through the real binary: a scripted run with OTEL_EXPORTER_OTLP_ENDPOINT set
// sends its trace (GenAI conventions, tool calls with their grant) and metrics to a local OTLP
// receiver that decodes the protobuf; the same run without it loads no OpenTelemetry module at
// SDK or exporter at all, which a module-resolution hook in the child process records.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@baton/orchestrator/testing';
import { makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { BATON_BIN, REPO_ROOT, type CliResult } from './helpers/run-cli.ts';

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
const scripted = (name: string) => `scripted:${path.join(fixture, name)}`;
let repo: TestGitRepo;
let receiver: OtlpReceiver;
let scratch: string;
let hook: string;

beforeAll(async () => {
  repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
  receiver = await startOtlpReceiver();
  scratch = await mkdtemp(path.join(tmpdir(), 'baton-otel-'));
  hook = path.join(scratch, 'record-modules.mjs');
  await writeFile(
    hook,
    `import { registerHooks } from 'node:module';\nimport { writeFileSync } from 'node:fs';\nconst seen = new Set();\nregisterHooks({ resolve(specifier, context, next) { const result = next(specifier, context); seen.add(result.url + '\\t' + (context.parentURL ?? '')); return result; } });\nprocess.on('exit', () => writeFileSync(process.env.BATON_TEST_MODULE_LOG, [...seen].join('\\n')));\n`,
  );
});
afterAll(async () => {
  await receiver.close();
  await repo.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

/** baton run in a child process that records every module it resolves. */
function runRecorded(runId: string, env: Record<string, string>): Promise<CliResult & { modules: string[] }> {
  const log = path.join(scratch, `${runId}.modules`);
  return new Promise((resolve, reject) => {
    const args = ['--import', hook, BATON_BIN, 'run', 'Add a farewell function and document it', '--repo', repo.dir, '--yes', '--run-id', runId, '--planner', scripted('planner.yaml'), '--worker', scripted('worker.yaml'), '--reviewer', scripted('reviewer.yaml')];
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', BATON_TEST_MODULE_LOG: log, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      readFile(log, 'utf8').then((text) => resolve({ code, signal, stdout, stderr, modules: text.split('\n') }), reject);
    });
  });
}

/**
 * OpenTelemetry's SDK and exporters, and baton's exporter module. (@opentelemetry/api alone is
 * the no-op API: the Anthropic SDK imports it itself, so it may be present without baton.)
 */
const isOtel = (line: string) => {
  const [url = '', parent = ''] = line.split('\t');
  if (url.includes('/telemetry/otel-export.ts')) return true;
  if (!url.includes('/@opentelemetry/')) return false;
  return !url.includes('/@opentelemetry/api/') || !parent.includes('/node_modules/');
};

describe('OpenTelemetry', () => {
  it('exports the run as a GenAI trace and metrics over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const result = await runRecorded('traced', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.modules.filter(isOtel).length).toBeGreaterThan(0);
    // The process flushed before exiting: everything is here already.
    expect(receiver.problems).toEqual([]);
    const spans = receiver.spans.filter((s) => s.resource['baton.run.id'] === 'traced');
    const root = spans.find((s) => s.name === 'invoke_workflow baton')!;
    expect(root).toMatchObject({ parentSpanId: '', status: { code: 'STATUS_CODE_OK' }, attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.conversation.id': 'traced', 'baton.run.outcome': 'succeeded' } });
    const tasks = spans.filter((s) => s.name.startsWith('baton.task '));
    expect(tasks.map((t) => t.name).sort()).toEqual(['baton.task docs', 'baton.task farewell']);
    expect(tasks.every((t) => t.parentSpanId === root.spanId)).toBe(true);
    const attempts = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent' && s.attributes['gen_ai.agent.name'] !== 'merge');
    expect(attempts.every((a) => tasks.some((t) => t.spanId === a.parentSpanId))).toBe(true);
    const chats = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(chats.length).toBeGreaterThan(0);
    expect(chats.every((c) => c.kind === 'SPAN_KIND_CLIENT' && c.attributes['gen_ai.provider.name'] === 'baton.scripted' && typeof c.attributes['gen_ai.usage.input_tokens'] === 'number')).toBe(true);
    const tools = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'execute_tool');
    expect(tools.map((t) => t.attributes['gen_ai.tool.name'])).toContain('apply_diff');
    expect(tools.every((t) => typeof t.attributes['baton.grant.id'] === 'string' && (t.attributes['baton.grant.id'] as string).length > 0)).toBe(true);
    expect(tools.every((t) => attempts.some((a) => a.spanId === t.parentSpanId))).toBe(true);
    expect(spans.every((s) => s.traceId === root.traceId)).toBe(true);
    const metrics = new Set(receiver.points.map((p) => p.metric));
    for (const name of ['gen_ai.client.token.usage', 'gen_ai.client.operation.duration', 'baton.cost', 'baton.task.duration']) expect(metrics, name).toContain(name);
  });

  it('loads no OpenTelemetry module when no endpoint is set', async () => {
    const before = receiver.requests.length;
    const result = await runRecorded('untraced', {});
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.modules.length).toBeGreaterThan(100);
    expect(result.modules.some((m) => m.includes('/telemetry/start-telemetry.ts'))).toBe(true);
    expect(result.modules.filter(isOtel)).toEqual([]);
    // Whatever loads the no-op API, it is not baton's code.
    expect(result.modules.filter((m) => m.split('\t')[0]!.includes('/@opentelemetry/api/') && /\/packages\/[^/]+\/src\//.test(m.split('\t')[1]!))).toEqual([]);
    expect(receiver.requests.length).toBe(before);
  });
});
