#!/usr/bin/env node
// Builds the three packages and packs each into a tarball, as `npm publish` would upload it.
// pnpm packs, not npm: it applies each package.json's publishConfig (exports, types and engines of
// the built dist/ instead of the TypeScript sources the workspace runs) and turns `workspace:*`
// dependencies into the exact versions. Usage:
//   node scripts/pack-packages.mjs [--out DIR] [--no-build] [--json]
// Prints one tarball path a line (or a JSON array), in dependency order.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPackages, PACKAGES, REPO_ROOT } from './build-packages.mjs';

const PNPM = path.join(REPO_ROOT, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');

/** The file name npm and pnpm give a package's tarball: @scope/name@v -> scope-name-v.tgz. */
export function tarballName(name, version) {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

export async function packPackages({ out, build = true, quiet = false }) {
  if (!existsSync(PNPM)) throw new Error(`pnpm is not installed at ${PNPM}: run npm run setup first`);
  if (build) await buildPackages({ quiet });
  mkdirSync(out, { recursive: true });
  const tarballs = [];
  for (const name of PACKAGES) {
    const dir = path.join(REPO_ROOT, 'packages', name);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    if (!existsSync(path.join(dir, 'dist'))) throw new Error(`${manifest.name} has no dist/: build it first (node scripts/build-packages.mjs)`);
    const result = spawnSync(process.execPath, [PNPM, 'pack', '--pack-destination', out], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`pnpm pack failed for ${manifest.name} (exit ${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
    const tarball = path.join(out, tarballName(manifest.name, manifest.version));
    if (!existsSync(tarball)) throw new Error(`pnpm pack did not write ${tarball}:\n${result.stdout}`);
    tarballs.push(tarball);
  }
  return tarballs;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = path.resolve(outAt >= 0 && args[outAt + 1] ? args[outAt + 1] : path.join(REPO_ROOT, 'dist-packages'));
  try {
    const tarballs = await packPackages({ out, build: !args.includes('--no-build'), quiet: args.includes('--json') });
    process.stdout.write(args.includes('--json') ? `${JSON.stringify(tarballs)}\n` : `${tarballs.join('\n')}\n`);
  } catch (error) {
    process.stderr.write(`[pack] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
