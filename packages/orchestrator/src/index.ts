// Public surface of @baton/orchestrator.
export { batonProgram } from './cli/program.ts';
