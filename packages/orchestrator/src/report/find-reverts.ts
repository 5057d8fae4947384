// Regressions found after the fact: commits on the base branch that revert or fix up a run's
// commits, recognised by the run's `Baton-Run` trailers. A revert is git's "This reverts
// commit <sha>"; a fix-up is `git commit --fixup` ("fixup!/amend!/squash! <subject>"), a
// `Fixes: <sha>` trailer, or a `Baton-Fixes: <run>` trailer people add by hand.
import { git } from '../git/run-git.ts';

export interface BaseBranchFinding {
  kind: 'revert' | 'fixup';
  commit: string;
  subject: string;
  targets: string[];
  committedAt: string;
}

interface LoggedCommit {
  sha: string;
  committedAt: string;
  subject: string;
  body: string;
}

const RECORD = '\u001e';
const FIELD = '\u001f';

async function logOf(repo: string, ref: string, since?: string): Promise<LoggedCommit[]> {
  const args = ['log', `--format=${RECORD}%H${FIELD}%cI${FIELD}%s${FIELD}%B`, ...(since ? [`--since=${since}`] : []), ref, '--'];
  const out = (await git(args, { cwd: repo })).stdout;
  return out
    .split(RECORD)
    .filter((r) => r.trim() !== '')
    .map((r) => {
      const [sha = '', committedAt = '', subject = '', body = ''] = r.split(FIELD);
      return { sha: sha.trim(), committedAt, subject, body };
    });
}

function trailerValues(body: string, key: string): string[] {
  return [...body.matchAll(new RegExp(`^${key}:[ \\t]*(.+?)\\s*$`, 'gmi'))].map((m) => m[1]!);
}

/**
 * Commits on `ref` that revert or fix the run's work. `knownCommits` adds commits that carry no
 * trailer on the base branch (the pull request's merge commit, run branch commits).
 */
export async function findRevertsAndFixups(options: { repo: string; runId: string; ref: string; knownCommits?: readonly string[]; since?: string }): Promise<BaseBranchFinding[]> {
  const commits = await logOf(options.repo, options.ref, options.since);
  const ours = commits.filter((c) => trailerValues(c.body, 'Baton-Run').includes(options.runId));
  const shas = new Set([...ours.map((c) => c.sha), ...(options.knownCommits ?? [])].map((s) => s.toLowerCase()));
  const subjects = new Map(ours.map((c) => [c.subject.trim(), c.sha]));
  const named = (prefix: string): string | undefined => {
    const p = prefix.toLowerCase();
    if (p.length < 7) return undefined;
    for (const sha of shas) if (sha.startsWith(p)) return sha;
    return undefined;
  };
  const findings: BaseBranchFinding[] = [];
  for (const c of commits) {
    if (shas.has(c.sha.toLowerCase())) continue;
    const reverted = [...c.body.matchAll(/This reverts commit ([0-9a-f]{7,40})/gi)].map((m) => named(m[1]!)).filter((s): s is string => s !== undefined);
    if (reverted.length > 0) {
      findings.push({ kind: 'revert', commit: c.sha, subject: c.subject, targets: [...new Set(reverted)], committedAt: c.committedAt });
      continue;
    }
    const targets = new Set<string>();
    const fixupOf = /^(?:fixup|amend|squash)! (.+)$/.exec(c.subject.trim())?.[1];
    const bySubject = fixupOf !== undefined ? subjects.get(fixupOf.trim()) : undefined;
    if (bySubject) targets.add(bySubject);
    for (const value of trailerValues(c.body, 'Fixes')) {
      const sha = /^([0-9a-f]{7,40})\b/i.exec(value)?.[1];
      const hit = sha ? named(sha) : undefined;
      if (hit) targets.add(hit);
    }
    if (trailerValues(c.body, 'Baton-Fixes').includes(options.runId)) targets.add(options.runId);
    if (targets.size > 0) findings.push({ kind: 'fixup', commit: c.sha, subject: c.subject, targets: [...targets], committedAt: c.committedAt });
  }
  return findings.reverse();
}
