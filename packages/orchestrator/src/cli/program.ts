// The `baton` command: each subcommand lives in its own module and is mounted here.
import { Command } from 'commander';
import { serveCommand, toolsCommand, VERSION } from '@baton/mcp-tools';
import { workerCommand } from '@baton/worker-host';
import { approveCommand } from './approve-command.ts';
import { cancelCommand } from './cancel-command.ts';
import { workspacesCommand } from './workspaces-command.ts';
import { decideCommand } from './decide-command.ts';
import { decisionsCommand } from './decisions-command.ts';
import { demoCommand } from './demo-command.ts';
import { diffCommand } from './diff-command.ts';
import { doctorCommand } from './doctor-command.ts';
import { escalationsCommand } from './escalations-command.ts';
import { estimateCommand } from './estimate-command.ts';
import { initCommand } from './init-command.ts';
import { logCommand } from './log-command.ts';
import { planCommand } from './plan-command.ts';
import { prCommand } from './pr-command.ts';
import { regressionsCommand } from './regressions-command.ts';
import { syncCommand } from './sync-command.ts';
import { replanCommand } from './replan-command.ts';
import { reportCommand } from './report-command.ts';
import { resumeCommand } from './resume-command.ts';
import { runCommand } from './run-command.ts';
import { statusCommand } from './status-command.ts';
import { uiCommand } from '../ui/ui-command.ts';
import { nodeCommand } from './node-command.ts';
import { addStoreOption } from './repo-store.ts';

export function batonProgram(): Command {
  const program = new Command('baton')
    .description('baton: one strong model orchestrates a team of cheaper coding agents on a real repository, safely.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    // Options belong to the command they follow (`baton plan edit <run> --repo X` is edit's --repo).
    .enablePositionalOptions();
  program.addCommand(toolsCommand('tools').description('Serve the scoped repository tools as an MCP server over stdio (same as baton-tools).'));
  program.addCommand(serveCommand('serve'));
  program.addCommand(workerCommand());
  program.addCommand(initCommand());
  program.addCommand(doctorCommand());
  for (const command of [demoCommand(), runCommand(), planCommand(), replanCommand(), resumeCommand(), statusCommand(), logCommand(), diffCommand(), escalationsCommand(), decideCommand(), decisionsCommand(), approveCommand(), cancelCommand(), workspacesCommand(), reportCommand(), prCommand(), estimateCommand(), syncCommand(), regressionsCommand()]) {
    program.addCommand(command);
  }
  program.addCommand(uiCommand());
  program.addCommand(nodeCommand());
  // Every command that reads or writes runs takes --store (and BATON_STORE_URL): a PostgreSQL store
  // is shared by machines, so `baton status --store postgres://…` works from any of them.
  for (const command of program.commands) addStoreOptionEverywhere(command);
  return program;
}

function addStoreOptionEverywhere(command: Command): void {
  const hasRepo = command.options.some((o) => o.long === '--repo');
  const hasStore = command.options.some((o) => o.long === '--store');
  if (hasRepo && !hasStore) addStoreOption(command);
  for (const sub of command.commands) addStoreOptionEverywhere(sub);
}
