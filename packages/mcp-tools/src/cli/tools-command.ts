// The `baton-tools` command (also mounted as `baton tools`): a stdio MCP server for one grant.
import { Command } from 'commander';
import { serveStdio } from '../server/serve-stdio.ts';
import { openAuditOption } from './audit-option.ts';
import { collect, grantFromCli, realRoot, type GrantCliOptions } from './grant-options.ts';
import { languageServerPoolOptions } from './language-servers-option.ts';

interface ToolsCommandOptions extends GrantCliOptions {
  root: string;
  audit?: string;
  languageServers?: string;
}

export function addGrantOptions(command: Command): Command {
  return command
    .option('--read <glob>', 'glob of readable paths (repeatable; default "**")', collect)
    .option('--write <glob>', 'glob of writable paths (repeatable; default none = read-only)', collect)
    .option('--test <name=command>', 'named test command, e.g. unit="pnpm vitest run" (repeatable; never run by a shell)', collect)
    .option('--test-timeout <seconds>', 'wall-clock limit for one run_tests call (default 600)')
    .option('--test-env <name>', 'an environment variable test commands may see (repeatable; names that look like credentials are refused)', collect)
    .option('--test-ro <path>', 'a host path the test sandbox shows read-only, e.g. a toolchain or cache outside the workspace (repeatable)', collect)
    .option('--allow-unsandboxed-tests', 'where bubblewrap cannot sandbox test commands, run them anyway (results say so) instead of refusing')
    .option('--tools <list>', 'comma-separated tools to offer (default: read tools, plus apply_diff with --write, run_tests with --test); code intelligence: find_symbol, goto_definition, find_references, document_symbols, diagnostics')
    .option('--max-file-bytes <n>', 'largest file read whole (default 1000000)')
    .option('--max-results <n>', 'most results from list_files and search (default 200)')
    .option('--max-output-bytes <n>', 'most bytes in one tool result (default 64000)');
}

export function toolsCommand(name = 'baton-tools'): Command {
  const command = new Command(name)
    .description('Serve baton\'s scoped repository tools (read_file, list_files, search, apply_diff, run_tests, and language-server tools) as an MCP server over stdio.')
    .option('--root <dir>', 'repository root the tools are confined to', process.cwd());
  addGrantOptions(command);
  command.option('--audit <file>', 'append one JSON line per tool call to FILE');
  command.option('--language-servers <file>', 'JSON file of extra language servers (gopls, rust-analyzer, …) for the code-intelligence tools');
  command.addHelpText(
    'after',
    `
Examples:
  $ ${name} --root ~/src/app                                  read-only
  $ ${name} --root . --write 'src/**' --test unit="pnpm vitest run"
  $ ${name} --root . --tools read_file,search,find_symbol,find_references,diagnostics

Stdout carries MCP messages only; diagnostics go to stderr.`,
  );
  command.action(async (options: ToolsCommandOptions) => {
    const grant = grantFromCli(options);
    const root = await realRoot(options.root);
    const languageServerOptions = languageServerPoolOptions(options.languageServers, { prefix: name });
    const audit = options.audit === undefined ? undefined : openAuditOption(options.audit);
    const { closed } = await serveStdio({ root, grant, sessionId: 'stdio', languageServerOptions, ...(audit ? { onToolCall: (record) => audit.write(record) } : {}) });
    process.stderr.write(`baton-tools: serving ${root} (tools: ${grant.tools.join(', ')}; read: ${grant.read.join(' ')}; write: ${grant.write.join(' ') || 'none'})\n`);
    await closed;
    audit?.close();
  });
  return command;
}
