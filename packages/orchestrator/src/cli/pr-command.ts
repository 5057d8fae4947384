// `baton pr <run>`: push the run branch and open (or update) its pull request on GitHub.
import { Command } from 'commander';
import { loadConfig } from '../config/load-config.ts';
import { publishRun, type PublishedRun } from '../github/publish-run.ts';
import { resolveRunId, withStore } from './repo-store.ts';

export interface PrFlags {
  repo?: string;
  remote?: string;
  githubRepo?: string;
  apiUrl?: string;
  base?: string;
  ready?: boolean;
  draft?: boolean;
  json?: boolean;
}

export function addPrOptions(command: Command, prefix = ''): Command {
  return command
    .option(`--${prefix}remote <name>`, 'git remote to push to (default: the base branch\'s remote, else origin)')
    .option(`--${prefix}github-repo <owner/name>`, 'GitHub repository (default: from the remote URL)')
    .option(`--${prefix}api-url <url>`, 'GitHub REST API root, e.g. https://ghe.example.com/api/v3 (default: from the remote host, or GITHUB_API_URL)')
    .option(`--${prefix}base <branch>`, 'branch the pull request targets (default: the branch the run started from)')
    .option(`--${prefix}ready`, 'open the pull request ready for review instead of as a draft');
}

export function prSummary(published: PublishedRun): string {
  const { pull } = published;
  return `${pull.action === 'opened' ? 'opened' : 'updated'} ${pull.draft ? 'draft ' : ''}pull request #${pull.number}: ${pull.url}\n`;
}

export function prCommand(): Command {
  const command = new Command('pr')
    .description('Push baton/<run> to your remote and open (or update) its pull request on GitHub, with a body generated from the run. Token: GITHUB_TOKEN, or gh auth token.')
    .argument('[run]', 'run id (default: the newest run)')
    .option('--repo <dir>', 'repository (default: the current directory)')
    .option('--json', 'print the pull request as JSON');
  addPrOptions(command).action(async (runArg: string | undefined, flags: PrFlags) => {
    await withStore(flags, async ({ repo, store }) => {
      const runId = await resolveRunId(store, runArg);
      const { config } = await loadConfig(repo);
      const published = await publishRun({
        repo,
        store,
        runId,
        draft: flags.ready ? false : config.github.draft,
        ...optional({ remote: flags.remote ?? config.github.remote, githubRepo: flags.githubRepo ?? config.github.repo, apiUrl: flags.apiUrl ?? config.github.apiUrl, base: flags.base }),
        say: (line) => void process.stderr.write(`${line}\n`),
      });
      if (flags.json) process.stdout.write(`${JSON.stringify({ run: runId, repo: `${published.repo.owner}/${published.repo.name}`, ...published.pull, commit: published.pushed.commit }, null, 2)}\n`);
      else process.stdout.write(prSummary(published));
    });
  });
  return command;
}

/** Drops undefined values, for options objects under exactOptionalPropertyTypes. */
export function optional<T extends Record<string, string | undefined>>(values: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string };
}
