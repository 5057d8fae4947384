import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ModelRequest, ModelTurn } from './model-client.ts';
import { ModelError } from './model-error.ts';
import { loadScript, ScriptError, scriptedClient } from './scripted-client.ts';

const ask = (messages: ChatMessage[] = [{ role: 'user', content: '# Task t: go' }], extra: Partial<ModelRequest> = {}): ModelRequest => ({ system: 'sys', messages, tools: [], maxOutputTokens: 100, ...extra });
const after = (...turns: ModelTurn[]): ChatMessage[] => [
  { role: 'user', content: '# Task t: go' },
  ...turns.flatMap((t): ChatMessage[] => [{ role: 'assistant', text: t.text, toolCalls: t.toolCalls }, { role: 'tool', results: t.toolCalls.map((c) => ({ callId: c.id, content: 'ok', isError: false })) }]),
];

describe('scriptedClient', () => {
  it('plays turns in order, labelled as scripted, with ids unique in the conversation', async () => {
    const model = scriptedClient({ label: 'fix-bug', turns: [{ text: 'Reading.', tool_calls: [{ name: 'read_file', arguments: { path: 'a.ts' } }, { name: 'read_file', arguments: { path: 'b.ts' } }] }, { text: 'Done.' }] });
    expect(model).toMatchObject({ provider: 'scripted', model: 'fix-bug', scripted: true });
    const first = await model.complete(ask());
    expect(first).toMatchObject({ text: 'Reading.', stopReason: 'tool_use', toolCalls: [{ name: 'read_file', arguments: { path: 'a.ts' } }, { arguments: { path: 'b.ts' } }] });
    expect(new Set(first.toolCalls.map((c) => c.id)).size).toBe(2);
    const second = await model.complete(ask(after(first)));
    expect(second).toMatchObject({ text: 'Done.', stopReason: 'end_turn', toolCalls: [] });
  });

  it('says clearly when the script has run out', async () => {
    const model = scriptedClient({ label: 'short', turns: [{ text: 'one' }] });
    const first = await model.complete(ask());
    const error = await model.complete(ask(after(first))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScriptError);
    expect((error as Error).message).toBe('script "short" has 1 turn(s) for this conversation and was asked for turn 2');
  });

  it('lets a turn in a code conversation be a function of the request', async () => {
    const model = scriptedClient([
      { tool_calls: [{ id: 'r1', name: 'read_file', arguments: { path: 'a.ts' } }] },
      (request) => {
        const last = request.messages.at(-1);
        return { text: last?.role === 'tool' ? `saw ${last.results[0]!.content}` : 'no result' };
      },
    ]);
    const first = await model.complete(ask());
    expect(first.toolCalls[0]!.id).toBe('r1');
    expect((await model.complete(ask(after(first)))).text).toBe('saw ok');
    await expect(model.complete(ask(after(first, first)))).rejects.toThrow('script "inline" has 2 turn(s) and was asked for turn 3');
  });

  it('can send malformed tool arguments, fail like a provider, and set the stop reason and usage', async () => {
    const model = scriptedClient([
      { tool_calls: [{ name: 'read_file', raw_arguments: '{"path": ' }] },
      { error: { kind: 'rate_limited', retry_after_ms: 2000 } },
    ]);
    const first = await model.complete(ask());
    expect(first.toolCalls[0]!.invalidArguments).toContain('{"path": ');
    expect(first.toolCalls[0]!.arguments).toMatchObject({ raw: '{"path": ' });
    const error = await model.complete(ask(after(first))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2000, retryable: true });
    const limited = await scriptedClient([{ text: 'cut', stop: 'max_tokens', usage: { input_tokens: 7, output_tokens: 3, cache_read_tokens: 5 } }]).complete(ask());
    expect(limited).toMatchObject({ stopReason: 'max_tokens', usage: { inputTokens: 7, outputTokens: 3, cacheReadTokens: 5, cacheWriteTokens: 0 } });
  });

  it('estimates usage at about four characters a token when the script gives none, and streams its text', async () => {
    const deltas: string[] = [];
    const turn = await scriptedClient([{ text: 'x'.repeat(40) }]).complete(ask(undefined, { onTextDelta: (d) => deltas.push(d) }));
    expect(turn.usage.outputTokens).toBe(10);
    expect(turn.usage.inputTokens).toBeGreaterThan(0);
    expect(deltas).toEqual(['x'.repeat(40)]);
  });

  it('picks the conversation by the task id in the brief', async () => {
    const model = scriptedClient({ by_task: { a: [{ text: 'for a' }], b: [{ text: 'for b' }] } });
    expect((await model.complete(ask([{ role: 'user', content: '# Task b: do b' }]))).text).toBe('for b');
    await expect(model.complete(ask([{ role: 'user', content: '# Task z: ?' }]))).rejects.toThrow('no conversation for task z; it has: a, b');
  });

  it('is cancelled by its signal, before answering or while delayed', async () => {
    const controller = new AbortController();
    const pending = scriptedClient([{ text: 'late', delay_ms: 600_000 }]).complete(ask(undefined, { signal: controller.signal }));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    await expect(scriptedClient([{ text: 'x' }]).complete(ask(undefined, { signal: controller.signal }))).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('rejects a turn with unknown fields instead of ignoring them', async () => {
    await expect(scriptedClient([{ text: 'x', tool_call: [] } as never]).complete(ask())).rejects.toThrow(ScriptError);
  });
});

describe('loadScript', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'baton-script-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads YAML and JSON scripts', async () => {
    await writeFile(join(dir, 's.yaml'), 'label: demo\nturns:\n  - text: hello\n    tool_calls:\n      - name: read_file\n        arguments: {path: a.ts}\n');
    await writeFile(join(dir, 's.json'), JSON.stringify({ turns: [{ text: 'hi' }] }));
    const yaml = scriptedClient(await loadScript(join(dir, 's.yaml')));
    expect(yaml.model).toBe('demo');
    expect((await yaml.complete(ask())).toolCalls[0]).toMatchObject({ name: 'read_file', arguments: { path: 'a.ts' } });
    expect((await scriptedClient(await loadScript(join(dir, 's.json'))).complete(ask())).text).toBe('hi');
  });

  it('says which field of a script is wrong, and when the file is missing or unparsable', async () => {
    await writeFile(join(dir, 'bad.yaml'), 'turns:\n  - tool_calls:\n      - arguments: {}\n');
    await expect(loadScript(join(dir, 'bad.yaml'))).rejects.toThrow(/bad\.yaml is not a valid model script: turns\.0\.tool_calls\.0\.name/);
    await expect(loadScript(join(dir, 'none.yaml'))).rejects.toThrow(ScriptError);
    await writeFile(join(dir, 'broken.json'), '{"turns": [');
    await expect(loadScript(join(dir, 'broken.json'))).rejects.toThrow(/broken\.json is not valid JSON/);
  });

  it('accepts every example script in the repository', async () => {
    const root = join(import.meta.dirname, '../../../../examples/scripts');
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) await expect(loadScript(join(root, file))).resolves.toBeTruthy();
  });
});
