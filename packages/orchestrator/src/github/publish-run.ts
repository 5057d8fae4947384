// `baton pr` as one function: find the GitHub repository behind the remote, check the token
// can see it, push `baton/<run>`, open (or update) the pull request with a body generated from
// the store, and record it as a pilot event. Used by `baton pr` and `baton run --pr`.
import { UsageError } from '@baton/mcp-tools';
import { git } from '../git/run-git.ts';
import { latestEvent, recordPilotEvent } from '../report/record-pilot-event.ts';
import type { RunStore } from '../store/run-store.ts';
import { createGitHubClient } from './github-client.ts';
import { apiUrlForHost, hostOfApiUrl, parseRemoteUrl, parseRepoRef, webOriginOfApiUrl, type RepoRef } from './github-remote.ts';
import { githubToken } from './github-token.ts';
import { openOrUpdatePullRequest, type OpenedPullRequest } from './open-pull-request.ts';
import { pullRequestText } from './pr-body.ts';
import { pushRunBranch, type PushedBranch } from './push-run-branch.ts';

export interface PublishRunOptions {
  repo: string;
  store: RunStore;
  runId: string;
  remote?: string;
  /** owner/name on GitHub (default: from the remote's URL). */
  githubRepo?: string;
  apiUrl?: string;
  base?: string;
  draft: boolean;
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  say?: (line: string) => void;
}

export interface PublishedRun {
  repo: RepoRef;
  pushed: PushedBranch;
  pull: OpenedPullRequest;
  apiUrl: string;
  tokenSource: 'GITHUB_TOKEN' | 'gh';
}

/** The remote baton pushes to: the flag, else the base branch's upstream remote, else origin. */
async function chooseRemote(repo: string, baseBranch: string | undefined, flag: string | undefined): Promise<string> {
  if (flag) return flag;
  if (baseBranch) {
    const configured = (await git(['config', '--get', `branch.${baseBranch}.remote`], { cwd: repo, allowFailure: true })).stdout.trim();
    if (configured && configured !== '.') return configured;
  }
  return 'origin';
}

export async function publishRun(options: PublishRunOptions): Promise<PublishedRun> {
  const { store, runId } = options;
  const env = options.env ?? process.env;
  const say = options.say ?? (() => {});
  const state = await store.state(runId);
  if (await store.lockHolder(runId)) throw new UsageError(`run ${runId} is still being driven by another baton process; open its pull request when it has finished`);
  if (state.phase !== 'finished') throw new UsageError(`run ${runId} has not finished (${state.phase}); finish it (baton resume ${runId}) before opening a pull request`);
  const merged = state.taskOrder.some((id) => state.tasks[id]?.mergedCommit !== undefined);
  if (!merged) throw new UsageError(`run ${runId} merged no work onto baton/${runId}; there is nothing to propose`);

  const remote = await chooseRemote(options.repo, state.baseBranch, options.remote);
  const url = (await git(['remote', 'get-url', '--push', remote], { cwd: options.repo, allowFailure: true })).stdout.trim();
  if (!url) throw new UsageError(`this repository has no remote named ${remote}; add one with git remote add ${remote} <url>, or pass --remote <name>`);
  const target = parseRemoteUrl(url);
  const repoRef = options.githubRepo ? parseRepoRef(options.githubRepo) : target.repo;
  if (!repoRef) throw new UsageError(`cannot tell which GitHub repository the remote ${remote} is; pass --github-repo owner/name`);
  const apiUrl = (options.apiUrl ?? env['GITHUB_API_URL'] ?? (target.host && (target.transport === 'https' || target.transport === 'ssh') ? apiUrlForHost(target.host.replace(/:\d+$/, '')) : 'https://api.github.com')).replace(/\/+$/, '');
  const { token, source } = await githubToken({ host: hostOfApiUrl(apiUrl), env });
  const client = createGitHubClient({ apiUrl, token, ...(options.signal ? { signal: options.signal } : {}), onRateLimitWait: (ms) => say(`GitHub rate limit: waiting ${Math.ceil(ms / 1000)}s`) });

  // Before pushing anything: the repository must exist and the token must see it.
  const info = await client.repository(repoRef);
  const base = options.base ?? state.baseBranch ?? info.defaultBranch;
  const previous = latestEvent(await store.events(runId), 'pull_request');
  const pushed = await pushRunBranch({
    repo: options.repo,
    runId,
    remote,
    token,
    tokenOrigin: webOriginOfApiUrl(apiUrl),
    ...(previous && previous.remote === remote ? { lastPushed: previous.commit } : {}),
  });
  say(`pushed ${pushed.branch} (${pushed.commit.slice(0, 10)}) to ${remote}`);
  const text = pullRequestText(await store.state(runId), await store.events(runId), { headCommit: pushed.commit });
  const pull = await openOrUpdatePullRequest({ client, repo: repoRef, head: pushed.branch, base, title: text.title, body: text.body, draft: options.draft });
  if (!options.draft && pull.draft) say(`pull request #${pull.number} stays a draft: GitHub's REST API cannot mark it ready for review; do that on GitHub`);
  await recordPilotEvent(store, runId, {
    type: 'pull_request',
    action: pull.action,
    repo: `${repoRef.owner}/${repoRef.name}`,
    number: pull.number,
    url: pull.url,
    base: pull.base,
    head: pull.head,
    commit: pushed.commit,
    draft: pull.draft,
    apiUrl,
    remote,
  });
  return { repo: repoRef, pushed, pull, apiUrl, tokenSource: source };
}
