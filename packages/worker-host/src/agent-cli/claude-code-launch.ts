// Claude Code headless, with nothing of its own left on: print mode streaming JSON, baton's tool
// host as the only MCP server (strict), no built-in tools at all (no shell, file, web or agent
// tools), only baton's tools pre-approved and everything else denied without asking, no
// settings files, hooks, CLAUDE.md, memory, slash commands or skills, no telemetry, error
// reports, updates or other non-essential traffic, and its model calls through baton's meter.
import path from 'node:path';
import { BATON_MCP_SERVER } from './offered-tools.ts';
import { TOOL_TOKEN_ENV, type AgentCliLaunch, type AgentCliLaunchInput } from './agent-cli-launch.ts';

/** Credentials Claude Code reads, in the order baton picks the one to pass. */
export const CLAUDE_CODE_CREDENTIALS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'] as const;

/** Claude Code's own tools, denied by name as well (they are not even loaded: `--tools ""`). */
const BUILT_IN_TOOLS = ['Bash', 'BashOutput', 'KillShell', 'Read', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Glob', 'Grep', 'LS', 'WebFetch', 'WebSearch', 'Task', 'Agent', 'TodoWrite', 'Skill', 'SlashCommand'];

export function claudeCodeLaunch(input: AgentCliLaunchInput): AgentCliLaunch {
  const allowed = input.tools.names.map((name) => `mcp__${BATON_MCP_SERVER}__${name}`);
  const mcpConfig = path.join(input.home, 'mcp.json');
  const settings = path.join(input.home, 'settings.json');
  const args = [
    '--print',
    '--output-format', 'stream-json',
    '--verbose',
    '--model', input.model,
    '--system-prompt', input.instructions,
    '--mcp-config', mcpConfig,
    '--strict-mcp-config',
    '--tools', '',
    '--allowedTools', allowed.join(','),
    '--disallowedTools', BUILT_IN_TOOLS.join(','),
    '--permission-mode', 'dontAsk',
    '--setting-sources', '',
    '--settings', settings,
    '--disable-slash-commands',
    '--no-session-persistence',
    '--max-turns', String(input.budget.maxTurns),
    ...(input.budget.maxCostUsd !== undefined ? ['--max-budget-usd', String(input.budget.maxCostUsd)] : []),
  ];
  const env: Record<string, string> = {
    ...input.baseEnv,
    HOME: path.join(input.home, 'home'),
    CLAUDE_CONFIG_DIR: path.join(input.home, 'config'),
    ANTHROPIC_BASE_URL: input.meterUrl,
    [input.credential.name]: input.credential.value,
    [TOOL_TOKEN_ENV]: input.tools.token,
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_DISABLE_AUTO_MEMORY: '1',
    CLAUDE_CODE_DISABLE_CLAUDE_MDS: '1',
    CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS: '1',
    MCP_TIMEOUT: '30000',
    MCP_TOOL_TIMEOUT: String(input.toolTimeoutSeconds * 1000),
    NO_PROXY: '127.0.0.1,localhost',
    NO_COLOR: '1',
    TERM: 'dumb',
  };
  const mcp = { mcpServers: { [BATON_MCP_SERVER]: { type: 'http', url: input.tools.url, headers: { Authorization: `Bearer \${${TOOL_TOKEN_ENV}}` } } } };
  const settingsJson = { disableAllHooks: true, permissions: { defaultMode: 'dontAsk', allow: allowed, deny: BUILT_IN_TOOLS } };
  return {
    args,
    env,
    files: [
      { path: mcpConfig, content: `${JSON.stringify(mcp, null, 2)}\n` },
      { path: settings, content: `${JSON.stringify(settingsJson, null, 2)}\n` },
    ],
  };
}
