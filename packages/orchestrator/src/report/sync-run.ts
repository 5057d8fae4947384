// `baton sync`: what happened to a run after baton handed it over. Review figures come from
// the run's pull request on GitHub; reverts and fix-ups of its commits from the base branch
// (optionally fetched first). New facts are recorded as pilot events; unchanged ones are not.
import { createGitHubClient } from '../github/github-client.ts';
import { hostOfApiUrl, parseRepoRef, webOriginOfApiUrl, parseRemoteUrl } from '../github/github-remote.ts';
import { githubToken } from '../github/github-token.ts';
import { authHeaderEnv } from '../github/push-run-branch.ts';
import { reviewStatsEvent } from '../github/review-stats.ts';
import { git } from '../git/run-git.ts';
import type { RunStore } from '../store/run-store.ts';
import { findRevertsAndFixups } from './find-reverts.ts';
import { latestEvent, recordPilotEvent } from './record-pilot-event.ts';

export interface SyncResult {
  runId: string;
  review?: { number: number; state: string; reviewComments: number; reviewRounds: number; changed: boolean };
  /** Branch scanned for reverts and fix-ups, if any. */
  scanned?: string;
  newFindings: number;
  problems: string[];
}

/** The same figures, whatever the key order and the stored event's seq and time. */
function sameFacts(stored: Readonly<Record<string, unknown>>, fresh: Readonly<Record<string, unknown>>): boolean {
  const canonical = (o: Readonly<Record<string, unknown>>) => JSON.stringify(Object.entries(o).filter(([k]) => k !== 'runId' && k !== 'seq' && k !== 'at').sort(([a], [b]) => a.localeCompare(b)));
  return canonical(stored) === canonical(fresh);
}

async function refExists(repo: string, ref: string): Promise<boolean> {
  return (await git(['rev-parse', '--verify', '--quiet', ref], { cwd: repo, allowFailure: true })).exitCode === 0;
}

export async function syncRun(options: { repo: string; store: RunStore; runId: string; fetch: boolean; env?: Readonly<Record<string, string | undefined>> }): Promise<SyncResult> {
  const { store, runId, repo } = options;
  const env = options.env ?? process.env;
  const result: SyncResult = { runId, newFindings: 0, problems: [] };
  const state = await store.state(runId);
  const pr = latestEvent(await store.events(runId), 'pull_request');
  let token: string | undefined;

  if (pr) {
    try {
      token = (await githubToken({ host: hostOfApiUrl(pr.apiUrl), env })).token;
      const client = createGitHubClient({ apiUrl: pr.apiUrl, token });
      const repoRef = parseRepoRef(pr.repo);
      const pull = await client.pull(repoRef, pr.number);
      const stats = reviewStatsEvent(pull, await client.reviewActivity(repoRef, pr.number));
      const before = latestEvent(await store.events(runId), 'pr_review_stats');
      const changed = before === undefined || !sameFacts(before, stats);
      if (changed) await recordPilotEvent(store, runId, stats);
      result.review = { number: stats.number, state: stats.state, reviewComments: stats.reviewComments, reviewRounds: stats.reviewRounds, changed };
    } catch (error) {
      result.problems.push(`pull request #${pr.number}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const base = pr?.base ?? state.baseBranch;
  if (base === undefined) return result;
  const remote = pr?.remote ?? 'origin';
  if (options.fetch) {
    const url = (await git(['remote', 'get-url', remote], { cwd: repo, allowFailure: true })).stdout.trim();
    const target = parseRemoteUrl(url);
    const origin = target.host && (target.transport === 'https' || target.transport === 'http') ? `${target.transport}://${target.host}` : undefined;
    const auth = pr && token && origin && origin.toLowerCase() === webOriginOfApiUrl(pr.apiUrl).toLowerCase() ? authHeaderEnv(origin, token) : {};
    const fetched = await git(['fetch', '--quiet', remote, `+refs/heads/${base}:refs/remotes/${remote}/${base}`], { cwd: repo, env: auth, allowFailure: true });
    if (fetched.exitCode !== 0) result.problems.push(`git fetch ${remote} ${base} failed: ${fetched.stderr.trim().split('\n').at(-1) ?? ''}`);
  }
  const candidates = [`refs/remotes/${remote}/${base}`, `refs/heads/${base}`];
  let ref: string | undefined;
  for (const c of candidates) if (await refExists(repo, c)) { ref = c; break; }
  if (!ref) return result;
  result.scanned = ref.replace(/^refs\/(heads|remotes)\//, '');
  const events = await store.events(runId);
  const known = events.flatMap((e) => (e.type === 'merge_result' && e.commit ? [e.commit] : e.type === 'pr_review_stats' && e.mergeCommit ? [e.mergeCommit] : []));
  const since = new Date(Date.parse(state.createdAt) - 24 * 3600 * 1000).toISOString();
  const recorded = new Set(events.flatMap((e) => (e.type === 'regression_found' ? [e.commit] : [])));
  for (const finding of await findRevertsAndFixups({ repo, runId, ref, knownCommits: known, since })) {
    if (recorded.has(finding.commit)) continue;
    await recordPilotEvent(store, runId, { type: 'regression_found', kind: finding.kind, commit: finding.commit, subject: finding.subject, targets: finding.targets, branch: result.scanned, committedAt: finding.committedAt });
    result.newFindings++;
  }
  return result;
}
