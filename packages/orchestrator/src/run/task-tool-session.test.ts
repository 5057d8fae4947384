// A task's tool session over real HTTP: the worker sees exactly the task's grant, protected
// paths stay out of its write scope, and every call it makes is recorded with the task.
import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canWrite, CODE_INTELLIGENCE_TOOLS, GrantSchema, languageServerSpecs } from '@baton/mcp-tools';
import { connectHttp } from '@baton/mcp-tools/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatonConfigSchema } from '../config/config-schema.ts';
import { makeTask } from '../plan/make-task.ts';
import type { RunEventInput } from '../store/run-event.ts';
import { openTaskToolSession, taskGrantRequest } from './task-tool-session.ts';

let root: string;
beforeAll(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'baton-task-tools-')));
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'src', 'users.ts'), 'export const users = [];\n');
  await writeFile(path.join(root, 'secret.txt'), 'no\n');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('taskGrantRequest', () => {
  it('gives a writing task apply_diff and its named tests, minus protected paths', () => {
    const request = taskGrantRequest({ task: makeTask({ id: 't', write_scope: ['src/**'], tests: ['unit', 'missing'] }), testCommands: { unit: 'node --test', e2e: 'node e2e.js' }, protectedPaths: ['**/.env'] });
    expect(request.tools).toEqual(['read_file', 'list_files', 'search', ...CODE_INTELLIGENCE_TOOLS, 'apply_diff', 'run_tests']);
    expect(request.tests).toEqual({ unit: 'node --test' });
    const grant = GrantSchema.parse({ write: request.write });
    expect(canWrite(grant, 'src/a.ts')).toBe(true);
    expect(canWrite(grant, 'src/.env')).toBe(false);
  });

  it('gives a read-only task read tools only (the language-server tools among them)', () => {
    const request = taskGrantRequest({ task: makeTask({ id: 'scan', type: 'analysis', write_scope: [] }), testCommands: {}, protectedPaths: [] });
    expect(request.tools).toEqual(['read_file', 'list_files', 'search', 'find_symbol', 'goto_definition', 'find_references', 'document_symbols', 'diagnostics']);
    expect(request.write).toEqual([]);
  });
});

describe('openTaskToolSession', () => {
  it('serves the task grant over HTTP and records tool calls, reads and denials as task events', async () => {
    const events: RunEventInput[] = [];
    const session = await openTaskToolSession({ task: makeTask({ id: 't', read_scope: ['src/**'], write_scope: ['src/**'] }), testCommands: {}, protectedPaths: [], root, attempt: 2, emit: (e) => events.push(e) });
    try {
      const { client, close } = await connectHttp({ url: session.url, token: session.token });
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      expect(names).toContain('read_file');
      expect(names).not.toContain('run_tests');
      expect(names.every((n) => (session.tools as string[]).includes(n))).toBe(true);
      await client.callTool({ name: 'read_file', arguments: { path: 'src/users.ts' } });
      await client.callTool({ name: 'read_file', arguments: { path: 'secret.txt' } });
      await close();
    } finally {
      await session.close();
    }
    expect(events).toContainEqual(expect.objectContaining({ type: 'task_event', taskId: 't', attempt: 2, kind: 'tool_call', name: 'read_file', isError: false }));
    expect(events).toContainEqual({ type: 'file_read', taskId: 't', attempt: 2, path: 'src/users.ts' });
    expect(events).toContainEqual(expect.objectContaining({ kind: 'error', name: 'access_denied', detail: expect.stringContaining('secret.txt') }));
  });
});

describe('language servers from baton.config.json', () => {
  // mcp-tools' scripted LSP server (real LSP over stdio), started as a configured server would be:
  // an argument vector, with the paths its imports need shown read-only in the sandbox.
  const mcpTools = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'mcp-tools');
  const fakeServer = path.join(mcpTools, 'src', 'testing', 'fake-language-server.ts');
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };

  async function outline(languageServers: Parameters<typeof openTaskToolSession>[0]['languageServers']): Promise<{ isError: boolean; text: string }> {
    const session = await openTaskToolSession({ task: makeTask({ id: 't', read_scope: ['src/**'], write_scope: [] }), testCommands: {}, protectedPaths: [], root, attempt: 1, emit: () => {}, ...(languageServers ? { languageServers } : {}) });
    try {
      const { client, close } = await connectHttp({ url: session.url, token: session.token });
      try {
        const result = (await client.callTool({ name: 'document_symbols', arguments: { path: 'src/app.fk' } })) as { isError?: boolean; content: { type: string; text?: string }[] };
        return { isError: result.isError === true, text: result.content.map((c) => c.text ?? '').join('\n') };
      } finally {
        await close();
      }
    } finally {
      await session.close();
    }
  }

  it('gives the tools of a task the servers the config adds, beside the built-in ones', async () => {
    await writeFile(path.join(root, 'src', 'app.fk'), 'alpha\n');
    // The script lives outside the workspace (the sandbox shows the server only the task's readable files there).
    const scripts = await realpath(await mkdtemp(path.join(tmpdir(), 'baton-lsp-script-')));
    const script = path.join(scripts, 'fake-script.json');
    await writeFile(script, JSON.stringify({ answers: { 'textDocument/documentSymbol': [{ name: 'alphaFromServer', kind: 12, range, selectionRange: range, children: [] }] } }));
    const config = BatonConfigSchema.parse({
      languageServers: [{ id: 'fake', command: [process.execPath, fakeServer, script], languages: { '.fk': 'fake' }, read_only_paths: [scripts, mcpTools, realpathSync(path.join(mcpTools, '..', '..', 'node_modules'))] }],
    });
    const specs = languageServerSpecs(config.languageServers);
    expect(specs.map((s) => s.id).sort()).toEqual(['fake', 'pyright', 'typescript']);

    const withServer = await outline(specs);
    expect(withServer.isError, withServer.text).toBe(false);
    // The outline is the server's (a function on line 1), its name read from the file itself.
    expect(withServer.text).toContain('function alpha (lines 1');
    // Without the setting no server serves .fk files, and the tool says so.
    const without = await outline(undefined);
    expect(without.isError).toBe(true);
    expect(without.text).toMatch(/\.fk/);
    expect(without.text).not.toContain('function alpha');
    await rm(scripts, { recursive: true, force: true });
  });

  it('refuses a server entry that is not valid, naming the field', () => {
    const parsed = BatonConfigSchema.safeParse({ languageServers: [{ id: 'Go!', command: [], languages: {} }] });
    expect(parsed.success).toBe(false);
    const fields = parsed.error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(fields).toEqual(expect.arrayContaining(['languageServers.0.id', 'languageServers.0.command']));
  });
});
