import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { baseEnvFrom, type AgentCliLaunchInput } from './agent-cli-launch.ts';
import { claudeCodeLaunch } from './claude-code-launch.ts';
import { codexLaunch } from './codex-launch.ts';

const input: AgentCliLaunchInput = {
  model: 'm-1',
  meterUrl: 'http://127.0.0.1:4000/secret',
  tools: { url: 'http://127.0.0.1:5000/mcp', token: 'grant-token', names: ['read_file', 'apply_diff'] },
  instructions: 'You are a baton worker.',
  home: '/private/home',
  budget: { maxTurns: 12, maxTokens: 1000, maxCostUsd: 0.5 },
  credential: { name: 'ANTHROPIC_API_KEY', value: 'sk-key' },
  toolTimeoutSeconds: 660,
  baseEnv: { PATH: '/usr/bin' },
};

const flag = (args: string[], name: string) => args[args.indexOf(name) + 1];

describe('Claude Code launch', () => {
  const launch = claudeCodeLaunch(input);

  it('runs headless with no built-in tools, baton\'s MCP server only, only its tools approved, no settings files', () => {
    const { args } = launch;
    expect(args.slice(0, 3)).toEqual(['--print', '--output-format', 'stream-json']);
    expect(flag(args, '--tools')).toBe('');
    expect(args).toContain('--strict-mcp-config');
    expect(flag(args, '--allowedTools')).toBe('mcp__baton__read_file,mcp__baton__apply_diff');
    expect(flag(args, '--disallowedTools')).toContain('Bash');
    expect(flag(args, '--permission-mode')).toBe('dontAsk');
    expect(flag(args, '--setting-sources')).toBe('');
    expect(flag(args, '--max-turns')).toBe('12');
    expect(flag(args, '--max-budget-usd')).toBe('0.5');
    expect(flag(args, '--mcp-config')).toBe('/private/home/mcp.json');
    // Neither the grant token nor the key is on the command line.
    expect(args.join(' ')).not.toMatch(/grant-token|sk-key/);
  });

  it('writes an MCP config that reads the token from the environment, and settings with hooks off', () => {
    const mcp = JSON.parse(launch.files.find((f) => f.path.endsWith('mcp.json'))!.content) as { mcpServers: Record<string, { url: string; headers: Record<string, string> }> };
    expect(mcp.mcpServers).toEqual({ baton: { type: 'http', url: 'http://127.0.0.1:5000/mcp', headers: { Authorization: 'Bearer ${BATON_TOOL_TOKEN}' } } });
    const settings = JSON.parse(launch.files.find((f) => f.path.endsWith('settings.json'))!.content) as { disableAllHooks: boolean; permissions: { allow: string[] } };
    expect(settings.disableAllHooks).toBe(true);
    expect(settings.permissions.allow).toEqual(['mcp__baton__read_file', 'mcp__baton__apply_diff']);
    expect(launch.files.map((f) => f.content).join('')).not.toMatch(/grant-token|sk-key/);
  });

  it('gets a private home, the meter as its API, one credential and every non-essential feature off', () => {
    expect(launch.env).toMatchObject({ PATH: '/usr/bin', HOME: '/private/home/home', CLAUDE_CONFIG_DIR: '/private/home/config', ANTHROPIC_BASE_URL: 'http://127.0.0.1:4000/secret', ANTHROPIC_API_KEY: 'sk-key', BATON_TOOL_TOKEN: 'grant-token', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_TELEMETRY: '1', DISABLE_AUTOUPDATER: '1', DISABLE_ERROR_REPORTING: '1', MCP_TOOL_TIMEOUT: '660000' });
  });
});

describe('Codex launch', () => {
  const launch = codexLaunch({ ...input, credential: { name: 'OPENAI_API_KEY', value: 'sk-key' } });
  const config = parse(launch.files.find((f) => f.path.endsWith('config.toml'))!.content) as Record<string, Record<string, unknown>>;

  it('runs `codex exec --json` with strict config from a private CODEX_HOME, the brief on stdin', () => {
    expect(launch.args).toEqual(['exec', '--json', '--strict-config', '--skip-git-repo-check', '--ephemeral', '--ignore-rules', '--color', 'never', '-']);
    expect(launch.env).toMatchObject({ CODEX_HOME: '/private/home/codex', HOME: '/private/home/home', OPENAI_API_KEY: 'sk-key', BATON_TOOL_TOKEN: 'grant-token' });
  });

  it('sends model calls through the meter on the Responses wire, with the sandbox read-only and the shell, web and other features off', () => {
    expect(config).toMatchObject({ model: 'm-1', model_provider: 'baton', approval_policy: 'never', sandbox_mode: 'read-only', web_search: 'disabled', project_doc_max_bytes: 0 });
    expect(config['model_providers']).toEqual({ baton: { name: 'baton meter', base_url: 'http://127.0.0.1:4000/secret', env_key: 'OPENAI_API_KEY', wire_api: 'responses' } });
    expect(config['features']).toMatchObject({ shell_tool: false, unified_exec: false, view_image: false, apps: false, plugins: false, hooks: false, memories: false });
    expect(config['agents']).toEqual({ enabled: false });
    expect(config['mcp_servers']).toEqual({ baton: { url: 'http://127.0.0.1:5000/mcp', bearer_token_env_var: 'BATON_TOOL_TOKEN', enabled_tools: ['read_file', 'apply_diff'], default_tools_approval_mode: 'approve', startup_timeout_sec: 30, tool_timeout_sec: 660, required: true } });
    expect(launch.files.map((f) => f.content).join('')).not.toMatch(/grant-token|sk-key/);
    expect(launch.files.find((f) => f.path.endsWith('instructions.md'))!.content).toBe('You are a baton worker.\n');
  });
});

describe('environment passed to an agent CLI', () => {
  it('keeps only harmless variables of baton\'s environment', () => {
    expect(baseEnvFrom({ PATH: '/bin', LANG: 'C.UTF-8', TZ: '', ANTHROPIC_API_KEY: 'k', GITHUB_TOKEN: 't', HOME: '/root', SSH_AUTH_SOCK: '/s' })).toEqual({ PATH: '/bin', LANG: 'C.UTF-8' });
  });
});
