// The files an `rg --files` run lists that count: readable under the grant, kept by the caller's
// filter, and regular files when walked again by descriptor (ripgrep walks by name, so a folder
// swapped for a symlink mid-walk lists nothing). Sorted; stops ripgrep once `max` are in hand.
import type { RootHandle } from '../confine/beneath.ts';
import { createPathVerifier } from '../confine/path-verifier.ts';
import type { Grant } from '../grant.ts';
import { canRead } from '../permissions.ts';
import type { RipgrepRun } from './ripgrep.ts';

export interface VerifiedListing {
  /** Root-relative paths, sorted. */
  files: string[];
  /** More files existed than `max`. */
  truncated: boolean;
}

export async function verifiedListing(input: { run: RipgrepRun; root: RootHandle; grant: Grant; keep: (rel: string) => boolean; max: number }): Promise<VerifiedListing> {
  const verifier = createPathVerifier(input.root);
  const files: string[] = [];
  let truncated = false;
  try {
    for await (const line of input.run.lines) {
      const rel = line.startsWith('./') ? line.slice(2) : line;
      if (!input.keep(rel) || !canRead(input.grant, rel) || !verifier.regularFile(rel)) continue;
      if (files.length >= input.max) {
        truncated = true;
        break;
      }
      files.push(rel);
    }
    if (!truncated) await input.run.done;
  } finally {
    verifier.close();
  }
  files.sort();
  return { files, truncated };
}
