// Creates a throwaway directory tree for tests; `files` maps relative paths to contents.
import { mkdtemp, mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempRepo {
  /** Real absolute path of the repository root. */
  root: string;
  /** A sibling directory outside the root, for escape attempts. */
  outside: string;
  write(rel: string, content: string | Uint8Array): Promise<void>;
  cleanup(): Promise<void>;
}

export async function makeTempRepo(files: Record<string, string | Uint8Array> = {}): Promise<TempRepo> {
  const base = await realpath(await mkdtemp(path.join(tmpdir(), 'baton-test-')));
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'repo-other');
  await mkdir(root);
  await mkdir(outside);
  const write = async (rel: string, content: string | Uint8Array) => {
    const abs = path.join(root, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  };
  for (const [rel, content] of Object.entries(files)) await write(rel, content);
  return { root, outside, write, cleanup: () => rm(base, { recursive: true, force: true }) };
}
