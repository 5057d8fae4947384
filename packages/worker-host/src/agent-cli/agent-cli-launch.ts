// What starting an agent CLI takes: its arguments, its whole environment and the files baton
// writes into the CLI's private home. Each CLI has a builder (claude-code-launch.ts,
// codex-launch.ts); both are pure, so what baton turns off is checked without running anything.
import type { WorkerBudget } from '../loop/budget.ts';

export interface AgentCliLaunchInput {
  model: string;
  /** The meter's base URL, which the CLI takes for its model API. */
  meterUrl: string;
  /** baton's MCP endpoint for this task, its grant's bearer token and the tools the grant offers. */
  tools: { url: string; token: string; names: readonly string[] };
  /** The role's instructions, given as the CLI's system prompt. */
  instructions: string;
  /** A private directory (mode 0700) for the CLI's configuration and state. */
  home: string;
  budget: WorkerBudget;
  /** The one credential the CLI needs, under the name it reads. */
  credential: { name: string; value: string };
  /** Longest baton tool call the CLI should wait for (run_tests can take minutes). */
  toolTimeoutSeconds: number;
  /** Harmless variables of baton's environment to keep (PATH, locale, time zone). */
  baseEnv: Readonly<Record<string, string>>;
}

export interface AgentCliLaunch {
  args: string[];
  env: Record<string, string>;
  files: { path: string; content: string }[];
}

/** The variable through which the CLI reads the bearer token of baton's tool host (never in argv or a file). */
export const TOOL_TOKEN_ENV = 'BATON_TOOL_TOKEN';

/** Variables of baton's environment an agent CLI may see: none of them holds a secret. */
export const PASSED_ENV = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'SYSTEMROOT'] as const;

export function baseEnvFrom(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASSED_ENV) {
    const value = env[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}
