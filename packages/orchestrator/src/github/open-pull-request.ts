// Opens the run's pull request, or updates the one already open from its branch: a later
// `baton pr` (after a resume, a rework or a new regression check) refreshes title and body
// instead of failing. GitHub's 422 "already exists" (a pull request the list did not show
// yet) is answered by finding it and updating it.
import type { GitHubClient, PullRequestInfo } from './github-client.ts';
import { GitHubError } from './github-errors.ts';
import type { RepoRef } from './github-remote.ts';

export interface OpenPullRequestInput {
  client: GitHubClient;
  repo: RepoRef;
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
}

export interface OpenedPullRequest extends PullRequestInfo {
  action: 'opened' | 'updated';
}

export async function openOrUpdatePullRequest(input: OpenPullRequestInput): Promise<OpenedPullRequest> {
  const { client, repo, head } = input;
  const update = async (pull: PullRequestInfo): Promise<OpenedPullRequest> => {
    if (pull.base !== input.base) {
      throw new GitHubError(`pull request #${pull.number} from ${head} already targets ${pull.base}, not ${input.base}; close it on GitHub or pass --base ${pull.base}`, { status: 409, fault: 'user' });
    }
    return { ...(await client.updatePull(repo, pull.number, { title: input.title, body: input.body })), action: 'updated' };
  };
  const existing = await client.findOpenPull(repo, head);
  if (existing) return update(existing);
  try {
    return { ...(await client.createPull(repo, { title: input.title, body: input.body, head, base: input.base, draft: input.draft })), action: 'opened' };
  } catch (error) {
    if (!(error instanceof GitHubError) || error.status !== 422) throw error;
    if (/already exists/i.test(error.message)) {
      const found = await client.findOpenPull(repo, head);
      if (found) return update(found);
    }
    if (/\bbase invalid\b/.test(error.message)) {
      throw new GitHubError(`${error.message}: the base branch ${input.base} does not exist on GitHub; push it first or pass --base <branch>`, { status: 422, fault: 'user' });
    }
    if (/\bhead invalid\b/.test(error.message)) {
      throw new GitHubError(`${error.message}: GitHub does not have the branch ${head}; it must be pushed to the same repository first`, { status: 422, fault: 'user' });
    }
    throw error;
  }
}
