// Test helpers for @baton/mcp-tools and its dependants: in-memory sessions, temp repos, heartbeats.
export { connectInMemory } from './testing/connect-in-memory.ts';
export { makeTempRepo } from './testing/temp-repo.ts';
export type { TempRepo } from './testing/temp-repo.ts';
export { connectHttp } from './testing/connect-http.ts';
export type { ConnectHttpOptions, HttpConnection } from './testing/connect-http.ts';
export { rawRequest, initializeRequest } from './testing/raw-http-request.ts';
export { HEARTBEAT_SCRIPT, beats, waitFor, waitForBeats, growthWhileControlBeats, waitUntilStopped } from './testing/heartbeat.ts';
export type { RawRequestOptions, RawResponse } from './testing/raw-http-request.ts';
