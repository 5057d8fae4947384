// `claude-code:<model>` / `codex:<model>` → a worker that runs that CLI, checked before anything
// starts: the id, the binary (or an error naming its package) and a credential for it.
import { ModelIdError } from '../model/model-id.ts';
import { AGENT_CLI_PACKAGES, parseAgentCliId, type AgentCliName } from './agent-cli-id.ts';
import { locateAgentCli, type LocatedAgentCli, type LocateOptions } from './locate-agent-cli.ts';
import { agentCliCredential, agentCliNeeds } from './run-agent-cli.ts';

/** A worker that is an agent CLI; shaped like a model client where the orchestrator only labels it. */
export interface AgentCliModel {
  readonly kind: 'agent-cli';
  readonly provider: AgentCliName;
  readonly model: string;
  readonly scripted: false;
  readonly located: LocatedAgentCli;
}

export function isAgentCliModel(value: unknown): value is AgentCliModel {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'agent-cli';
}

export function resolveAgentCli(id: string, options: LocateOptions): AgentCliModel {
  const { cli, model } = parseAgentCliId(id);
  const located = locateAgentCli(cli, options);
  if (!agentCliCredential(cli, options.env)) {
    throw new ModelIdError(`${id} needs one of ${agentCliNeeds(cli)} in the environment (baton hands ${AGENT_CLI_PACKAGES[cli].title} that one credential and no other)`);
  }
  return { kind: 'agent-cli', provider: cli, model, scripted: false, located };
}

/** "Claude Code 2.1.332 from @anthropic-ai/claude-code", with a warning when it is not the version baton was checked against. */
export function describeAgentCli(worker: AgentCliModel): string {
  const pkg = AGENT_CLI_PACKAGES[worker.provider];
  const from = worker.located.source === 'package' ? pkg.package : worker.located.source === 'env' ? `${pkg.binaryEnv}=${worker.located.binary}` : worker.located.binary;
  const version = worker.located.version ?? 'unknown version';
  const untested = worker.located.version !== pkg.testedVersion ? `; baton was checked against ${pkg.testedVersion}, flags may differ` : '';
  return `${pkg.title} ${version} from ${from}${untested}`;
}
