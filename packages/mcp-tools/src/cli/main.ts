// Entry point of the baton-tools binary.
import { VERSION } from '../version.ts';
import { runCli } from './run-cli.ts';
import { toolsCommand } from './tools-command.ts';

await runCli(toolsCommand().version(VERSION, '-V, --version'), process.argv);
