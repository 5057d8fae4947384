// Public surface of @baton/worker-host.
export type { ChatMessage, ModelClient, ModelRequest, ModelTurn, ModelUsage, StopReason, ToolCall, ToolResult, ToolSpec } from './model/model-client.ts';
export { emptyUsage, modelLabel } from './model/model-client.ts';
export { parseModelId, costUsd, DEFAULT_PRICES, PROVIDERS, ModelIdError } from './model/model-id.ts';
export type { Price, Provider } from './model/model-id.ts';
export { scriptedClient, loadScript, ScriptSchema, ScriptError } from './model/scripted-client.ts';
export type { ScriptInput, ScriptedTurn } from './model/scripted-client.ts';
export { runWorker } from './loop/run-worker.ts';
export type { RunWorkerOptions, WorkerTools } from './loop/run-worker.ts';
export type { WorkerBudget, BudgetLimit } from './loop/budget.ts';
export type { WorkerEvent, WorkerOutcome } from './loop/worker-events.ts';
export { connectTools } from './mcp/connect-tools.ts';
export type { ToolConnection } from './mcp/connect-tools.ts';
export { ROLES, roleFor, rolePrompt } from './roles/roles.ts';
export type { Role } from './roles/roles.ts';
