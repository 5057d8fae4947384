// Test doubles for @baton/worker-host: scripted models and fake provider servers.
export { startFakeProvider } from './testing/fake-provider.ts';
export type { FakeProvider, FakeStep, FakeToolCall, RecordedRequest } from './testing/fake-provider.ts';
export type { FakeTurn, StreamFailure } from './testing/fake-provider.ts';
export { scriptedClient } from './model/scripted-client.ts';
export { scriptedConversation, answeredCallIds } from './testing/scripted-conversation.ts';
