// Which models a run uses: flags override baton.config.json. Scripted models are labelled; an
// agent CLI worker says which CLI and version will run.
import { describeAgentCli, isAgentCliModel } from '@baton/worker-host';
import { resolveModel, resolveWorker } from '../run/models.ts';
import type { RunModels } from '../run/orchestrate.ts';
import type { BatonConfig } from '../config/config-schema.ts';
export type { RunModels } from '../run/orchestrate.ts';

export interface ModelFlags {
  planner?: string;
  worker?: string;
  reviewer?: string;
}

/** Script paths in flags are relative to the current directory; in baton.config.json, to the repository. */
export async function runModels(config: BatonConfig, flags: ModelFlags, where: { cwd: string; repo: string }): Promise<RunModels> {
  const idleTimeoutSeconds = config.models.streamIdleTimeoutSeconds;
  const pick = (flag: string | undefined, configured: string | undefined) =>
    flag !== undefined ? resolveModel(flag, { cwd: where.cwd, idleTimeoutSeconds }) : configured !== undefined ? resolveModel(configured, { cwd: where.repo, idleTimeoutSeconds }) : undefined;
  const planner = await pick(flags.planner, config.models.planner);
  const worker = await (flags.worker !== undefined ? resolveWorker(flags.worker, { cwd: where.cwd, idleTimeoutSeconds }) : resolveWorker(config.models.worker, { cwd: where.repo, idleTimeoutSeconds }));
  const reviewer = (await pick(flags.reviewer, config.models.reviewer)) ?? planner;
  return { planner: planner!, worker, reviewer: reviewer! };
}

export function describeModels(models: RunModels): string {
  const one = (role: string, m: RunModels['planner'] | RunModels['worker']) =>
    `${role} ${m.provider}:${m.model}${m.scripted ? ' (SCRIPTED: not a live model)' : ''}${isAgentCliModel(m) ? ` (${describeAgentCli(m)})` : ''}`;
  return [one('planner', models.planner), one('worker', models.worker), one('reviewer', models.reviewer)].join(', ');
}
