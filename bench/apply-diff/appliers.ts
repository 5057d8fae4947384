// The appliers under comparison, each given the files before and a patch, answering with the
// files after (null: deleted) or a refusal. External tools run in a fresh scratch directory,
// spawned with argument arrays (no shell) and a minimal environment.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyPatch, parsePatch as jsdiffParsePatch } from 'diff';
import { planPatch } from '@baton/mcp-tools';

export type Files = Record<string, string | null>;
export type Applied = { ok: true; files: Files } | { ok: false };
export interface Applier {
  name: string;
  /** `paths`: every path whose result is compared (the files before and the files expected after). */
  apply(before: Record<string, string>, patch: string, paths: readonly string[]): Promise<Applied>;
}

export async function batonApply(before: Record<string, string>, patch: string, paths: readonly string[]): Promise<Applied> {
  const plan = await planPatch(patch, async (p) => before[p]);
  if (!plan.ok) return { ok: false };
  const files: Files = Object.fromEntries(paths.map((p) => [p, before[p] ?? null]));
  for (const change of plan.changes) {
    if (change.action === 'modify' || change.action === 'create') files[change.path] = change.after;
    else if (change.action === 'delete') files[change.path] = null;
  }
  return { ok: true, files };
}

function external(name: string, scratch: string, argv: (patchFile: string) => string[]): Applier {
  const slug = name.replace(/\W+/g, '_');
  return {
    name,
    async apply(before, patch, paths) {
      const dir = path.join(scratch, slug);
      rmSync(dir, { recursive: true, force: true });
      for (const [file, text] of Object.entries(before)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      mkdirSync(dir, { recursive: true });
      const patchFile = path.join(scratch, `${slug}.patch`);
      writeFileSync(patchFile, patch);
      const [cmd, ...args] = argv(patchFile);
      // GIT_CEILING_DIRECTORIES keeps git apply from finding a repository above the scratch dir.
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_CEILING_DIRECTORIES: scratch };
      const result = spawnSync(cmd!, args, { cwd: dir, encoding: 'utf8', env });
      if (result.status !== 0) return { ok: false };
      const files: Files = {};
      for (const p of paths) files[p] = existsSync(path.join(dir, p)) ? readFileSync(path.join(dir, p), 'utf8') : null;
      return { ok: true, files };
    },
  };
}

const strip = (name: string | undefined) => (name === undefined || name === '/dev/null' ? undefined : name.replace(/^[ab]\//, ''));

/** jsdiff reads every file section of the patch and applies each with fuzzFactor 2. */
async function jsdiffApply(before: Record<string, string>, patch: string, paths: readonly string[]): Promise<Applied> {
  try {
    const files: Files = Object.fromEntries(paths.map((p) => [p, before[p] ?? null]));
    for (const section of jsdiffParsePatch(patch)) {
      const oldPath = strip(section.oldFileName);
      const newPath = strip(section.newFileName);
      const source = oldPath === undefined ? '' : files[oldPath];
      if (source === null || source === undefined) return { ok: false };
      const out = applyPatch(source, section, { fuzzFactor: 2 });
      if (out === false) return { ok: false };
      if (newPath === undefined) files[oldPath!] = null;
      else files[newPath] = out;
    }
    return { ok: true, files };
  } catch {
    return { ok: false };
  }
}

export function appliers(scratch: string): Applier[] {
  return [
    { name: 'baton apply_diff', apply: batonApply },
    external('git apply', scratch, (p) => ['git', 'apply', '--whitespace=nowarn', p]),
    external('git apply --recount', scratch, (p) => ['git', 'apply', '--recount', '--whitespace=nowarn', p]),
    external('GNU patch --fuzz=2', scratch, (p) => ['/usr/bin/patch', '-p1', '--fuzz=2', '--batch', '--forward', '--no-backup-if-mismatch', '-r', '-', '-i', p]),
    { name: 'jsdiff applyPatch fuzz 2', apply: jsdiffApply },
  ];
}
