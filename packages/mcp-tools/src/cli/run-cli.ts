// Runs a commander program with baton's exit-code conventions:
// 0 ok, 1 failure, 2 usage error (bad flag or value).
import type { Command } from 'commander';
import { CommandLineSyntaxError } from '../test-command.ts';
import { UsageError } from './grant-options.ts';

/**
 * Commander's own exits (help, version, a bad flag or value), known by their shape rather than by
 * `instanceof`: the program may come from another copy of commander than this package's (an
 * installed baton can hold one per package), and a class check would take `--version` for a crash.
 */
function commanderExit(error: unknown): { exitCode: number } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, exitCode } = error as Error & { code?: unknown; exitCode?: unknown };
  return typeof code === 'string' && code.startsWith('commander.') && typeof exitCode === 'number' ? { exitCode } : undefined;
}

/** Error classes (from any baton package) whose message is the whole story: a script, a provider, a git call. */
const EXPLAINED_ERRORS = new Set(['ScriptError', 'ModelError', 'ModelIdError', 'GitError', 'ConfigError', 'RunLockedError', 'UnknownRunError', 'StoreUsageError', 'GitHubError', 'GitHubRateLimitError', 'PushError']);

export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  // addCommand() does not pass exitOverride down, so set it on every command: a bad flag or
  // value in a subcommand must exit 2 like one at the top level.
  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  for (const command of all(program)) command.exitOverride();
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    const exit = commanderExit(error);
    if (exit) {
      process.exitCode = exit.exitCode === 0 ? 0 : 2;
      return;
    }
    if (error instanceof UsageError || error instanceof CommandLineSyntaxError) {
      process.stderr.write(`${program.name()}: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    // Errors that already say what went wrong and whose fault it is need no stack trace.
    const explained = error instanceof Error && EXPLAINED_ERRORS.has(error.name);
    process.stderr.write(`${program.name()}: ${error instanceof Error ? (explained ? error.message : (error.stack ?? error.message)) : String(error)}\n`);
    process.exitCode = 1;
  }
}
