// The `baton` command: each subcommand lives in its own module and is mounted here.
import { Command } from 'commander';
import { serveCommand, toolsCommand, VERSION } from '@baton/mcp-tools';
import { initCommand } from './init-command.ts';

export function batonProgram(): Command {
  const program = new Command('baton')
    .description('baton: one strong model orchestrates a team of cheaper coding agents on a real repository, safely.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)');
  program.addCommand(toolsCommand('tools').description('Serve the scoped repository tools as an MCP server over stdio (same as baton-tools).'));
  program.addCommand(serveCommand('serve'));
  program.addCommand(initCommand());
  return program;
}
