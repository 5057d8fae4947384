// What is wrong with one packed package, judged against the sources it was built from: its
// manifest, files it must not ship, and files it must (built assets, the demo's examples, schemas).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { exportTargets, tarballEntries, tarballManifest } from './tarball.mjs';

/** Files under a package's src/ that its build copies to dist/ as they are (not compiled, not tests). */
function sourceAssets(repoRoot, name) {
  const src = path.join(repoRoot, 'packages', name, 'src');
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (!/\.test\.[cm]?[jt]s$/.test(entry.name) && (entry.name.endsWith('.d.ts') || !/\.[cm]?ts$/.test(entry.name))) found.push(path.relative(src, file).split(path.sep).join('/'));
    }
  };
  walk(src);
  return found;
}

function trackedFiles(repoRoot, dir) {
  const result = spawnSync('git', ['ls-files', '-z', '--', dir], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ls-files ${dir} failed: ${result.stderr}`);
  return result.stdout.split('\0').filter(Boolean);
}

/** What is wrong with one packed package, as a list of problems (empty when nothing is). */
export function tarballProblems({ repoRoot, name, tarball }) {
  const problems = [];
  const entries = new Set(tarballEntries(tarball));
  const has = (file) => entries.has(file.replace(/^\.\//, ''));
  const manifest = tarballManifest(tarball);
  if (manifest.license !== 'MIT') problems.push(`license is ${manifest.license}, not MIT`);
  if (!has('LICENSE')) problems.push('no LICENSE file');
  if (!has('README.md')) problems.push('no README.md');
  if (!manifest.engines?.node) problems.push('no engines.node');
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) if (String(range).startsWith('workspace:')) problems.push(`${field}.${dep} is ${range}`);
  }
  for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) if (manifest.scripts?.[script]) problems.push(`runs a ${script} script`);
  for (const target of [...exportTargets(manifest.exports), ...Object.values(manifest.bin ?? {})]) {
    const file = target.replace(/^\.\//, '');
    const present = file.includes('*') ? [...entries].some((entry) => entry.startsWith(file.slice(0, file.indexOf('*')))) : has(file);
    if (!present) problems.push(`exports or bin name ${target}, which is not in the tarball`);
  }
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target === 'object' && target !== null && 'default' in target && !('types' in target)) problems.push(`exports["${subpath}"] has no types`);
  }
  for (const entry of entries) {
    if (entry.startsWith('src/')) problems.push(`ships a source file: ${entry}`);
    else if (entry.startsWith('dist/') && /\.test\.(d\.ts|[cm]?[jt]s(\.map)?)$/.test(entry)) problems.push(`ships a test: ${entry}`);
  }
  for (const asset of sourceAssets(repoRoot, name)) if (!has(`dist/${asset}`)) problems.push(`src/${asset} is not shipped as dist/${asset}`);
  if (name === 'orchestrator') for (const file of trackedFiles(repoRoot, 'examples')) if (!has(file)) problems.push(`${file} (used by baton demo) is not shipped`);
  for (const entry of entries) {
    if (!/^schema\/.*\.json$/.test(entry)) continue;
    const result = spawnSync('tar', ['-xzOf', tarball, `package/${entry}`], { encoding: 'utf8' });
    try {
      if (!JSON.parse(result.stdout).$schema) problems.push(`${entry} is not a JSON Schema (no $schema)`);
    } catch {
      problems.push(`${entry} is not JSON`);
    }
  }
  return { problems, manifest, files: entries.size };
}
