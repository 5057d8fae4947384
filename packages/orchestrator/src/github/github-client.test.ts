// The GitHub client against a local server that checks every request against GitHub's
// OpenAPI description and answers as GitHub does, errors included.
import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from './github-client.ts';
import { GitHubError, GitHubRateLimitError } from './github-errors.ts';
import { openOrUpdatePullRequest } from './open-pull-request.ts';
import { reviewStatsEvent } from './review-stats.ts';
import { startFakeGitHub, type FakeGitHub } from './testing/fake-github.ts';

const TOKEN = 'ghp_test0123456789abcdefghijklmnopqrstuv';
const repo = { owner: 'octo', name: 'app' };
let fake: FakeGitHub;

afterEach(async () => {
  expect(fake.violations).toEqual([]);
  await fake.close();
});

const start = async (options: { prefix?: string; branches?: string[] } = {}) => {
  const branches = options.branches;
  fake = await startFakeGitHub({ token: TOKEN, prefix: options.prefix ?? '', repos: [{ ...repo, ...(branches ? { branchExists: (b: string) => branches.includes(b) } : {}) }] });
  return createGitHubClient({ apiUrl: fake.apiUrl, token: TOKEN });
};

const open = (client: ReturnType<typeof createGitHubClient>, body = 'first body', draft = true) =>
  openOrUpdatePullRequest({ client, repo, head: 'baton/r1', base: 'main', title: 'Add CSV export', body, draft });

describe('GitHub client', () => {
  it('opens a draft pull request, then updates it on the next call', async () => {
    const client = await start();
    const first = await open(client);
    expect(first).toMatchObject({ action: 'opened', number: 1, draft: true, head: 'baton/r1', base: 'main', url: 'https://github.com/octo/app/pull/1' });
    const second = await open(client, 'second body');
    expect(second).toMatchObject({ action: 'updated', number: 1 });
    expect(fake.pull(1)).toMatchObject({ body: 'second body', draft: true });
    expect(fake.requests.map((r) => `${r.method} ${r.operationId} ${r.status}`)).toEqual(['GET pulls/list 200', 'POST pulls/create 201', 'GET pulls/list 200', 'PATCH pulls/update 200']);
    expect(fake.requests[0]!.query).toBe('?head=octo%3Abaton%2Fr1&state=open&per_page=10');
    expect(fake.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('works under a GitHub Enterprise Server API root', async () => {
    const client = await start({ prefix: '/api/v3' });
    expect(fake.apiUrl).toMatch(/\/api\/v3$/);
    expect((await open(client, 'body', false)).draft).toBe(false);
    expect(await client.repository(repo)).toEqual({ fullName: 'octo/app', defaultBranch: 'main', canPush: true });
    expect(fake.requests.every((r) => r.path.startsWith('/api/v3/'))).toBe(true);
  });

  it('updates the open pull request when GitHub answers 422 "already exists" to the create', async () => {
    const client = await start();
    await open(client);
    // The list lags behind (as GitHub's can): it shows nothing, so the client tries to create.
    fake.queue({ method: 'GET', path: '/repos/octo/app/pulls', status: 200, body: [] });
    const again = await open(client, 'after the race');
    expect(again).toMatchObject({ action: 'updated', number: 1 });
    expect(fake.requests.map((r) => `${r.operationId} ${r.status}`)).toEqual(['pulls/list 200', 'pulls/create 201', 'pulls/list 200', 'pulls/create 422', 'pulls/list 200', 'pulls/update 200']);
    expect(fake.pull(1).body).toBe('after the race');
  });

  it('says the base branch is missing when GitHub finds it invalid', async () => {
    const client = await start({ branches: ['baton/r1'] });
    const error = await open(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).message).toMatch(/422 Validation Failed; PullRequest base invalid.*the base branch main does not exist on GitHub/);
  });

  it('reports a missing repository (404) as the user\'s to fix', async () => {
    const client = await start();
    const error = await client.repository({ owner: 'octo', name: 'missing' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect(error).toMatchObject({ status: 404, fault: 'user' });
    expect((error as Error).message).toContain('GitHub has no repository octo/missing, or the token cannot see it');
  });

  it('reports a refused token (401) without showing it', async () => {
    fake = await startFakeGitHub({ token: TOKEN, repos: [repo] });
    const client = createGitHubClient({ apiUrl: fake.apiUrl, token: 'ghp_wrong_token_value' });
    const error = (await client.repository(repo).catch((e: unknown) => e)) as GitHubError;
    expect(error).toMatchObject({ status: 401, fault: 'user' });
    expect(error.message).toContain('refused the token');
    expect(error.message).not.toContain('ghp_wrong_token_value');
    expect(JSON.stringify(error)).not.toContain('ghp_wrong_token_value');
  });

  it('waits out a 403 secondary rate limit with retry-after, then succeeds', async () => {
    const client = await start();
    const waits: number[] = [];
    const patient = createGitHubClient({ apiUrl: fake.apiUrl, token: TOKEN, onRateLimitWait: (ms) => waits.push(ms) });
    fake.queue({ method: 'GET', path: '/repos/octo/app', status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api', status: '403' } });
    expect(await patient.repository(repo)).toMatchObject({ fullName: 'octo/app' });
    expect(waits).toEqual([1000]);
    expect(fake.requests.map((r) => r.status)).toEqual([403, 200]);
    void client;
  });

  it('gives up with the time to retry when the primary rate limit resets too late', async () => {
    const client = await start();
    const reset = Math.floor(Date.now() / 1000) + 3600;
    fake.queue({ method: 'GET', path: '/repos/octo/app', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, body: { message: 'API rate limit exceeded for user ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api', status: '403' } });
    const error = (await client.repository(repo).catch((e: unknown) => e)) as GitHubRateLimitError;
    expect(error).toBeInstanceOf(GitHubRateLimitError);
    expect(error.fault).toBe('environment');
    expect(error.retryAt.getTime()).toBe(reset * 1000);
    expect(error.message).toContain(`try again after ${new Date(reset * 1000).toISOString()}`);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports an unreachable API as an environment problem', async () => {
    fake = await startFakeGitHub({ token: TOKEN, repos: [repo] });
    const url = fake.apiUrl;
    await fake.close();
    const client = createGitHubClient({ apiUrl: url, token: TOKEN });
    const error = (await client.repository(repo).catch((e: unknown) => e)) as GitHubError;
    expect(error).toMatchObject({ status: 0, fault: 'environment' });
    expect(error.message).toContain(`could not reach GitHub at ${url}`);
    fake = await startFakeGitHub({ token: TOKEN, repos: [repo] });
  });

  it('counts review comments, reviews and rounds by people, not bots', async () => {
    const client = await start();
    const pr = await open(client, 'body', false);
    const pull = fake.pull(pr.number);
    pull.reviews.push(
      { id: 1, state: 'CHANGES_REQUESTED', user: 'alice', commit: 'a'.repeat(40), submittedAt: '2026-11-20T10:00:00Z' },
      { id: 2, state: 'COMMENTED', user: 'bob', commit: 'a'.repeat(40), submittedAt: '2026-11-20T11:00:00Z' },
      { id: 3, state: 'COMMENTED', user: 'lint[bot]', bot: true, commit: 'a'.repeat(40), submittedAt: '2026-11-20T11:00:00Z' },
      { id: 4, state: 'APPROVED', user: 'alice', commit: 'b'.repeat(40), submittedAt: '2026-11-21T09:00:00Z' },
    );
    pull.diffComments.push({ user: 'alice' }, { user: 'alice' }, { user: 'bob' }, { user: 'codecov[bot]', bot: true });
    pull.conversationComments.push({ user: 'carol' }, { user: 'ci', bot: true });
    pull.state = 'closed';
    pull.mergedAt = '2026-11-21T10:00:00Z';
    pull.mergeCommit = 'c'.repeat(40);
    const info = await client.pull(repo, pr.number);
    const stats = reviewStatsEvent(info, await client.reviewActivity(repo, pr.number));
    expect(stats).toEqual({ type: 'pr_review_stats', number: 1, state: 'merged', reviews: 3, reviewRounds: 2, reviewComments: 4, diffComments: 3, conversationComments: 1, changesRequested: 1, approvals: 1, mergedAt: '2026-11-21T10:00:00Z', mergeCommit: 'c'.repeat(40) });
  });
});

describe('the fake GitHub itself', () => {
  it('flags requests GitHub would not accept', async () => {
    fake = await startFakeGitHub({ token: TOKEN, repos: [repo] });
    const post = (path: string, body: unknown) => fetch(`${fake.apiUrl}${path}`, { method: 'POST', headers: { authorization: `token ${TOKEN}`, accept: 'application/vnd.github+json', 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post('/repos/octo/app/pulls', { title: 7, head: 'x', base: 'main', draft: 'yes', colour: 'red' });
    await post('/repos/octo/app/no-such-endpoint', {});
    expect(fake.violations).toEqual([
      'pulls/create: body/title: must be string',
      'pulls/create: body/draft: must be boolean',
      "POST /repos/octo/app/no-such-endpoint is not an operation in GitHub's description",
    ]);
    fake.violations.length = 0;
  });
});
