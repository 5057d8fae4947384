import { adapterContract } from './adapter-contract.ts';
import { anthropicClient } from './anthropic-client.ts';
import { openAIChatClient } from './openai-chat-client.ts';
import { openAIResponsesClient } from './openai-responses-client.ts';

adapterContract('Anthropic Messages', (fake) => anthropicClient({ model: 'claude-test', apiKey: 'test-key', baseURL: fake.url }));
adapterContract('OpenAI Responses', (fake) => openAIResponsesClient({ model: 'gpt-test', apiKey: 'test-key', baseURL: `${fake.url}/v1` }));
adapterContract('Chat Completions (OpenAI-compatible)', (fake) => openAIChatClient({ model: 'qwen-test', apiKey: 'none', baseURL: `${fake.url}/v1` }));
