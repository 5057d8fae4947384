// Entry point of the baton-tools binary.
import { runCli } from './run-cli.ts';
import { toolsCommand } from './tools-command.ts';

await runCli(toolsCommand(), process.argv);
