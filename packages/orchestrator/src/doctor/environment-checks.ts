// Checks of the machine: Node, git, bubblewrap with user namespaces, ripgrep.
import { spawnSync } from 'node:child_process';
import { ripgrepPath, sandboxStatus } from '@baton/mcp-tools';
import type { CheckResult, DoctorCheck } from './doctor-check.ts';

const MIN_NODE: readonly [number, number] = [22, 18];

export function nodeCheck(version: string = process.versions.node): DoctorCheck {
  return {
    name: 'node',
    async run(): Promise<CheckResult> {
      const [major = 0, minor = 0] = version.split('.').map(Number);
      const old = major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1]);
      if (old) return { name: 'node', status: 'fail', detail: `Node ${version}`, fix: `baton needs Node >= ${MIN_NODE.join('.')} (24 LTS recommended); run baton through this repository's npm scripts, which provision Node 24, or install Node 24` };
      if (major < 24) return { name: 'node', status: 'warn', detail: `Node ${version}`, fix: 'baton targets Node 24 LTS; it runs on this version, but 24 is what it is tested on' };
      return { name: 'node', status: 'ok', detail: `Node ${version}` };
    },
  };
}

export function gitCheck(): DoctorCheck {
  return {
    name: 'git',
    async run(): Promise<CheckResult> {
      const out = spawnSync('git', ['--version'], { encoding: 'utf8' });
      if (out.error || out.status !== 0) return { name: 'git', status: 'fail', detail: `git did not run (${out.error?.message ?? out.stderr.trim()})`, fix: 'install git 2.30 or later and put it on PATH (Debian: apt-get install git)' };
      const version = /(\d+)\.(\d+)/.exec(out.stdout);
      const [major, minor] = version ? [Number(version[1]), Number(version[2])] : [0, 0];
      if (major < 2 || (major === 2 && minor < 30)) return { name: 'git', status: 'fail', detail: out.stdout.trim(), fix: 'baton needs git 2.30 or later (worktrees, --no-optional-locks); upgrade git' };
      return { name: 'git', status: 'ok', detail: out.stdout.trim() };
    },
  };
}

export function sandboxCheck(): DoctorCheck {
  return {
    name: 'sandbox (bubblewrap)',
    async run(): Promise<CheckResult> {
      const status = sandboxStatus();
      if (status.available) return { name: 'sandbox (bubblewrap)', status: 'ok', detail: `${status.bwrap} creates user, pid, network and mount namespaces` };
      return {
        name: 'sandbox (bubblewrap)',
        status: 'fail',
        detail: status.reason,
        fix: 'install bubblewrap (Debian: apt-get install bubblewrap) and allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or in containers run with user namespaces allowed); otherwise tests cannot run sandboxed and run_tests refuses them',
      };
    },
  };
}

export function ripgrepCheck(): DoctorCheck {
  return {
    name: 'ripgrep',
    async run(): Promise<CheckResult> {
      const rg = ripgrepPath();
      const out = spawnSync(rg, ['--version'], { encoding: 'utf8' });
      if (out.error || out.status !== 0) return { name: 'ripgrep', status: 'fail', detail: `${rg} did not run (${out.error?.message ?? out.stderr.trim()})`, fix: 'reinstall dependencies (npm run setup) so @vscode/ripgrep brings its binary, or install ripgrep (Debian: apt-get install ripgrep)' };
      return { name: 'ripgrep', status: 'ok', detail: `${out.stdout.split('\n')[0]} (${rg})` };
    },
  };
}
