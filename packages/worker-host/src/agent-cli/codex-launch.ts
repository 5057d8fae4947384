// The Codex CLI headless (`codex exec --json`), with nothing of its own left on: a private
// CODEX_HOME holding only baton's config.toml (validated strictly), a custom model provider whose
// base URL is baton's meter (Responses wire: Codex 0.171 no longer speaks Chat Completions),
// baton's tool host as the only MCP server (required: if it does not connect, Codex does not
// start) with its tools approved, the sandbox read-only, no shell, web search, image, sub-agent,
// plugin, app, hook, memory or skill features, no AGENTS.md, no analytics or update checks, and
// baton's role prompt instead of Codex's own instructions.
import path from 'node:path';
import { stringify } from 'smol-toml';
import { BATON_MCP_SERVER } from './offered-tools.ts';
import { TOOL_TOKEN_ENV, type AgentCliLaunch, type AgentCliLaunchInput } from './agent-cli-launch.ts';

/** Credentials baton may hand Codex, in the order it picks one; Codex reads it as OPENAI_API_KEY. */
export const CODEX_CREDENTIALS = ['OPENAI_API_KEY', 'CODEX_API_KEY'] as const;

/** Codex features that reach the shell, the web, images, other agents or outside configuration. */
const FEATURES_OFF = ['shell_tool', 'unified_exec', 'view_image', 'image_generation', 'browser_use', 'computer_use', 'apps', 'plugins', 'hooks', 'memories', 'goals', 'sleep_tool'];

export function codexLaunch(input: AgentCliLaunchInput): AgentCliLaunch {
  const codexHome = path.join(input.home, 'codex');
  const instructions = path.join(codexHome, 'instructions.md');
  const config = {
    model: input.model,
    model_provider: 'baton',
    model_instructions_file: instructions,
    approval_policy: 'never',
    sandbox_mode: 'read-only',
    web_search: 'disabled',
    project_doc_max_bytes: 0,
    include_permissions_instructions: false,
    include_environment_context: false,
    check_for_update_on_startup: false,
    features: Object.fromEntries(FEATURES_OFF.map((name) => [name, false])),
    agents: { enabled: false },
    skills: { bundled: { enabled: false } },
    analytics: { enabled: false },
    otel: { exporter: 'none' },
    model_providers: {
      baton: { name: 'baton meter', base_url: input.meterUrl, env_key: 'OPENAI_API_KEY', wire_api: 'responses' },
    },
    mcp_servers: {
      [BATON_MCP_SERVER]: {
        url: input.tools.url,
        bearer_token_env_var: TOOL_TOKEN_ENV,
        enabled_tools: [...input.tools.names],
        default_tools_approval_mode: 'approve',
        startup_timeout_sec: 30,
        tool_timeout_sec: input.toolTimeoutSeconds,
        required: true,
      },
    },
  };
  const args = ['exec', '--json', '--strict-config', '--skip-git-repo-check', '--ephemeral', '--ignore-rules', '--color', 'never', '-'];
  const env: Record<string, string> = {
    ...input.baseEnv,
    HOME: path.join(input.home, 'home'),
    CODEX_HOME: codexHome,
    OPENAI_API_KEY: input.credential.value,
    [TOOL_TOKEN_ENV]: input.tools.token,
    NO_PROXY: '127.0.0.1,localhost',
    NO_COLOR: '1',
    TERM: 'dumb',
  };
  return {
    args,
    env,
    files: [
      { path: path.join(codexHome, 'config.toml'), content: `# Written by baton for one task; see baton's README ("Agent CLIs as workers").\n${stringify(config)}\n` },
      { path: instructions, content: `${input.instructions}\n` },
    ],
  };
}
