// The appliers under comparison, each given a file's text and a patch, answering with the new
// text or a refusal. External tools run in a scratch directory, spawned without a shell.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch } from 'diff';
import { planPatch } from '@baton/mcp-tools';

export type Applied = { ok: true; text: string } | { ok: false };
export type Applier = { name: string; apply(file: string, original: string, patch: string): Promise<Applied> };

export async function batonApply(file: string, original: string, patch: string): Promise<Applied> {
  const plan = await planPatch(patch, async (p) => (p === file ? original : undefined));
  if (!plan.ok) return { ok: false };
  const change = plan.changes[0];
  if (!change) return { ok: false };
  if (change.action === 'unchanged') return { ok: true, text: original };
  return change.action === 'modify' ? { ok: true, text: change.after } : { ok: false };
}

function external(name: string, scratch: string, argv: (patchFile: string) => string[], opts: { git?: boolean } = {}): Applier {
  return {
    name,
    async apply(file, original, patch) {
      const dir = path.join(scratch, name.replace(/\W+/g, '_'));
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), original);
      const patchFile = path.join(scratch, `${name.replace(/\W+/g, '_')}.patch`);
      writeFileSync(patchFile, patch);
      if (opts.git) spawnSync('git', ['init', '-q'], { cwd: dir });
      const [cmd, ...args] = argv(patchFile);
      const result = spawnSync(cmd!, args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, GIT_CONFIG_NOSYSTEM: '1' } });
      if (result.status !== 0) return { ok: false };
      return { ok: true, text: readFileSync(path.join(dir, file), 'utf8') };
    },
  };
}

export function appliers(scratch: string): Applier[] {
  return [
    { name: 'baton apply_diff', apply: batonApply },
    external('git apply', scratch, (p) => ['git', 'apply', '--whitespace=nowarn', p], { git: true }),
    external('git apply --recount', scratch, (p) => ['git', 'apply', '--recount', '--whitespace=nowarn', p], { git: true }),
    external('GNU patch --fuzz=2', scratch, (p) => ['patch', '-p1', '--fuzz=2', '--batch', '--forward', '--no-backup-if-mismatch', '-r', '-', '-i', p]),
    {
      name: 'jsdiff applyPatch fuzz 2',
      async apply(_file, original, patch) {
        try {
          const out = applyPatch(original, patch, { fuzzFactor: 2 });
          return out === false ? { ok: false } : { ok: true, text: out };
        } catch {
          return { ok: false };
        }
      },
    },
  ];
}
