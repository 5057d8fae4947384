// `baton plan "<ticket>"` plans without executing (the run waits for approval), and
// `baton plan edit <run>` edits a plan.
import { Command } from 'commander';
import { EXIT_CODES_HELP } from './exit-codes.ts';
import { planEditCommand } from './plan-edit-command.ts';
import { addRunOptions, runTicket, type RunFlags } from './run-command.ts';

export function planCommand(): Command {
  const command = new Command('plan').description('Plan a ticket into a run that waits for approval (nothing is executed), or edit a plan: baton plan edit <run>.').argument('[ticket]', 'what to do');
  // Options after `edit` belong to edit (both have --repo).
  command.enablePositionalOptions();
  addRunOptions(command);
  command.addHelpText('after', EXIT_CODES_HELP);
  command.addCommand(planEditCommand());
  command.action(async (ticket: string | undefined, flags: RunFlags) => {
    process.exitCode = await runTicket(ticket, { ...flags, planOnly: true });
  });
  return command;
}
