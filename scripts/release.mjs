#!/usr/bin/env node
// Prepares a release of the three packages, which share one version:
//   1. sets the new version in each package.json (`patch`, `minor`, `major` or an exact version);
//   2. adds a section to CHANGELOG.md from the commits since the last `v*` tag, grouped by the
//      packages each commit changed;
//   3. builds and packs the tarballs (scripts/pack-packages.mjs) into --out (default dist-packages/);
//   4. runs `npm publish --dry-run` on each tarball, in dependency order.
// It commits, tags and publishes nothing: it prints the commands for that. Usage:
//   node scripts/release.mjs <patch|minor|major|X.Y.Z[-pre]> [--out DIR] [--allow-dirty]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGES, REPO_ROOT } from './build-packages.mjs';
import { packPackages } from './pack-packages.mjs';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

/** The version after `current` for a bump (`patch`, `minor`, `major`) or an exact version. */
export function nextVersion(current, spec) {
  const parsed = SEMVER.exec(current);
  if (!parsed) throw new Error(`the current version ${current} is not X.Y.Z`);
  const [major, minor, patch] = parsed.slice(1, 4).map(Number);
  if (spec === 'major') return `${major + 1}.0.0`;
  if (spec === 'minor') return `${major}.${minor + 1}.0`;
  if (spec === 'patch') return parsed[4] ? `${major}.${minor}.${patch}` : `${major}.${minor}.${patch + 1}`;
  if (!SEMVER.test(spec)) throw new Error(`"${spec}" is neither patch, minor, major nor a version like 1.2.3 or 1.2.3-rc.1`);
  return spec;
}

function git(args, cwd) {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

/** The newest `v*` tag reachable from HEAD, or undefined when there is none. */
function lastReleaseTag(repo) {
  const result = spawnSync('git', ['describe', '--tags', '--abbrev=0', '--match', 'v*'], { cwd: repo, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * The changelog section of a release: the subject of every commit since `since` (all history when
 * undefined), merges left out, under each package whose folder the commit changed; commits that
 * changed no package under "Repository".
 */
export function changelogSection({ repo, version, date, since }) {
  const names = Object.fromEntries(PACKAGES.map((dir) => [dir, JSON.parse(readFileSync(path.join(repo, 'packages', dir, 'package.json'), 'utf8')).name]));
  const log = git(['log', '--no-merges', '--format=%x1e%h%x1f%s', '--name-only', ...(since ? [`${since}..HEAD`] : ['HEAD'])], repo);
  const groups = new Map([...PACKAGES.map((dir) => [names[dir], []]), ['Repository', []]]);
  for (const record of log.split('\x1e').slice(1)) {
    const [head = '', ...files] = record.split('\n');
    const [hash, subject] = head.split('\x1f');
    const touched = new Set(files.filter(Boolean).map((file) => /^packages\/([^/]+)\//.exec(file)?.[1]).filter((dir) => dir && names[dir]).map((dir) => names[dir]));
    for (const group of touched.size > 0 ? touched : ['Repository']) groups.get(group).push(`- ${subject} (${hash})`);
  }
  const body = [...groups].filter(([, lines]) => lines.length > 0).map(([group, lines]) => `### ${group}\n\n${lines.join('\n')}\n`);
  return `## ${version} (${date})\n\n${body.length > 0 ? body.join('\n') : 'No changes since the last release.\n'}`;
}

function prependChangelog(file, section) {
  const header = '# Changelog\n\n';
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const rest = existing.startsWith(header) ? existing.slice(header.length) : existing;
  writeFileSync(file, `${header}${section}\n${rest}`);
}

export async function release({ spec, out, allowDirty = false, say = (text) => process.stderr.write(`${text}\n`) }) {
  if (!allowDirty && git(['status', '--porcelain'], REPO_ROOT).trim() !== '') throw new Error('the working tree has uncommitted changes: commit or stash them first (or pass --allow-dirty)');
  const manifests = PACKAGES.map((dir) => {
    const file = path.join(REPO_ROOT, 'packages', dir, 'package.json');
    return { file, manifest: JSON.parse(readFileSync(file, 'utf8')) };
  });
  const current = new Set(manifests.map((m) => m.manifest.version));
  if (current.size !== 1) throw new Error(`the packages have different versions (${[...current].join(', ')}); they are released together with one version`);
  const [from] = current;
  const version = nextVersion(from, spec);
  const tag = lastReleaseTag(REPO_ROOT);
  say(`release ${from} -> ${version}; changes since ${tag ?? 'the first commit'}`);
  for (const { file, manifest } of manifests) writeFileSync(file, `${JSON.stringify({ ...manifest, version }, null, 2)}\n`);
  const section = changelogSection({ repo: REPO_ROOT, version, date: new Date().toISOString().slice(0, 10), since: tag });
  prependChangelog(path.join(REPO_ROOT, 'CHANGELOG.md'), section);
  say('CHANGELOG.md updated');
  const tarballs = await packPackages({ out, quiet: true });
  const distTag = version.includes('-') ? 'next' : 'latest';
  for (const tarball of tarballs) {
    const result = spawnSync('npm', ['publish', tarball, '--dry-run', '--access', 'public', '--tag', distTag], { cwd: out, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`npm publish --dry-run ${path.basename(tarball)} failed (exit ${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
    say(`npm publish --dry-run ${path.basename(tarball)}: ok`);
  }
  return { version, tag: distTag, tarballs, changelog: section };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const spec = args.find((arg, i) => !arg.startsWith('--') && i !== outAt + 1);
  if (!spec) {
    process.stderr.write('usage: node scripts/release.mjs <patch|minor|major|X.Y.Z[-pre]> [--out DIR] [--allow-dirty]\n');
    process.exit(2);
  }
  const out = path.resolve(outAt >= 0 && args[outAt + 1] ? args[outAt + 1] : path.join(REPO_ROOT, 'dist-packages'));
  try {
    const { version, tag, tarballs } = await release({ spec, out, allowDirty: args.includes('--allow-dirty') });
    process.stdout.write(
      `\nReady: ${version}. Review CHANGELOG.md, then:\n` +
        `  git commit -am "Release ${version}" && git tag v${version}\n` +
        tarballs.map((t) => `  npm publish ${t} --access public --tag ${tag}\n`).join('') +
        `  git push --follow-tags\n`,
    );
  } catch (error) {
    process.stderr.write(`release: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
