// The pilot's additions to `baton run` / `baton plan`: the human-only estimate recorded with
// the run, and `--pr`, which opens the pull request when the run succeeds.
import type { Command } from 'commander';
import type { BatonConfig } from '../config/config-schema.ts';
import { publishRun } from '../github/publish-run.ts';
import { parseEstimate } from '../report/human-estimate.ts';
import type { RunStore, RunWriter } from '../store/run-store.ts';
import { EXIT } from './exit-codes.ts';
import { addPrOptions, optional, prSummary } from './pr-command.ts';

export interface RunPilotFlags {
  humanEstimate?: string;
  pr?: boolean;
  prRemote?: string;
  prGithubRepo?: string;
  prApiUrl?: string;
  prBase?: string;
  prReady?: boolean;
}

export function addEstimateOption(command: Command): Command {
  return command.option('--human-estimate <duration>', 'how long a human alone would take (3h, 90m, 1.5d); baton report compares the run with it');
}

export function addRunPrOptions(command: Command): Command {
  command.option('--pr', 'when the run succeeds, push baton/<run> and open a pull request (as baton pr does)');
  return addPrOptions(command, 'pr-');
}

/** Checks the estimate before any work starts; undefined when none was given. */
export function estimateSeconds(flags: RunPilotFlags): number | undefined {
  return flags.humanEstimate === undefined ? undefined : parseEstimate(flags.humanEstimate);
}

export async function recordEstimate(writer: RunWriter, seconds: number | undefined): Promise<void> {
  if (seconds !== undefined) await writer.append({ type: 'human_estimate', seconds, by: process.env['USER'] ?? 'human', note: 'baton run --human-estimate' });
}

/** Opens the pull request after a successful run; the exit code says whether that worked. */
export async function openPullRequestAfterRun(options: { repo: string; store: RunStore; runId: string; config: BatonConfig; flags: RunPilotFlags; exitCode: number; say: (line: string) => void }): Promise<number> {
  const { flags } = options;
  if (!flags.pr || options.exitCode !== EXIT.ok) return options.exitCode;
  try {
    const published = await publishRun({
      repo: options.repo,
      store: options.store,
      runId: options.runId,
      draft: flags.prReady ? false : options.config.github.draft,
      ...optional({ remote: flags.prRemote ?? options.config.github.remote, githubRepo: flags.prGithubRepo ?? options.config.github.repo, apiUrl: flags.prApiUrl ?? options.config.github.apiUrl, base: flags.prBase }),
      say: options.say,
    });
    options.say(prSummary(published).trimEnd());
    return EXIT.ok;
  } catch (error) {
    options.say(`the run succeeded (branch baton/${options.runId}), but its pull request was not opened: ${error instanceof Error ? error.message : String(error)}`);
    options.say(`fix that, then: baton pr ${options.runId}`);
    return EXIT.failed;
  }
}
