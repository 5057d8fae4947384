#!/usr/bin/env node
// Builds the publishable form of the three packages, each into its own dist/: tsc emits
// JavaScript, declarations and source maps (with the TypeScript inlined) through the project
// references of tsconfig.build.json; every other file under src/ (the dashboard's static files,
// role prompts, hand-written declarations of plain JS) is copied beside the output; the JSON
// Schemas a package's src/package-schemas.ts generates go to its schema/; files a package ships
// from outside its folder (the demo's examples, the license) are copied into it.
// Always from scratch, so nothing deleted from src/ survives in dist/. Development and tests never
// need this: they run the TypeScript sources. Usage: node scripts/build-packages.mjs [--quiet]
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The published packages, in dependency order. */
export const PACKAGES = ['mcp-tools', 'worker-host', 'orchestrator'];
/** What a package ships from outside its folder: [source relative to the repository, target inside the package]. */
const SHIPPED_FROM_REPO = {
  'mcp-tools': [['LICENSE', 'LICENSE']],
  'worker-host': [['LICENSE', 'LICENSE']],
  orchestrator: [['LICENSE', 'LICENSE'], ['examples', 'examples']],
};

/** Files under src/ that tsc does not turn into output: anything but TypeScript to compile, and no tests. */
function isAsset(name) {
  if (/\.test\.[cm]?[jt]s$/.test(name)) return false;
  return name.endsWith('.d.ts') || !/\.[cm]?ts$/.test(name);
}

function copyAssets(from, to) {
  let copied = 0;
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copied += copyAssets(source, target);
    else if (entry.isFile() && isAsset(entry.name)) {
      mkdirSync(to, { recursive: true });
      copyFileSync(source, target);
      copied++;
    }
  }
  return copied;
}

/** Copies a file or folder, leaving out what is never part of a package (installed modules, git data, baton's state). */
function copyIntoPackage(source, target) {
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true, filter: (file) => !['node_modules', '.git', '.baton'].includes(path.basename(file)) });
}

/** Writes the package's JSON Schemas from its built src/package-schemas.ts, if it has one. */
async function writeSchemas(dir) {
  const schemaDir = path.join(dir, 'schema');
  rmSync(schemaDir, { recursive: true, force: true });
  const module = path.join(dir, 'dist', 'package-schemas.js');
  if (!existsSync(module)) return [];
  const schemas = (await import(pathToFileURL(module).href)).packageSchemas();
  mkdirSync(schemaDir, { recursive: true });
  for (const [file, schema] of Object.entries(schemas)) writeFileSync(path.join(schemaDir, file), `${JSON.stringify(schema, null, 2)}\n`);
  return Object.keys(schemas);
}

export async function buildPackages({ quiet = false } = {}) {
  const say = (text) => quiet || process.stderr.write(`[build] ${text}\n`);
  for (const name of PACKAGES) {
    const dir = path.join(REPO_ROOT, 'packages', name);
    rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
    rmSync(path.join(dir, '.tsbuild', 'build.tsbuildinfo'), { force: true });
  }
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) throw new Error(`TypeScript is not installed at ${tsc}: run npm run setup first`);
  say('tsc -b tsconfig.build.json');
  const result = spawnSync(process.execPath, [tsc, '-b', path.join(REPO_ROOT, 'tsconfig.build.json')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status ?? result.signal}): the packages were not built`);
  for (const name of PACKAGES) {
    const dir = path.join(REPO_ROOT, 'packages', name);
    const copied = copyAssets(path.join(dir, 'src'), path.join(dir, 'dist'));
    for (const [source, target] of SHIPPED_FROM_REPO[name]) copyIntoPackage(path.join(REPO_ROOT, source), path.join(dir, target));
    const schemas = await writeSchemas(dir);
    say(`${name}: dist/ built, ${copied} other files copied from src/${schemas.length ? `, schema/${schemas.join(', schema/')} written` : ''}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildPackages({ quiet: process.argv.includes('--quiet') });
  } catch (error) {
    process.stderr.write(`[build] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
