// The tools one task attempt may use: a Streamable HTTP tool host rooted at the task's
// workspace, and one grant minted from the task's scopes and test names. Every tool call the
// worker makes comes back through the audit stream and is recorded with the task.
import { CODE_INTELLIGENCE_TOOLS, startHttpToolHost, type GrantRequest, type HttpToolHost, type LanguageServerSpec, type TestLink, type ToolCallRecord, type ToolName } from '@baton/mcp-tools';
import type { Task } from '../plan/plan-schema.ts';
import type { EmitEvent } from './engine-ports.ts';

export interface TaskToolSession {
  url: string;
  token: string;
  grantId: string;
  /** Tool names the worker will see (exactly the grant's). */
  tools: ToolName[];
  close(): Promise<void>;
}

export interface TaskGrantOptions {
  task: Task;
  /** Named test commands from the config (name → command line). */
  testCommands: Readonly<Record<string, string>>;
  /** Globs no task may write, whatever its plan says. */
  protectedPaths: readonly string[];
  expiresInSeconds?: number;
  testTimeoutSeconds?: number;
  /** Paths of the user's checkout the task's tests see read-only in the workspace (workspace.link). */
  testLinks?: readonly TestLink[];
}

/** The grant a task gets: its read scope, its write scope minus protected paths, its tests only. */
export function taskGrantRequest(options: TaskGrantOptions): GrantRequest {
  const { task } = options;
  const writes = task.write_scope.length > 0;
  const tests: Record<string, string> = {};
  for (const name of task.tests) {
    const command = options.testCommands[name];
    if (command !== undefined) tests[name] = command;
  }
  // The language-server tools read like read_file does (results limited to the read scope); a
  // server starts only when a worker first asks, and stops with the task's tool host.
  const tools: ToolName[] = ['read_file', 'list_files', 'search', ...CODE_INTELLIGENCE_TOOLS];
  if (writes) tools.push('apply_diff');
  if (Object.keys(tests).length > 0) tools.push('run_tests');
  return {
    tools,
    read: task.read_scope,
    // A write glob is narrowed by negated protected paths: picomatch treats "!glob" as an exclusion.
    write: writes ? [...task.write_scope, ...options.protectedPaths.map((p) => `!${p}`)] : [],
    tests,
    ...(Object.keys(tests).length > 0 && options.testLinks?.length ? { test_links: [...options.testLinks] } : {}),
    expires_in_s: options.expiresInSeconds ?? 3600,
    ...(options.testTimeoutSeconds !== undefined ? { limits: { test_timeout_s: options.testTimeoutSeconds } } : {}),
  };
}

export interface TaskToolSessionOptions extends TaskGrantOptions {
  root: string;
  attempt: number;
  emit: EmitEvent;
  /** The language servers the code-intelligence tools may start (default: the built-in ones). */
  languageServers?: readonly LanguageServerSpec[];
}

export async function openTaskToolSession(options: TaskToolSessionOptions): Promise<TaskToolSession> {
  const { task, attempt, emit } = options;
  const host: HttpToolHost = await startHttpToolHost({
    root: options.root,
    ...(options.languageServers ? { languageServers: { specs: options.languageServers } } : {}),
    onToolCall: (record) => recordToolCall(record, task.id, attempt, emit),
  });
  try {
    const request = taskGrantRequest(options);
    const minted = host.grants.mint(request);
    return { url: host.url, token: minted.token, grantId: minted.id, tools: [...request.tools], close: () => host.close() };
  } catch (error) {
    await host.close();
    throw error;
  }
}

function recordToolCall(record: ToolCallRecord, taskId: string, attempt: number, emit: EmitEvent): void {
  emit({
    type: 'task_event',
    taskId,
    attempt,
    kind: 'tool_call',
    name: record.tool,
    isError: !record.ok,
    durationMs: record.durationMs,
    grantId: record.grantId,
    detail: record.error ? `${record.summary} [${record.error.code}: ${record.error.message}]` : record.summary,
  });
  for (const path of record.filesRead) emit({ type: 'file_read', taskId, attempt, path });
  for (const path of record.filesWritten) emit({ type: 'file_written', taskId, attempt, path });
  for (const path of record.deniedPaths) {
    emit({ type: 'task_event', taskId, attempt, kind: 'error', name: 'access_denied', isError: true, detail: `blocked access outside the grant: ${path}` });
  }
}
