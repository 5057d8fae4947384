import { describe, expect, it } from 'vitest';
import { allowedToolNames, disallowedTools, isBatonToolCall, offeredTools } from './offered-tools.ts';

describe('offered tools', () => {
  it('reads Anthropic tools, hosted ones by type', () => {
    expect(offeredTools('anthropic', { tools: [{ name: 'mcp__baton__read_file' }, { type: 'web_search_20250305', name: 'web_search' }, { type: 'bash_20250124' }] })).toEqual(['mcp__baton__read_file', 'web_search', 'bash_20250124']);
    expect(offeredTools('anthropic', {})).toEqual([]);
  });

  it('reads Responses tools, namespaces and the additional tools Codex sends in its input', () => {
    const body = {
      tools: [{ type: 'function', name: 'exec_command' }, { type: 'namespace', name: 'mcp__baton', tools: [{ type: 'function', name: 'read_file' }] }, { type: 'web_search', external_web_access: false }],
      input: [{ type: 'message', role: 'user' }, { type: 'additional_tools', tools: [{ type: 'namespace', name: 'functions', tools: [{ type: 'custom', name: 'exec' }, { type: 'function', name: 'wait' }] }] }],
    };
    expect(offeredTools('responses', body)).toEqual(['exec_command', 'mcp__baton/read_file', 'web_search', 'functions/exec', 'functions/wait']);
  });

  it('allows Claude Code only the granted baton tools', () => {
    const allowed = allowedToolNames('claude-code', ['read_file', 'apply_diff']);
    expect(disallowedTools(['mcp__baton__read_file', 'mcp__baton__apply_diff'], allowed)).toEqual([]);
    expect(disallowedTools(['mcp__baton__read_file', 'Bash', 'mcp__baton__run_tests', 'Bash'], allowed)).toEqual(['Bash', 'mcp__baton__run_tests']);
  });

  it('allows Codex the granted baton tools and its inert ones, never a shell, patch or web tool', () => {
    const allowed = allowedToolNames('codex', ['read_file']);
    expect(disallowedTools(['mcp__baton/read_file', 'list_mcp_resources', 'request_user_input', 'functions/exec', 'functions/wait'], allowed)).toEqual([]);
    expect(disallowedTools(['exec_command', 'write_stdin', 'apply_patch', 'web_search', 'view_image', 'mcp__other/read_file', 'mcp__baton/apply_diff', 'multi_agent_v1/spawn_agent'], allowed)).toEqual(['exec_command', 'write_stdin', 'apply_patch', 'web_search', 'view_image', 'mcp__other/read_file', 'mcp__baton/apply_diff', 'multi_agent_v1/spawn_agent']);
  });

  it('tells baton tool calls from the CLI\'s own', () => {
    expect(isBatonToolCall('claude-code', 'mcp__baton__read_file')).toBe(true);
    expect(isBatonToolCall('claude-code', 'Bash')).toBe(false);
    expect(isBatonToolCall('codex', 'mcp__baton/read_file')).toBe(true);
    expect(isBatonToolCall('codex', 'exec_command')).toBe(false);
  });
});
