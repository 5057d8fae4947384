// Reads a package tarball without installing it: its file list and its package.json (`tar`, with
// an argument array).
import { spawnSync } from 'node:child_process';

export function tarballEntries(tarball) {
  const result = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`tar could not list ${tarball}: ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean).map((entry) => entry.replace(/^package\//, ''));
}

export function tarballManifest(tarball) {
  const result = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tar could not read package.json from ${tarball}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Every file an `exports` map can point at (conditions and subpaths flattened; patterns kept as written). */
export function exportTargets(exportsField) {
  if (typeof exportsField === 'string') return [exportsField];
  if (exportsField === null || typeof exportsField !== 'object') return [];
  return Object.values(exportsField).flatMap(exportTargets);
}
