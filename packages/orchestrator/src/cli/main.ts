// Entry point of the baton binary.
import { runCli } from '@baton/mcp-tools';
import { batonProgram } from './program.ts';

await runCli(batonProgram(), process.argv);
