// The few GitHub REST calls baton makes, through Octokit: the repository, its pull requests,
// and the reviews and comments on one. Rate limits are waited out when short; every other
// failure becomes a GitHubError that says who is at fault and what to do.
import { setTimeout as delay } from 'node:timers/promises';
import { Octokit } from '@octokit/rest';
import { VERSION } from '@baton/mcp-tools';
import { GitHubError, GitHubRateLimitError, httpFailureOf, type HttpFailure } from './github-errors.ts';
import type { RepoRef } from './github-remote.ts';
import { rateLimitDelayMs } from './rate-limit.ts';

export interface GitHubClientOptions {
  /** REST API root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  apiUrl: string;
  token: string;
  /** Longest rate-limit wait taken before giving up with an error (default 60 s). */
  maxRateLimitWaitMs?: number;
  /** Rate-limited retries of one request (default 2). */
  maxRateLimitRetries?: number;
  signal?: AbortSignal;
  /** Told before each rate-limit wait, so a CLI can say why it pauses. */
  onRateLimitWait?: (waitMs: number) => void;
}

export interface PullRequestInfo {
  number: number;
  url: string;
  state: 'open' | 'closed';
  draft: boolean;
  head: string;
  base: string;
  mergedAt?: string;
  mergeCommit?: string;
}

export interface ReviewActivity {
  /** Submitted reviews by people (not bots), oldest first. */
  reviews: { state: string; commit?: string; submittedAt?: string; user: string }[];
  diffComments: number;
  conversationComments: number;
}

export interface GitHubClient {
  readonly apiUrl: string;
  repository(repo: RepoRef): Promise<{ fullName: string; defaultBranch: string; canPush: boolean }>;
  /** The open pull request from `head` (a branch of the same repository), if any. */
  findOpenPull(repo: RepoRef, head: string): Promise<PullRequestInfo | undefined>;
  createPull(repo: RepoRef, input: { title: string; body: string; head: string; base: string; draft: boolean }): Promise<PullRequestInfo>;
  updatePull(repo: RepoRef, number: number, input: { title: string; body: string }): Promise<PullRequestInfo>;
  pull(repo: RepoRef, number: number): Promise<PullRequestInfo>;
  reviewActivity(repo: RepoRef, number: number): Promise<ReviewActivity>;
}

interface PullData {
  number: number;
  html_url: string;
  state: string;
  draft?: boolean;
  head: { ref: string };
  base: { ref: string };
  merged_at: string | null;
  merge_commit_sha: string | null;
}

function pullInfo(data: PullData): PullRequestInfo {
  return {
    number: data.number,
    url: data.html_url,
    state: data.state === 'closed' ? 'closed' : 'open',
    draft: data.draft === true,
    head: data.head.ref,
    base: data.base.ref,
    ...(data.merged_at ? { mergedAt: data.merged_at } : {}),
    ...(data.merged_at && data.merge_commit_sha ? { mergeCommit: data.merge_commit_sha } : {}),
  };
}

const isBot = (user: { type?: string; login?: string } | null | undefined): boolean => user?.type === 'Bot' || /\[bot\]$/.test(user?.login ?? '');

/** Turns a failed request into an error that says who is at fault and what to do. */
export function describeFailure(failure: HttpFailure, context: { what: string; repo?: RepoRef; apiUrl: string }): GitHubError {
  const detail = [failure.message, ...failure.errors].filter(Boolean).join('; ');
  const repo = context.repo ? `${context.repo.owner}/${context.repo.name}` : 'the repository';
  switch (failure.status) {
    case 401:
      return new GitHubError(`GitHub at ${context.apiUrl} refused the token while trying to ${context.what} (401 ${detail}): set GITHUB_TOKEN to a valid token, or sign in with gh auth login`, { status: 401, fault: 'user' });
    case 403:
      return new GitHubError(`the token may not ${context.what} on ${repo} (403 ${detail}): it needs read and write access to pull requests and contents there`, { status: 403, fault: 'user' });
    case 404:
      return new GitHubError(`GitHub has no repository ${repo}, or the token cannot see it (404 while trying to ${context.what}): check the remote or --github-repo, and the token's access`, { status: 404, fault: 'user' });
    case 422:
      return new GitHubError(`GitHub refused to ${context.what} (422 ${detail})`, { status: 422, fault: 'user' });
    default:
      return new GitHubError(`GitHub failed to ${context.what} (${failure.status} ${detail}); try again later`, { status: failure.status, fault: failure.status >= 500 ? 'github' : 'user' });
  }
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const maxWait = options.maxRateLimitWaitMs ?? 60_000;
  const maxRetries = options.maxRateLimitRetries ?? 2;
  const quiet = () => {};
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: apiUrl,
    userAgent: `baton/${VERSION}`,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    request: options.signal ? { signal: options.signal } : {},
  });

  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const failure = httpFailureOf(error);
        const waitMs = failure ? rateLimitDelayMs(failure, Date.now()) : undefined;
        if (failure === undefined || waitMs === undefined) throw error;
        const retryAt = new Date(Date.now() + waitMs);
        if (attempt >= maxRetries || waitMs > maxWait) {
          throw new GitHubRateLimitError(`GitHub's rate limit stops baton (${failure.status} ${failure.message}); try again after ${retryAt.toISOString()}`, { status: failure.status, retryAt });
        }
        options.onRateLimitWait?.(waitMs);
        await delay(waitMs, undefined, options.signal ? { signal: options.signal } : {});
      }
    }
  });

  const call = async <T>(what: string, repo: RepoRef | undefined, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof GitHubError) throw error;
      const failure = httpFailureOf(error);
      if (failure) throw describeFailure(failure, { what, apiUrl, ...(repo ? { repo } : {}) });
      if (options.signal?.aborted) throw error;
      const cause = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
      throw new GitHubError(`could not reach GitHub at ${apiUrl} to ${what}: ${cause}; check the network and the API URL (--api-url)`, { status: 0, fault: 'environment' });
    }
  };

  return {
    apiUrl,
    repository: (repo) =>
      call('read the repository', repo, async () => {
        const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.name });
        return { fullName: data.full_name, defaultBranch: data.default_branch, canPush: data.permissions?.push === true };
      }),
    findOpenPull: (repo, head) =>
      call('list pull requests', repo, async () => {
        const { data } = await octokit.rest.pulls.list({ owner: repo.owner, repo: repo.name, head: `${repo.owner}:${head}`, state: 'open', per_page: 10 });
        const match = data.find((p) => p.head.ref === head);
        return match ? pullInfo(match) : undefined;
      }),
    createPull: (repo, input) =>
      call(`open a pull request from ${input.head} into ${input.base}`, repo, async () => {
        const { data } = await octokit.rest.pulls.create({ owner: repo.owner, repo: repo.name, title: input.title, body: input.body, head: input.head, base: input.base, draft: input.draft, maintainer_can_modify: false });
        return pullInfo(data);
      }),
    updatePull: (repo, number, input) =>
      call(`update pull request #${number}`, repo, async () => {
        const { data } = await octokit.rest.pulls.update({ owner: repo.owner, repo: repo.name, pull_number: number, title: input.title, body: input.body });
        return pullInfo(data);
      }),
    pull: (repo, number) =>
      call(`read pull request #${number}`, repo, async () => pullInfo((await octokit.rest.pulls.get({ owner: repo.owner, repo: repo.name, pull_number: number })).data)),
    reviewActivity: (repo, number) =>
      call(`read the reviews of pull request #${number}`, repo, async () => {
        const params = { owner: repo.owner, repo: repo.name, per_page: 100 };
        const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...params, pull_number: number });
        const diffComments = await octokit.paginate(octokit.rest.pulls.listReviewComments, { ...params, pull_number: number });
        const conversation = await octokit.paginate(octokit.rest.issues.listComments, { ...params, issue_number: number });
        return {
          reviews: reviews
            .filter((r) => !isBot(r.user) && r.state !== 'PENDING')
            .map((r) => ({ state: r.state, user: r.user?.login ?? 'ghost', ...(r.commit_id ? { commit: r.commit_id } : {}), ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}) })),
          diffComments: diffComments.filter((c) => !isBot(c.user)).length,
          conversationComments: conversation.filter((c) => !isBot(c.user)).length,
        };
      }),
  };
}
