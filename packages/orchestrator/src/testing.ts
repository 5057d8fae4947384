// Test doubles of @baton/orchestrator for end-to-end tests: a local GitHub that checks every
// request against GitHub's OpenAPI description (needs the @octokit/openapi dev dependency), and a
// local OTLP receiver that decodes what OpenTelemetry exporters send (needs protobufjs).
export { startFakeGitHub } from './github/testing/fake-github.ts';
export type { FakeGitHub, FakeGitHubOptions, FakePull, FakeRepo, QueuedAnswer, RecordedRequest } from './github/testing/fake-github.ts';
export { startOtlpReceiver } from './telemetry/testing/otlp-receiver.ts';
export type { DecodedPoint, DecodedSpan, DecodedValue, OtlpReceiver } from './telemetry/testing/otlp-receiver.ts';
