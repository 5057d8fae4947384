// Integration for a run whose tasks run on worker nodes: merges happen here as for any run, and
// the run branch's tip is also kept on the git remote (refs/baton/<run>/tip), so an orchestrator
// resumed on another machine finds the commits the log names. Before work starts, what the log
// says the branch is at is fetched from the remote when this repository does not have it.
import { git } from '../git/run-git.ts';
import type { IntegrationPort } from '../run/engine-ports.ts';
import { createRunBranch } from '../run/git-integration.ts';
import { runBranchRef } from '../workspace/baton-paths.ts';
import { fetchRefs, pushMovingRef, remoteTipRef, type RemoteRetry } from './git-remote.ts';

async function hasCommit(repo: string, commit: string): Promise<boolean> {
  return (await git(['cat-file', '-e', `${commit}^{commit}`], { cwd: repo, allowFailure: true })).exitCode === 0;
}

export function remoteIntegration(inner: IntegrationPort, options: { repo: string; remote: string; retry?: RemoteRetry }): IntegrationPort {
  const { repo, remote } = options;
  const retry = options.retry ? { retry: options.retry } : {};
  const publish = async (runId: string) => {
    const tip = await inner.tip(runId);
    await pushMovingRef({ cwd: repo, remote, ref: remoteTipRef(runId), commit: tip, what: 'record the run branch’s tip', ...retry });
  };
  return {
    async prepare(runId, tip) {
      if (!(await hasCommit(repo, tip))) await fetchRefs({ cwd: repo, remote, refs: [remoteTipRef(runId)], what: 'fetch the run branch’s tip', ...retry });
      const branch = await git(['rev-parse', '--verify', '--quiet', runBranchRef(runId)], { cwd: repo, allowFailure: true });
      if (branch.exitCode !== 0) await createRunBranch(repo, runId, tip);
      await inner.prepare(runId, tip);
      await publish(runId);
    },
    tip: (runId) => inner.tip(runId),
    async integrate(input) {
      const result = await inner.integrate(input);
      if (result.kind === 'merged') await publish(input.runId);
      return result;
    },
    async reset(input) {
      await inner.reset(input);
      await publish(input.runId);
    },
    checkoutDir: (runId) => inner.checkoutDir(runId),
  };
}
