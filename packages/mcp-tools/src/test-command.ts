// Turns `unit="pnpm vitest run"`-style CLI values into a name and an argument vector
// with POSIX-like quoting, so no shell ever parses a test command.
import type { TestCommand } from './grant.ts';

export class CommandLineSyntaxError extends Error {
  override name = 'CommandLineSyntaxError';
}

/** Splits a command string on whitespace, honouring single quotes, double quotes and backslashes. */
export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else current += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i];
      else current += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inArg = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inArg = true;
    } else if (/\s/.test(ch)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += ch;
      inArg = true;
    }
  }
  if (quote) throw new CommandLineSyntaxError(`unterminated ${quote} quote in command: ${line}`);
  if (inArg) args.push(current);
  return args;
}

/** Parses `NAME=COMMAND` as given to `--test`. */
export function parseTestOption(value: string): { name: string; command: TestCommand } {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CommandLineSyntaxError(`--test expects NAME=COMMAND, got "${value}"`);
  const name = value.slice(0, eq).trim();
  if (!/^[A-Za-z0-9_.:-]+$/.test(name)) {
    throw new CommandLineSyntaxError(`test name "${name}" may use only letters, digits, _ . : -`);
  }
  const argv = splitCommandLine(value.slice(eq + 1));
  if (argv.length === 0) throw new CommandLineSyntaxError(`--test ${name}= has an empty command`);
  return { name, command: { argv } };
}
