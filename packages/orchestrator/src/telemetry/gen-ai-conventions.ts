// The OpenTelemetry GenAI semantic-convention names baton emits, as plain strings so the span
// model needs no OpenTelemetry module (a test checks them against @opentelemetry/semantic-conventions).
export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  agentName: 'gen_ai.agent.name',
  agentId: 'gen_ai.agent.id',
  conversationId: 'gen_ai.conversation.id',
  workflowName: 'gen_ai.workflow.name',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  tokenType: 'gen_ai.token.type',
  errorType: 'error.type',
} as const;

export const GEN_AI_OPERATION = { chat: 'chat', invokeAgent: 'invoke_agent', invokeWorkflow: 'invoke_workflow', executeTool: 'execute_tool' } as const;

export const GEN_AI_METRIC = { tokenUsage: 'gen_ai.client.token.usage', operationDuration: 'gen_ai.client.operation.duration' } as const;

/** baton's own metrics (no GenAI convention covers them). */
export const BATON_METRIC = { cost: 'baton.cost', taskDuration: 'baton.task.duration', reworks: 'baton.task.reworks' } as const;
