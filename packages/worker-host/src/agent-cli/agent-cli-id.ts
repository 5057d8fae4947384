// Worker ids that name an agent CLI rather than a model API: `claude-code:<model>` runs Claude
// Code, `codex:<model>` runs the Codex CLI, each headless and reaching the repository only
// through baton's tools. The model half is what the CLI's own --model takes.
import { ModelIdError } from '../model/model-id.ts';

export const AGENT_CLIS = ['claude-code', 'codex'] as const;
export type AgentCliName = (typeof AGENT_CLIS)[number];

export interface AgentCliPackage {
  /** What people call it. */
  title: string;
  /** The npm package that ships the binary (an optional dependency of @baton/worker-host). */
  package: string;
  /** The version baton pins and whose flags it was checked against. */
  testedVersion: string;
  /** Executable name on PATH. */
  command: string;
  /** Environment variable that points baton at a binary of the user's choosing. */
  binaryEnv: string;
  /** The model API the CLI speaks, which prices its calls (`anthropic:<model>`, `openai:<model>`). */
  provider: 'anthropic' | 'openai';
}

export const AGENT_CLI_PACKAGES: Readonly<Record<AgentCliName, AgentCliPackage>> = {
  'claude-code': { title: 'Claude Code', package: '@anthropic-ai/claude-code', testedVersion: '2.1.332', command: 'claude', binaryEnv: 'BATON_CLAUDE_BIN', provider: 'anthropic' },
  codex: { title: 'Codex CLI', package: '@openai/codex', testedVersion: '0.171.0', command: 'codex', binaryEnv: 'BATON_CODEX_BIN', provider: 'openai' },
};

// Model names go into command lines and a TOML file: plain names only.
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@/-]*$/;

export function isAgentCliId(id: string): boolean {
  const colon = id.indexOf(':');
  return colon > 0 && (AGENT_CLIS as readonly string[]).includes(id.slice(0, colon));
}

export function parseAgentCliId(id: string): { cli: AgentCliName; model: string } {
  const colon = id.indexOf(':');
  const cli = id.slice(0, colon);
  const model = id.slice(colon + 1).trim();
  if (colon <= 0 || !(AGENT_CLIS as readonly string[]).includes(cli)) {
    throw new ModelIdError(`"${id}" is not an agent CLI worker; use ${AGENT_CLIS.map((c) => `${c}:<model>`).join(' or ')}`);
  }
  if (!MODEL_NAME.test(model)) {
    throw new ModelIdError(`"${id}" needs a model name after "${cli}:" (letters, digits and . _ : @ / -), e.g. ${cli === 'codex' ? 'codex:gpt-5.3-codex' : 'claude-code:claude-sonnet-4-6'}`);
  }
  return { cli: cli as AgentCliName, model };
}
