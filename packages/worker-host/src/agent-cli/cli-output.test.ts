import { describe, expect, it } from 'vitest';
import { cliOutputReader, toolsFailureOnStderr } from './cli-output.ts';

describe('Claude Code stream-json output', () => {
  const read = () => cliOutputReader('claude-code');

  it('reads whether baton\'s tool host connected, what the agent said and its result', () => {
    const r = read();
    expect(r(JSON.stringify({ type: 'system', subtype: 'init', mcp_servers: [{ name: 'baton', status: 'connected' }] }))).toEqual([{ kind: 'ready', toolsConnected: true, detail: "baton's tool host: connected" }]);
    expect(r(JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', name: 'x' }] } }))).toEqual([{ kind: 'message', text: 'Reading.' }]);
    expect(r(JSON.stringify({ type: 'result', subtype: 'success', is_error: false, result: 'Done.' }))).toEqual([{ kind: 'final', ok: true, summary: 'Done.' }]);
    expect(r('not json')).toEqual([]);
  });

  it('tells a failed MCP connection and the CLI\'s own limits from other failures', () => {
    const r = read();
    expect(r(JSON.stringify({ type: 'system', subtype: 'init', mcp_servers: [{ name: 'baton', status: 'failed' }] }))[0]).toMatchObject({ kind: 'ready', toolsConnected: false });
    expect(r(JSON.stringify({ type: 'result', subtype: 'error_max_turns', is_error: true }))).toEqual([{ kind: 'final', ok: false, reason: 'max_turns', detail: 'error_max_turns' }]);
    expect(r(JSON.stringify({ type: 'result', subtype: 'error_max_budget_usd', is_error: true }))[0]).toMatchObject({ reason: 'max_budget' });
    expect(r(JSON.stringify({ type: 'result', subtype: 'success', is_error: true, result: 'API Error: 401' }))).toEqual([{ kind: 'final', ok: false, reason: 'error', detail: 'Claude Code ended with success: API Error: 401' }]);
  });
});

describe('Codex exec --json output', () => {
  it('reads messages, notices and the end of the turn with the last message as the summary', () => {
    const r = cliOutputReader('codex');
    expect(r(JSON.stringify({ type: 'thread.started', thread_id: 't' }))[0]).toMatchObject({ kind: 'ready', toolsConnected: true });
    expect(r(JSON.stringify({ type: 'item.completed', item: { type: 'error', message: 'Model metadata for `m` not found.' } }))).toEqual([{ kind: 'notice', detail: 'Model metadata for `m` not found.' }]);
    r(JSON.stringify({ type: 'item.completed', item: { type: 'agent_message', text: 'first' } }));
    r(JSON.stringify({ type: 'item.completed', item: { type: 'agent_message', text: 'Changed a.txt.' } }));
    expect(r(JSON.stringify({ type: 'turn.completed', usage: {} }))).toEqual([{ kind: 'final', ok: true, summary: 'Changed a.txt.' }]);
  });

  it('reports a failed turn as the end, and a failed baton MCP server as tools not connected', () => {
    const r = cliOutputReader('codex');
    expect(r(JSON.stringify({ type: 'turn.failed', error: { message: 'unexpected status 401' } }))).toEqual([{ kind: 'final', ok: false, reason: 'error', detail: 'Codex failed: unexpected status 401' }]);
    expect(r(JSON.stringify({ type: 'item.completed', item: { type: 'error', message: 'MCP client for `baton` failed to start: handshake' } }))[0]).toMatchObject({ kind: 'ready', toolsConnected: false });
  });
});

describe('toolsFailureOnStderr', () => {
  // What Codex 0.x logged when baton's tool host refused its token (from a CI run), Rust types and all.
  const refused =
    '2026-12-02T04:21:05.546326Z ERROR codex_core::session: Failed to create session: required MCP servers failed to initialize: baton: handshaking with MCP server failed: ' +
    'Send message error Transport [codex_rmcp_client::tool_list_changes::ToolListChanges<codex_rmcp_client::event_notification_transport::EventNotificationTransport<rmcp::transport::worker::WorkerTransport<rmcp::transport::streamable_http_client::StreamableHttpClientWorker<codex_rmcp_client::http_client_adapter::StreamableHttpClientAdapter>>>>] ' +
    'error: Auth required, when send initialize request';

  it('says why Codex could not start with baton\'s tools, without the Rust type names', () => {
    expect(toolsFailureOnStderr('codex', `some warning\n${refused}\n`)).toBe('baton: handshaking with MCP server failed: Send message error Transport error: Auth required, when send initialize request');
  });

  it('finds nothing in other failures, or for another server, or for Claude Code', () => {
    expect(toolsFailureOnStderr('codex', 'ERROR codex_core: stream disconnected before completion\n')).toBeUndefined();
    expect(toolsFailureOnStderr('codex', refused.replace('initialize: baton:', 'initialize: other:'))).toBeUndefined();
    expect(toolsFailureOnStderr('claude-code', refused)).toBeUndefined();
  });
});
