// Test doubles and helpers of @baton/orchestrator for end-to-end tests (not part of the product):
// a local GitHub that checks every request against GitHub's OpenAPI description (needs the
// @octokit/openapi dev dependency), a local OTLP receiver that decodes what OpenTelemetry exporters
// send (needs protobufjs), freezing a git command in the middle of what it does (crash tests), a
// real PostgreSQL on a temp data dir (Debian's server binaries), and a git remote served by git daemon.
export { startFakeGitHub } from './github/testing/fake-github.ts';
export type { FakeGitHub, FakeGitHubOptions, FakePull, FakeRepo, QueuedAnswer, RecordedRequest } from './github/testing/fake-github.ts';
export { startOtlpReceiver } from './telemetry/testing/otlp-receiver.ts';
export type { DecodedPoint, DecodedSpan, DecodedValue, OtlpReceiver } from './telemetry/testing/otlp-receiver.ts';
export { makeGitPause, realGit, waitForFile } from './testing/git-pause.ts';
export { findPostgresBinaries, postgresUnavailable, startPostgresServer } from './testing/postgres-server.ts';
export type { PostgresServer } from './testing/postgres-server.ts';
export { freePort, makeBareRemote, startGitDaemon } from './testing/git-daemon.ts';
export type { GitDaemon } from './testing/git-daemon.ts';
export type { GitPause, GitPauseMatch } from './testing/git-pause.ts';
