#!/usr/bin/env node
// Checks the packed packages the way users get them: in a clean temp directory, with the
// machine's own Node and npm, no workspace links and no way back into this repository.
//   - each tarball: manifest (exports, types, bin, engines, license, no workspace: ranges, no
//     install scripts), no sources or tests, every file it must ship (built output, the dashboard's
//     static files, role prompts, schemas, the demo's examples);
//   - `npx -y ./baton-mcp-tools-<v>.tgz --root DIR` on the system's Node serves MCP to a real
//     client (the MCP Inspector's CLI): tools/list, read_file, search with the packaged ripgrep
//     (on a system Node older than 20, baton-tools must name the Node it needs, and the MCP checks
//     run on baton's Node);
//   - `npm i -g` of the three tarballs into a temp prefix: nothing runs at install time but the
//     scripts listed below, `baton demo` succeeds without a network, `baton doctor` finds the
//     packaged ripgrep, `baton ui` serves the dashboard from the package, and `baton init` plus
//     `baton plan` work on another repository; on a system Node older than baton needs, baton says
//     which version it needs;
//   - `npm i ./x.tgz` in a project: the exports and their types resolve (tsc), mcp-tools imports on
//     the system's Node, and `npx baton init` names the schema shipped in node_modules.
// SLOW: minutes, and npm downloads every dependency (the agent CLIs that @baton/worker-host has as
// optional dependencies alone install about 800 MB). Usage:
//   node scripts/check-packages.mjs [--tarballs DIR] [--node PATH] [--npm-cache DIR] [--keep] [--report FILE]
// Without --tarballs it builds and packs first. --node: a Node >= 22.18 for baton when the system's
// is older (default: the Node running this script). Exit 0 when every check passed.
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGES, REPO_ROOT } from './build-packages.mjs';
import { packPackages, tarballName } from './pack-packages.mjs';
import { atLeast, canUnshareNetwork, cleanEnvironment, findOnPath, nodeVersion, systemPath } from './package-checks/clean-environment.mjs';
import { runCommand, tail } from './package-checks/run-command.mjs';
import { checkDashboard } from './package-checks/dashboard.mjs';
import { directoryBytes, installScripts } from './package-checks/installed-tree.mjs';
import { tarballProblems } from './package-checks/tarball-problems.mjs';

/** baton (orchestrator) needs this Node: node:sqlite, and type stripping for the demo's example tests. */
const BATON_NODE = [22, 18];
/** The oldest Node the published @baton/mcp-tools runs on. */
const MCP_TOOLS_NODE = [20, 0];
/**
 * Install scripts allowed anywhere in an installed tree, each read and known to fetch nothing:
 * Claude Code's postinstall copies its native binary from its platform package (an optional
 * dependency) over a placeholder; baton runs that binary from the platform package either way.
 */
const KNOWN_INSTALL_SCRIPTS = { '@anthropic-ai/claude-code': 'node install.cjs' };
const INSPECTOR = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
const GREETER = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');

function parseArgs(argv) {
  const options = { keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return path.resolve(next);
    };
    if (arg === '--tarballs') options.tarballs = value();
    else if (arg === '--node') options.node = value();
    else if (arg === '--npm-cache') options.npmCache = value();
    else if (arg === '--report') options.report = value();
    else if (arg === '--keep') options.keep = true;
    else throw new Error(`unknown argument ${arg}; see the header of scripts/check-packages.mjs`);
  }
  return options;
}

function packageVersion(name) {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'packages', name, 'package.json'), 'utf8')).version;
}

export async function checkPackages(options) {
  const results = [];
  const say = (text) => process.stderr.write(`${text}\n`);
  const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'baton-package-check-')));
  const clean = path.join(work, 'clean');
  const home = path.join(work, 'home');
  mkdirSync(clean, { recursive: true });
  mkdirSync(home, { recursive: true });
  const failed = new Set();

  /** Runs one check; a check whose prerequisite failed is reported as skipped. */
  async function check(name, needs, body) {
    const missing = needs.filter((n) => failed.has(n) || !results.some((r) => r.name === n));
    const started = Date.now();
    if (missing.length > 0) {
      failed.add(name);
      results.push({ name, ok: false, skipped: true, seconds: 0, detail: `skipped: needs ${missing.join(', ')}` });
      say(`- ${name}: skipped (needs ${missing.join(', ')})`);
      return;
    }
    try {
      const detail = (await body()) ?? '';
      const seconds = (Date.now() - started) / 1000;
      results.push({ name, ok: true, seconds, detail });
      say(`✔ ${name} (${seconds.toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
    } catch (error) {
      const seconds = (Date.now() - started) / 1000;
      const detail = error instanceof Error ? error.message : String(error);
      failed.add(name);
      results.push({ name, ok: false, seconds, detail });
      say(`✘ ${name} (${seconds.toFixed(1)} s): ${detail}`);
    }
  }

  const system = systemPath(REPO_ROOT);
  const systemNode = findOnPath('node', system);
  const systemNpm = findOnPath('npm', system);
  const systemNodeVersion = systemNode ? nodeVersion(systemNode) : undefined;
  const npmCache = options.npmCache ?? path.join(home, '.npm');
  const versions = Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)]));
  const tarballs = {};
  let batonNodeDir;
  const envWith = (extra = []) => cleanEnvironment({ home, npmCache, path: [...extra, ...system] });
  const expectExit = (result, code, what) => {
    if (result.timedOut) throw new Error(`${what} did not finish in time:\n${tail(result.stdout + result.stderr)}`);
    if (result.code !== code) throw new Error(`${what} exited ${result.code ?? result.signal}, expected ${code}:\n${tail(result.stdout + result.stderr)}`);
  };

  await check('system Node and npm', [], async () => {
    if (!systemNode || !systemNpm || !systemNodeVersion) throw new Error(`no node and npm on the system PATH outside the repository (${system.join(':')})`);
    const modern = options.node ?? (atLeast(systemNodeVersion, BATON_NODE) ? systemNode : process.execPath);
    const modernVersion = nodeVersion(modern);
    if (!modernVersion || !atLeast(modernVersion, BATON_NODE)) throw new Error(`baton needs Node >= ${BATON_NODE.join('.')}; ${modern} is ${modernVersion ?? 'not runnable'}: pass --node`);
    // A copy, so nothing the installed baton runs lives in this repository.
    batonNodeDir = path.join(work, 'node', 'bin');
    mkdirSync(batonNodeDir, { recursive: true });
    copyFileSync(modern, path.join(batonNodeDir, 'node'));
    chmodSync(path.join(batonNodeDir, 'node'), 0o755);
    return `system Node ${systemNodeVersion} (${systemNode}), npm from ${systemNpm}; baton runs on Node ${modernVersion}`;
  });

  await check('pack', [], async () => {
    const dir = options.tarballs ?? path.join(work, 'tarballs');
    if (!options.tarballs) await packPackages({ out: dir, quiet: true });
    for (const name of PACKAGES) {
      const file = path.join(dir, tarballName(`@baton/${name}`, versions[name]));
      if (!existsSync(file)) throw new Error(`${file} is missing`);
      tarballs[name] = path.join(clean, path.basename(file));
      copyFileSync(file, tarballs[name]);
    }
    return PACKAGES.map((name) => `${path.basename(tarballs[name])} ${(statSync(tarballs[name]).size / 1024).toFixed(0)} KiB`).join(', ');
  });

  for (const name of PACKAGES) {
    await check(`contents of @baton/${name}`, ['pack'], async () => {
      const { problems, manifest, files } = tarballProblems({ repoRoot: REPO_ROOT, name, tarball: tarballs[name] });
      if (problems.length > 0) throw new Error(problems.join('; '));
      return `${files} files, engines node ${manifest.engines.node}`;
    });
  }

  // mcp-tools as MCP clients start it: npx on whatever Node is on the PATH, the system's when it is
  // one mcp-tools supports; on an older one, baton-tools must say which Node it needs, and the
  // MCP checks run on the Node baton runs on.
  const mcpTarball = () => `./${path.basename(tarballs['mcp-tools'])}`;
  const toolsRoot = path.join(work, 'tools-root');
  mkdirSync(toolsRoot);
  writeFileSync(path.join(toolsRoot, 'notes.md'), 'baton packaged tools can read this\n');
  const toolsOnSystem = systemNodeVersion !== undefined && atLeast(systemNodeVersion, MCP_TOOLS_NODE);
  const toolsEnv = () => (toolsOnSystem ? envWith() : envWith([batonNodeDir]));
  const toolsNodeVersion = () => (toolsOnSystem ? systemNodeVersion : nodeVersion(path.join(batonNodeDir, 'node')));
  if (systemNodeVersion && !toolsOnSystem) {
    await check(`baton-tools on the system Node ${systemNodeVersion} names the Node it needs`, ['system Node and npm', 'contents of @baton/mcp-tools'], async () => {
      const result = await runCommand('npx', ['-y', mcpTarball(), '--version'], { cwd: clean, env: envWith(), timeoutMs: 600_000 });
      expectExit(result, 1, 'npx -y baton-mcp-tools on an old Node');
      if (!/needs Node >= 20/.test(result.stderr)) throw new Error(`it said: ${tail(result.stderr)}`);
      return tail(result.stderr, 1);
    });
  }
  await check('npx baton-tools', ['system Node and npm', 'contents of @baton/mcp-tools'], async () => {
    const result = await runCommand('npx', ['-y', mcpTarball(), '--version'], { cwd: clean, env: toolsEnv(), timeoutMs: 600_000 });
    expectExit(result, 0, 'npx -y baton-mcp-tools --version');
    if (result.stdout.trim() !== versions['mcp-tools']) throw new Error(`printed ${JSON.stringify(result.stdout.trim())}, expected ${versions['mcp-tools']}`);
    if (/EBADENGINE/.test(result.stderr)) throw new Error(`npm says a dependency does not support Node ${toolsNodeVersion()}:\n${tail(result.stderr, 30)}`);
    const npx = path.join(npmCache, '_npx');
    const rg = readdirSync(npx).map((hash) => path.join(npx, hash, 'node_modules', '@vscode', `ripgrep-${process.platform}-${process.arch}`, 'bin', 'rg')).find((file) => existsSync(file));
    if (!rg) throw new Error(`no ripgrep binary from @vscode/ripgrep-${process.platform}-${process.arch} in npx's install under ${npx}`);
    return `on the ${toolsOnSystem ? 'system' : "baton's"} Node ${toolsNodeVersion()}: version ${result.stdout.trim()}, ripgrep from its optional dependency, no engine warning`;
  });

  // The Inspector hands a server only a few variables of its own environment; the rest (npm's
  // cache and network settings) go by -e. A first npx install may take longer than its 15 s default.
  const inspector = (args) => {
    const env = toolsEnv();
    const serverEnv = Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
    return runCommand(process.execPath, [INSPECTOR, '--cli', '--cwd', clean, '--connect-timeout', '300000', ...serverEnv, ...args, '--', 'npx', '-y', mcpTarball(), '--root', toolsRoot], { cwd: clean, env, timeoutMs: 400_000 });
  };
  await check('MCP Inspector CLI against npx baton-tools', ['npx baton-tools'], async () => {
    const list = await inspector(['--method', 'tools/list']);
    expectExit(list, 0, 'inspector tools/list');
    const names = JSON.parse(list.stdout).tools.map((t) => t.name).sort();
    if (names.join(',') !== 'list_files,read_file,search') throw new Error(`tools/list gave ${names.join(', ')}`);
    const read = await inspector(['--method', 'tools/call', '--tool-name', 'read_file', '--tool-arg', 'path=notes.md']);
    expectExit(read, 0, 'inspector read_file');
    if (JSON.parse(read.stdout).structuredContent?.content !== 'baton packaged tools can read this') throw new Error(`read_file gave ${read.stdout}`);
    const search = await inspector(['--method', 'tools/call', '--tool-name', 'search', '--tool-arg', 'query=packaged']);
    expectExit(search, 0, 'inspector search');
    const matches = JSON.parse(search.stdout).structuredContent?.matches ?? [];
    if (matches.length !== 1 || matches[0].path !== 'notes.md') throw new Error(`search gave ${search.stdout}`);
    return 'tools/list, read_file and search answered';
  });

  // baton installed globally, as `npm i -g @baton/orchestrator` will once published.
  const prefix = path.join(work, 'prefix');
  const batonEnv = () => envWith([path.join(prefix, 'bin'), batonNodeDir]);
  const baton = () => path.join(prefix, 'bin', 'baton');
  await check('npm i -g the three tarballs', ['system Node and npm', ...PACKAGES.map((n) => `contents of @baton/${n}`)], async () => {
    const result = await runCommand('npm', ['install', '--global', '--prefix', prefix, ...['orchestrator', 'worker-host', 'mcp-tools'].map((n) => `./${path.basename(tarballs[n])}`)], { cwd: clean, env: batonEnv(), timeoutMs: 1_800_000 });
    expectExit(result, 0, 'npm install --global');
    const version = await runCommand(baton(), ['--version'], { cwd: clean, env: batonEnv(), timeoutMs: 60_000 });
    expectExit(version, 0, 'baton --version');
    if (version.stdout.trim() !== versions.orchestrator) throw new Error(`baton --version printed ${version.stdout.trim()}`);
    const size = directoryBytes(prefix) / 1024 / 1024;
    return `baton ${version.stdout.trim()}; ${size.toFixed(0)} MiB installed`;
  });

  await check('nothing runs at install time but known scripts', ['npm i -g the three tarballs'], async () => {
    const found = installScripts(path.join(prefix, 'lib', 'node_modules'));
    const unknown = found.filter((f) => KNOWN_INSTALL_SCRIPTS[f.name] !== f.scripts);
    if (unknown.length > 0) throw new Error(`install scripts nobody has checked: ${unknown.map((f) => `${f.name}: ${f.scripts}`).join('; ')}`);
    return found.length === 0 ? 'none' : `only ${found.map((f) => `${f.name} (${f.scripts})`).join(', ')}`;
  });

  if (systemNodeVersion && !atLeast(systemNodeVersion, BATON_NODE)) {
    await check(`baton on the system Node ${systemNodeVersion} names the Node it needs`, ['npm i -g the three tarballs'], async () => {
      const launcher = path.join(prefix, 'lib', 'node_modules', '@baton', 'orchestrator', 'bin', 'baton.js');
      const result = await runCommand(systemNode, [launcher, '--version'], { cwd: clean, env: envWith(), timeoutMs: 60_000 });
      expectExit(result, 1, 'baton on an old Node');
      if (!/needs Node >= 22\.18/.test(result.stderr)) throw new Error(`it said: ${result.stderr}`);
      return result.stderr.trim();
    });
  }

  const demoDir = path.join(work, 'demo');
  const isolated = canUnshareNetwork();
  await check(`baton demo ${isolated ? 'without a network' : 'offline (NOT network-isolated: bubblewrap cannot unshare the network here)'}`, ['npm i -g the three tarballs'], async () => {
    const args = ['demo', '--dir', demoDir];
    const result = isolated
      ? await runCommand('bwrap', ['--dev-bind', '/', '/', '--unshare-net', '--', baton(), ...args], { cwd: clean, env: batonEnv(), timeoutMs: 600_000 })
      : await runCommand(baton(), args, { cwd: clean, env: { ...batonEnv(), HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9' }, timeoutMs: 600_000 });
    expectExit(result, 0, 'baton demo');
    const done = /succeeded: (\d+)\/(\d+) tasks done/.exec(result.stdout);
    if (!done || done[1] !== done[2]) throw new Error(`baton demo did not report every task done:\n${tail(result.stdout)}`);
    return done[0];
  });

  await check('baton doctor finds the packaged ripgrep', [`baton demo ${isolated ? 'without a network' : 'offline (NOT network-isolated: bubblewrap cannot unshare the network here)'}`], async () => {
    const result = await runCommand(baton(), ['doctor', '--json', '--no-models', '--repo', demoDir], { cwd: clean, env: batonEnv(), timeoutMs: 120_000 });
    const report = JSON.parse(result.stdout);
    const rg = report.results.find((r) => r.name === 'ripgrep');
    if (!rg || rg.status !== 'ok' || !rg.detail.includes(prefix)) throw new Error(`ripgrep: ${JSON.stringify(rg)}`);
    const bad = report.results.filter((r) => r.status === 'fail');
    if (bad.length > 0) throw new Error(`doctor failed: ${JSON.stringify(bad)}`);
    return rg.detail;
  });

  await check('baton ui serves the dashboard from the package', [`baton demo ${isolated ? 'without a network' : 'offline (NOT network-isolated: bubblewrap cannot unshare the network here)'}`], async () => {
    const fetched = await checkDashboard({ baton: baton(), repo: demoDir, env: batonEnv(), cwd: clean });
    return `fetched ${fetched.join(', ')}`;
  });

  const other = path.join(work, 'greeter');
  const git = (args, cwd) => {
    const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...envWith(), GIT_AUTHOR_NAME: 'check', GIT_AUTHOR_EMAIL: 'check@example.com', GIT_COMMITTER_NAME: 'check', GIT_COMMITTER_EMAIL: 'check@example.com', GIT_CONFIG_NOSYSTEM: '1' } });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  };
  await check('baton init and baton plan on another repository', ['npm i -g the three tarballs'], async () => {
    cpSync(path.join(GREETER, 'repo'), other, { recursive: true, filter: (file) => path.basename(file) !== 'baton.config.json' });
    // Scripted models (baton checks every role's model before planning).
    const models = ['planner', 'worker', 'reviewer'].flatMap((role) => {
      const file = path.join(work, `greeter-${role}.yaml`);
      copyFileSync(path.join(GREETER, `${role}.yaml`), file);
      return [`--${role}`, `scripted:${file}`];
    });
    git(['init', '-q', '-b', 'main'], other);
    git(['add', '-A'], other);
    git(['commit', '-q', '-m', 'greeter'], other);
    const init = await runCommand(baton(), ['init', '--repo', other], { cwd: other, env: batonEnv(), timeoutMs: 120_000 });
    expectExit(init, 0, 'baton init');
    const config = JSON.parse(readFileSync(path.join(other, 'baton.config.json'), 'utf8'));
    const expected = `https://unpkg.com/@baton/orchestrator@${versions.orchestrator}/schema/baton.config.schema.json`;
    if (config.$schema !== expected) throw new Error(`$schema is ${config.$schema}, expected ${expected} (baton is installed outside the repository)`);
    if (!existsSync(path.join(prefix, 'lib', 'node_modules', '@baton', 'orchestrator', 'schema', 'baton.config.schema.json'))) throw new Error('the installed package has no schema/baton.config.schema.json');
    if (config.tests?.unit !== 'npm run test --silent') throw new Error(`init proposed tests ${JSON.stringify(config.tests)}`);
    git(['add', '-A'], other);
    git(['commit', '-q', '-m', 'baton init'], other);
    const plan = await runCommand(baton(), ['plan', 'Add a farewell function', '--repo', other, '--run-id', 'p1', ...models], { cwd: other, env: batonEnv(), timeoutMs: 300_000 });
    expectExit(plan, 3, 'baton plan (3: waiting for approval)');
    const status = await runCommand(baton(), ['status', 'p1', '--json', '--repo', other], { cwd: other, env: batonEnv(), timeoutMs: 60_000 });
    expectExit(status, 0, 'baton status');
    const state = JSON.parse(status.stdout);
    if (state.phase !== 'awaiting_approval') throw new Error(`run p1 is ${state.phase}`);
    return `config with tests.unit and $schema ${config.$schema}; plan p1 awaits approval`;
  });

  // A project that depends on the packages: npm i ./x.tgz, as a library user would.
  const consumer = path.join(work, 'consumer');
  await check('npm i ./tarballs in a project (optional dependencies left out)', ['system Node and npm', ...PACKAGES.map((n) => `contents of @baton/${n}`)], async () => {
    mkdirSync(consumer);
    writeFileSync(path.join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
    for (const name of PACKAGES) copyFileSync(tarballs[name], path.join(consumer, path.basename(tarballs[name])));
    const typescript = JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', 'typescript', 'package.json'), 'utf8')).version;
    const result = await runCommand('npm', ['install', '--omit=optional', ...PACKAGES.map((n) => `./${path.basename(tarballs[n])}`), `typescript@${typescript}`, '@types/node@24'], { cwd: consumer, env: batonEnv(), timeoutMs: 900_000 });
    expectExit(result, 0, 'npm install');
    return `typescript ${typescript}`;
  });

  await check('exports and their types resolve in the project (tsc)', ['npm i ./tarballs in a project (optional dependencies left out)'], async () => {
    writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files: ['uses-baton.ts'] }));
    // Each assignment is an error only if its module's types resolved (an untyped import is `any`),
    // so an unused @ts-expect-error fails the check.
    const imports = [
      ['@baton/mcp-tools', 'VERSION'],
      ['@baton/mcp-tools/testing', 'makeTempRepo'],
      ['@baton/worker-host', 'parseModelId'],
      ['@baton/worker-host/testing', 'startFakeProvider'],
      ['@baton/orchestrator', 'batonProgram'],
    ];
    const source = imports.map(([from, name], i) => `import { ${name} } from '${from}';\n// @ts-expect-error typed, so not assignable to number\nexport const check${i}: number = ${name};\n`).join('');
    writeFileSync(path.join(consumer, 'uses-baton.ts'), source);
    const result = await runCommand(path.join(batonNodeDir, 'node'), [path.join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer], { cwd: consumer, env: batonEnv(), timeoutMs: 300_000 });
    expectExit(result, 0, 'tsc');
    return imports.map(([from]) => from).join(', ');
  });

  await check('@baton/mcp-tools imports on Node 20 and later', ['npm i ./tarballs in a project (optional dependencies left out)'], async () => {
    const script = "const m = await import('@baton/mcp-tools'); const t = await import('@baton/mcp-tools/testing'); console.log(m.VERSION, typeof m.createToolServer, typeof t.makeTempRepo);";
    const result = await runCommand(toolsOnSystem ? systemNode : path.join(batonNodeDir, 'node'), ['--input-type=module', '-e', script], { cwd: consumer, env: toolsEnv(), timeoutMs: 60_000 });
    expectExit(result, 0, 'import @baton/mcp-tools');
    if (result.stdout.trim() !== `${versions['mcp-tools']} function function`) throw new Error(`printed ${result.stdout.trim()}`);
    const all = "for (const m of ['@baton/worker-host', '@baton/worker-host/testing', '@baton/orchestrator']) await import(m); console.log('ok');";
    const modern = await runCommand(path.join(batonNodeDir, 'node'), ['--input-type=module', '-e', all], { cwd: consumer, env: batonEnv(), timeoutMs: 60_000 });
    expectExit(modern, 0, 'import @baton/worker-host and @baton/orchestrator');
    return `mcp-tools on Node ${toolsNodeVersion()}, worker-host and orchestrator on Node ${nodeVersion(path.join(batonNodeDir, 'node'))}`;
  });

  await check('npx baton init in the project names the schema in node_modules', ['npm i ./tarballs in a project (optional dependencies left out)'], async () => {
    const result = await runCommand('npx', ['baton', 'init', '--repo', '.'], { cwd: consumer, env: batonEnv(), timeoutMs: 120_000 });
    expectExit(result, 0, 'npx baton init');
    const config = JSON.parse(readFileSync(path.join(consumer, 'baton.config.json'), 'utf8'));
    const expected = './node_modules/@baton/orchestrator/schema/baton.config.schema.json';
    if (config.$schema !== expected) throw new Error(`$schema is ${config.$schema}, expected ${expected}`);
    const schema = JSON.parse(readFileSync(path.join(consumer, expected), 'utf8'));
    for (const key of Object.keys(config)) if (!(key in schema.properties)) throw new Error(`the schema does not describe "${key}"`);
    return `$schema ${expected}`;
  });

  const ok = results.every((r) => r.ok);
  if (options.keep || !ok) say(`work directory kept: ${work}`);
  if (!options.keep && ok) rmSync(work, { recursive: true, force: true });
  const report = { ok, systemNode: systemNodeVersion, results };
  if (options.report) writeFileSync(options.report, `${JSON.stringify(report, null, 2)}\n`);
  say(ok ? `all ${results.length} package checks passed` : `${results.filter((r) => !r.ok).length} of ${results.length} package checks failed`);
  return report;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`check-packages: ${error.message}\n`);
    process.exit(2);
  }
  const report = await checkPackages(options);
  process.exit(report.ok ? 0 : 1);
}
