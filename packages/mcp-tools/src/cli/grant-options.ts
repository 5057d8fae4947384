// Turns baton-tools / baton tools command-line options into a validated Grant.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { GrantSchema, TOOL_NAMES, type Grant, type TestCommand, type ToolName } from '../grant.ts';
import { parseTestOption } from '../test-command.ts';

export interface GrantCliOptions {
  read?: string[];
  write?: string[];
  test?: string[];
  testTimeout?: string;
  allowUnsandboxedTests?: boolean;
  testEnv?: string[];
  testRo?: string[];
  tools?: string;
  maxFileBytes?: string;
  maxResults?: string;
  maxOutputBytes?: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function grantFromCli(options: GrantCliOptions): Grant {
  const tests: Record<string, TestCommand> = {};
  for (const value of options.test ?? []) {
    const { name, command } = parseTestOption(value);
    if (tests[name]) throw new UsageError(`--test ${name} is given twice`);
    tests[name] = command;
  }
  const write = options.write ?? [];
  const tools = options.tools ? parseToolList(options.tools) : defaultTools(write.length > 0, Object.keys(tests).length > 0);
  const result = GrantSchema.safeParse({
    id: 'cli',
    tools,
    read: options.read && options.read.length > 0 ? options.read : ['**'],
    write,
    tests,
    testEnv: options.testEnv ?? [],
    ...(options.testRo?.length ? { testReadOnly: options.testRo.map((p) => path.resolve(p)) } : {}),
    limits: {
      ...numberOption('maxFileBytes', options.maxFileBytes),
      ...numberOption('maxResults', options.maxResults),
      ...numberOption('maxOutputBytes', options.maxOutputBytes),
      ...numberOption('testTimeoutSeconds', options.testTimeout),
      ...(options.allowUnsandboxedTests ? { allowUnsandboxedTests: true } : {}),
    },
  });
  if (!result.success) {
    throw new UsageError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return result.data;
}

function defaultTools(writable: boolean, hasTests: boolean): ToolName[] {
  const tools: ToolName[] = ['read_file', 'list_files', 'search'];
  if (writable) tools.push('apply_diff');
  if (hasTests) tools.push('run_tests');
  return tools;
}

function parseToolList(value: string): ToolName[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) {
    if (!(TOOL_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(`unknown tool "${name}" in --tools; known tools: ${TOOL_NAMES.join(', ')}`);
    }
  }
  return names as ToolName[];
}

function numberOption(key: string, value: string | undefined): Record<string, number> {
  if (value === undefined) return {};
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a positive number, got "${value}"`);
  return { [key]: n };
}

export async function realRoot(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch {
    throw new UsageError(`--root ${dir} does not exist`);
  }
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
