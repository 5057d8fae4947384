// run_tests through the SDK's in-memory transport with real child processes in temp
// workspaces: truthful status, counts, limits, stopping everything the command started, the
// environment scrub, option-shaped filters, and the bubblewrap sandbox (no network, nothing of the
// host but the system and the toolchain, no host sockets).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema, type GrantInput } from '../grant.ts';
import { sandboxStatus } from '../run-tests/sandbox.ts';
import { connectInMemory } from '../testing/connect-in-memory.ts';
import { beats, growthWhileControlBeats, HEARTBEAT_SCRIPT, waitForBeats, waitUntilStopped } from '../testing/heartbeat.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';

let repo: TempRepo;
const node = process.execPath;

// Reads, lists or connects to each path given and prints what happened, one JSON object.
const PROBE = `import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
// Targets come in a file: absolute paths in the command itself would be shown to it.
const [mode, targetsFile] = process.argv.slice(2);
const targets = JSON.parse(readFileSync(targetsFile, 'utf8'));
const results = {};
const tryConnect = (target) => new Promise((resolve) => {
  const socket = connect(target.startsWith('@') ? '\\0' + target.slice(1) : target);
  socket.on('connect', () => { socket.destroy(); resolve('CONNECTED'); });
  socket.on('error', (e) => resolve(e.code));
});
for (const target of targets) {
  try {
    if (mode === 'connect') results[target] = await tryConnect(target);
    else if (mode === 'write') { writeFileSync(target, 'x'); results[target] = 'WROTE'; }
    else if (statSync(target).isDirectory()) results[target] = 'LISTED ' + readdirSync(target).length;
    else { const text = readFileSync(target, 'utf8'); results[target] = text === '' ? 'EMPTY' : 'READ ' + text.slice(0, 40); }
  } catch (e) { results[target] = e.code; }
}
console.log(JSON.stringify(results));
`;

beforeAll(async () => {
  repo = await makeTempRepo({
    'ok.test.mjs': "import { test } from 'node:test';\ntest('adds', () => {});\ntest('subtracts', () => {});\n",
    'bad.test.mjs': "import { test } from 'node:test';\nimport assert from 'node:assert';\ntest('adds', () => {});\ntest('divides by zero', () => assert.equal(1, 2));\n",
    'heartbeat.mjs': HEARTBEAT_SCRIPT,
    // Starts a grandchild that ignores SIGTERM and beats, then hangs.
    'hang.mjs': "import { spawn } from 'node:child_process';\nspawn(process.execPath, ['heartbeat.mjs', process.argv[2]], { stdio: 'ignore' });\nsetInterval(() => {}, 1000);\n",
    // Starts a child in a session of its own that keeps stdout open and ignores SIGTERM; then exits or hangs.
    'setsid.mjs':
      "import { spawn } from 'node:child_process';\nimport { existsSync } from 'node:fs';\n" +
      "spawn(process.execPath, ['heartbeat.mjs', process.argv[2]], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] }).unref();\n" +
      "const started = setInterval(() => { if (!existsSync(process.argv[2])) return; clearInterval(started); console.log('parent done'); if (process.argv[3] === 'hang') setInterval(() => {}, 1000); }, 5);\n",
    'noisy.mjs': "for (let i = 0; i < 5000; i++) console.log('line ' + i + ' ' + 'x'.repeat(40));\nconsole.log('THE END');\n",
    'env.mjs': "console.log(JSON.stringify({ key: process.env.ANTHROPIC_API_KEY ?? null, token: process.env.GITHUB_TOKEN ?? null, home: process.env.HOME, visible: process.env.BATON_TEST_VISIBLE ?? null }));\n",
    'net.mjs': "import { connect } from 'node:net';\nconst s = connect({ host: '1.1.1.1', port: 53, timeout: 3000 });\ns.on('connect', () => { console.log('NETWORK OPEN'); process.exit(0); });\ns.on('error', (e) => { console.log('blocked: ' + e.code); process.exit(3); });\ns.on('timeout', () => { console.log('blocked: timeout'); process.exit(3); });\n",
    'args.mjs': "import { writeFileSync } from 'node:fs';\nwriteFileSync('args-ran', '');\nconsole.log(JSON.stringify(process.argv.slice(2)));\n",
    // 50 MB of output: the result keeps a small head and tail and the process memory stays bounded.
    'flood.mjs': "const line = 'y'.repeat(1023) + '\\n';\nconst chunk = line.repeat(1024);\nfor (let i = 0; i < 50; i++) process.stdout.write(chunk);\nconsole.log('FLOOD END');\n",
    'gitwrite.mjs': "import { writeFileSync } from 'node:fs';\ntry { writeFileSync('.git/hooks-pwned', 'x'); console.log('WROTE GIT'); } catch (e) { console.log('refused: ' + e.code); process.exit(5); }\n",
    '.git/HEAD': 'ref: refs/heads/main\n',
    'escape.mjs': "import { writeFileSync } from 'node:fs';\ntry { writeFileSync(process.argv[2], 'escaped'); console.log('WROTE OUTSIDE'); } catch (e) { console.log('refused: ' + e.code); process.exit(4); }\n",
    'probe.mjs': PROBE,
    'tmp.mjs': "import { writeFileSync, readFileSync } from 'node:fs';\nimport { tmpdir } from 'node:os';\nimport { join } from 'node:path';\nwriteFileSync(join(tmpdir(), 'scratch.txt'), 'ok');\nconsole.log(tmpdir() + ' ' + readFileSync(join(tmpdir(), 'scratch.txt'), 'utf8'));\n",
  });
});
afterAll(() => repo.cleanup());

async function runTests(name: string, grant: Partial<GrantInput> = {}, options: { signal?: AbortSignal; filter?: string; args?: string[]; root?: string } = {}) {
  const full = GrantSchema.parse({
    tools: ['run_tests'],
    tests: {
      ok: { argv: [node, '--test', 'ok.test.mjs'] },
      bad: { argv: [node, '--test', 'bad.test.mjs'] },
      unit: { argv: ['node', '--test'] },
      noisy: { argv: [node, 'noisy.mjs'] },
      env: { argv: [node, 'env.mjs'] },
      net: { argv: [node, 'net.mjs'] },
      escape: { argv: [node, 'escape.mjs', path.join(repo.outside, 'escaped.txt')] },
      missing: { argv: ['definitely-not-a-command-xyz'] },
      args: { argv: [node, 'args.mjs'] },
      flood: { argv: [node, 'flood.mjs'] },
      gitwrite: { argv: [node, 'gitwrite.mjs'] },
      tmp: { argv: [node, 'tmp.mjs'] },
      run: { argv: [node, ...(options.args ?? [])] },
      tool: { argv: options.args ?? ['true'] },
    },
    ...grant,
  });
  const { client, close } = await connectInMemory({ root: options.root ?? repo.root, grant: full });
  try {
    const result = await client.callTool(
      { name: 'run_tests', arguments: { suite: name, ...(options.filter !== undefined ? { filter: options.filter } : {}) } },
      undefined,
      options.signal ? { signal: options.signal } : undefined,
    );
    return { isError: result.isError === true, text: (result.content as { text: string }[])[0]!.text, out: result.structuredContent as Record<string, unknown> };
  } finally {
    await close();
  }
}

let probes = 0;

/** Runs probe.mjs in the sandbox of `root` and returns what it saw for each target. */
async function probe(mode: 'read' | 'connect' | 'write', targets: string[], grant: Partial<GrantInput> = {}, root = repo.root): Promise<Record<string, string>> {
  const targetsFile = `probe-targets-${++probes}.json`;
  await writeFile(path.join(root, targetsFile), JSON.stringify(targets));
  const { out } = await runTests('run', grant, { args: ['probe.mjs', mode, targetsFile], root });
  const lines = String(out['output']).trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, string>;
}

let beatFiles = 0;
const newBeatFile = () => path.join(repo.root, `beat-${++beatFiles}.txt`);

describe('run_tests', () => {
  it('reports a passing suite with counts', async () => {
    const { out } = await runTests('ok');
    expect(out).toMatchObject({ status: 'passed', exit_code: 0, counts: { runner: 'node', passed: 2, failed: 0 }, sandboxed: sandboxStatus().available });
  });

  it('reports a failing suite as failed, with the failing test named', async () => {
    const { out, text } = await runTests('bad');
    expect(out).toMatchObject({ status: 'failed', exit_code: 1, counts: { passed: 1, failed: 1 }, failing: ['divides by zero'] });
    expect(text).toContain('FAILED');
  });

  it('refuses names outside the grant, shell syntax included, and lists the allowed ones', async () => {
    for (const attempt of ['rm -rf /', 'ok; touch pwned', 'ok && echo hi', '$(touch pwned)', '../ok', 'constructor', '__proto__']) {
      const { isError, text } = await runTests(attempt);
      expect(isError, attempt).toBe(true);
      expect(text).toContain('you may run: ok, bad');
    }
    expect(existsSync(path.join(repo.root, 'pwned'))).toBe(false);
  });

  it('passes the filter as one argument that no shell ever sees', async () => {
    const { out } = await runTests('args', {}, { filter: '$(touch pwned); echo `id` > x && rm -rf / *' });
    expect(JSON.parse((out['output'] as string).trim())).toEqual(['$(touch pwned); echo `id` > x && rm -rf / *']);
    expect(existsSync(path.join(repo.root, 'pwned'))).toBe(false);
    expect(existsSync(path.join(repo.root, 'x'))).toBe(false);
  });

  describe('a filter is never read as an option', () => {
    it('refuses the --import attack on `node --test` with a read-only grant, and nothing runs', async () => {
      const attack = '--import=data:text/javascript,import{writeFileSync}from"node:fs";writeFileSync("PWNED","")';
      const { isError, text } = await runTests('unit', { tools: ['run_tests', 'read_file'], write: [] }, { filter: attack });
      expect(isError).toBe(true);
      expect(text).toMatch(/may not start with "-"/);
      expect(existsSync(path.join(repo.root, 'PWNED'))).toBe(false);
    });

    it.each([
      ['unit', '--require=./args.mjs'], ['unit', '-r'], ['unit', '--loader=./x.mjs'], ['unit', '-e'], ['unit', '--eval=1'], ['unit', ' --import=./args.mjs'],
      ['args', '--inspect=0.0.0.0:9229'], ['args', '-p'], ['args', '@opts.txt'], ['args', '+x'],
    ])('%s refuses %j before running anything', async (suite, filter) => {
      await rm(path.join(repo.root, 'args-ran'), { force: true });
      const { isError, text } = await runTests(suite, {}, { filter });
      expect(isError).toBe(true);
      expect(text).toMatch(/may not start with/);
      expect(existsSync(path.join(repo.root, 'args-ran'))).toBe(false);
    });

    it('still passes a test file, and a name with a dash inside', async () => {
      expect((await runTests('unit', {}, { filter: 'ok.test.mjs' })).out).toMatchObject({ status: 'passed', counts: { passed: 2 } });
      const { out } = await runTests('args', {}, { filter: 'divides -by zero' });
      expect(JSON.parse((out['output'] as string).trim())).toEqual(['divides -by zero']);
    });
  });

  it('keeps 50 MB of output to its head and tail', async () => {
    const { out } = await runTests('flood', { limits: { maxOutputBytes: 16_000 } });
    expect(out['status']).toBe('passed');
    expect(out['output_truncated']).toBe(true);
    expect((out['output'] as string).length).toBeLessThan(17_000);
    expect(out['output']).toContain('FLOOD END');
  });

  it('says when the command cannot be started', async () => {
    const { out } = await runTests('missing');
    expect(out['status']).not.toBe('passed');
    expect(out['output']).toMatch(/definitely-not-a-command-xyz/);
  });

  it('ends every process the command started at the time limit, SIGTERM-proof grandchildren included', async () => {
    const beat = newBeatFile();
    const { out } = await runTests('run', { limits: { testTimeoutSeconds: 1.5 } }, { args: ['hang.mjs', beat] });
    expect(out['status']).toBe('timed_out');
    expect(beats(beat)).toBeGreaterThan(0);
    expect(await growthWhileControlBeats(beat)).toBe(0);
  });

  it('returns when the command exits, even though a child in its own session keeps stdout open, and ends that child', async () => {
    const beat = newBeatFile();
    const { out } = await runTests('run', { limits: { testTimeoutSeconds: 600 } }, { args: ['setsid.mjs', beat] });
    expect(out).toMatchObject({ status: 'passed', exit_code: 0 });
    expect(out['output']).toContain('parent done');
    expect(await growthWhileControlBeats(beat)).toBe(0);
  });

  it('holds the time limit when such a child outlives a hanging command', async () => {
    const beat = newBeatFile();
    const { out } = await runTests('run', { limits: { testTimeoutSeconds: 1.5 } }, { args: ['setsid.mjs', beat, 'hang'] });
    expect(out['status']).toBe('timed_out');
    expect(await growthWhileControlBeats(beat)).toBe(0);
  });

  it('stops the command, and what it started, when the call is cancelled', async () => {
    const controller = new AbortController();
    const beat = newBeatFile();
    const running = runTests('run', {}, { signal: controller.signal, args: ['hang.mjs', beat] });
    await waitForBeats(beat, 3);
    controller.abort();
    await expect(running).rejects.toThrow();
    // The call is answered at once; the command goes after the grace period.
    await waitUntilStopped(beat);
  });

  it('keeps the head and tail of long output within the limit', async () => {
    const { out } = await runTests('noisy', { limits: { maxOutputBytes: 4_000 } });
    expect(out['output_truncated']).toBe(true);
    const output = out['output'] as string;
    expect(output.length).toBeLessThan(4_200);
    expect(output).toContain('line 0 ');
    expect(output).toContain('THE END');
    expect(output).toMatch(/\d+ bytes of output omitted/);
  });

  it('never passes secrets from the environment to the command', async () => {
    process.env['ANTHROPIC_API_KEY'] = 'sk-secret-for-test';
    process.env['GITHUB_TOKEN'] = 'ghp-secret-for-test';
    process.env['BATON_TEST_VISIBLE'] = 'yes';
    try {
      const { out } = await runTests('env');
      expect(JSON.parse((out['output'] as string).trim())).toEqual({ key: null, token: null, home: repo.root, visible: null });
      const allowed = await runTests('env', { testEnv: ['BATON_TEST_VISIBLE'] });
      expect(JSON.parse((allowed.out['output'] as string).trim())).toEqual({ key: null, token: null, home: repo.root, visible: 'yes' });
      // A grant that names a credential-looking variable is refused outright.
      await expect(runTests('env', { testEnv: ['BATON_TEST_VISIBLE', 'GITHUB_TOKEN'] })).rejects.toThrow(/GITHUB_TOKEN looks like a credential/);
    } finally {
      delete process.env['ANTHROPIC_API_KEY'];
      delete process.env['GITHUB_TOKEN'];
      delete process.env['BATON_TEST_VISIBLE'];
    }
  });

  describe.runIf(sandboxStatus().available)('inside bubblewrap', () => {
    it('has no network', async () => {
      const { out } = await runTests('net');
      expect(out['output']).toContain('blocked');
      expect(out['status']).toBe('failed');
    });

    it('shows nothing of the host outside the workspace but the system and the toolchain', async () => {
      const secret = path.join(repo.outside, 'secret.txt');
      await writeFile(secret, 'TOPSECRET');
      const hostTmpFile = path.join(os.tmpdir(), `baton-host-tmp-${process.pid}.txt`);
      await writeFile(hostTmpFile, 'TOPSECRET');
      try {
        const thisFile = fileURLToPath(import.meta.url);
        const seen = await probe('read', [secret, repo.outside, hostTmpFile, thisFile, path.dirname(thisFile), os.homedir(), '/root', '/home', '/run', '/var/run', '/sys', '/opt', '/srv', '/mnt', path.join(repo.root, '.git', 'HEAD')]);
        for (const [target, result] of Object.entries(seen)) expect(result, target).toBe('ENOENT');
        // What the command needs is there.
        const needed = await probe('read', ['/usr/bin', '/etc/passwd', path.join(repo.root, 'ok.test.mjs'), node]);
        for (const [target, result] of Object.entries(needed)) expect(result, target).toMatch(/^(LISTED|READ)/);
      } finally {
        await rm(hostTmpFile, { force: true });
      }
    });

    it('shows of /etc only what every user may read', async () => {
      const seen = await probe('read', ['/etc/shadow', '/etc/gshadow', '/etc/ssl/private']);
      for (const [target, result] of Object.entries(seen)) expect(result, target).toMatch(/^(EMPTY|ENOENT|EACCES|LISTED 0)$/);
    });

    it('cannot connect to a Unix socket of the host, in a temp directory, under /run or abstract', async () => {
      const servers: Server[] = [];
      let connections = 0;
      const listen = (address: string) =>
        new Promise<boolean>((resolve) => {
          const server = createServer((socket) => {
            connections++;
            socket.destroy();
          });
          server.once('error', () => resolve(false));
          server.listen(address, () => {
            servers.push(server);
            resolve(true);
          });
        });
      const id = `baton-test-${process.pid}-${Date.now()}`;
      const candidates = [path.join(repo.outside, 'agent.sock'), path.join(os.tmpdir(), `${id}.sock`), path.join('/run', `${id}.sock`), `@${id}`];
      const targets: string[] = [];
      for (const candidate of candidates) if (await listen(candidate.startsWith('@') ? `\0${candidate.slice(1)}` : candidate)) targets.push(candidate);
      try {
        expect(targets.length).toBeGreaterThanOrEqual(3);
        const seen = await probe('connect', targets);
        for (const target of targets) expect(seen[target], target).not.toBe('CONNECTED');
        expect(connections).toBe(0);
      } finally {
        await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      }
    });

    it('shows paths the operator added with testReadOnly, read-only', async () => {
      const extra = path.join(repo.outside, 'extra-toolchain');
      mkdirSync(extra, { recursive: true });
      writeFileSync(path.join(extra, 'config.txt'), 'shared config');
      const read = await probe('read', [path.join(extra, 'config.txt')], { testReadOnly: [extra] });
      expect(read[path.join(extra, 'config.txt')]).toBe('READ shared config');
      const write = await probe('write', [path.join(extra, 'new.txt')], { testReadOnly: [extra] });
      expect(write[path.join(extra, 'new.txt')]).toMatch(/EROFS|EACCES/);
      expect(existsSync(path.join(extra, 'new.txt'))).toBe(false);
    });

    it('shows the workspace\'s .git read-only when the operator adds it, and keeps the rest writable', async () => {
      const gitHead = path.join(repo.root, '.git', 'HEAD');
      const grant = { testReadOnly: [path.join(repo.root, '.git')] };
      expect((await probe('read', [gitHead], grant))[gitHead]).toBe('READ ref: refs/heads/main\n');
      const targets = [path.join(repo.root, '.git', 'pwned'), path.join(repo.root, 'written.txt')];
      const seen = await probe('write', targets, grant);
      expect(seen[targets[0]!]).toMatch(/EROFS|EACCES/);
      expect(seen[targets[1]!]).toBe('WROTE');
    });

    it('runs a toolchain installed outside the workspace, through a symlink too, without showing its neighbours', async () => {
      const prefix = path.join(repo.outside, 'toolchain');
      mkdirSync(path.join(prefix, 'bin'), { recursive: true });
      mkdirSync(path.join(prefix, 'lib'), { recursive: true });
      writeFileSync(path.join(prefix, 'lib', 'helper.mjs'), "export const greeting = 'toolchain works';\n");
      const tool = path.join(prefix, 'bin', 'mytool');
      writeFileSync(tool, "#!/usr/bin/env node\nimport { greeting } from '../lib/helper.mjs';\nconsole.log(greeting);\n");
      chmodSync(tool, 0o755);
      const links = path.join(repo.outside, 'links');
      mkdirSync(links, { recursive: true });
      if (!existsSync(path.join(links, 'mytool'))) symlinkSync(tool, path.join(links, 'mytool'));
      await writeFile(path.join(repo.outside, 'secret.txt'), 'TOPSECRET');
      for (const argv0 of [tool, path.join(links, 'mytool')]) {
        const { out } = await runTests('tool', {}, { args: [argv0] });
        expect(out['status'], String(out['output'])).toBe('passed');
        expect(out['output']).toContain('toolchain works');
      }
      const { out } = await runTests('tool', {}, { args: [tool, path.join(repo.outside, 'secret.txt')] });
      expect(out['output']).not.toContain('TOPSECRET');
    });

    it('gives the command a private, writable /tmp', async () => {
      const { out } = await runTests('tmp');
      expect(out['status'], String(out['output'])).toBe('passed');
      expect(out['output']).toContain('/tmp ok');
    });

    it('cannot write into the checkout\'s .git', async () => {
      const { out } = await runTests('gitwrite');
      expect(out['output']).toMatch(/refused: (EROFS|EACCES|ENOENT)/);
      expect(existsSync(path.join(repo.root, '.git', 'hooks-pwned'))).toBe(false);
    });

    it('cannot write outside the workspace', async () => {
      const { out } = await runTests('escape');
      expect(out['output']).toMatch(/refused: (EROFS|ENOENT|EACCES)/);
      expect(existsSync(path.join(repo.outside, 'escaped.txt'))).toBe(false);
    });

    it('shows a linked path read-only inside the workspace and at its own path; no test writes through it, not even by remounting it', async () => {
      const checkout = path.join(repo.outside, 'checkout-venv');
      mkdirSync(path.join(checkout, 'lib'), { recursive: true });
      writeFileSync(path.join(checkout, 'lib', 'dep.txt'), 'installed dependency');
      const grant = { testLinks: [{ source: checkout, path: 'venv' }] };
      const inWorkspace = path.join(repo.root, 'venv', 'lib', 'dep.txt');
      const atSource = path.join(checkout, 'lib', 'dep.txt');
      expect(await probe('read', [inWorkspace, atSource], grant)).toEqual({ [inWorkspace]: 'READ installed dependency', [atSource]: 'READ installed dependency' });
      const writes = [inWorkspace, path.join(repo.root, 'venv', 'new.txt'), path.join(checkout, 'new.txt')];
      const seen = await probe('write', writes, grant);
      for (const target of writes) expect(seen[target], target).toMatch(/EROFS|EACCES/);
      // Run by root, bwrap would leave the command CAP_SYS_ADMIN, and `mount -o remount,rw` would undo read-only.
      const { out } = await runTests('tool', grant, { args: ['/bin/sh', '-c', 'mount -o remount,rw,bind "$PWD/venv" 2>&1; echo x > venv/pwned 2>&1; grep CapEff /proc/self/status'] });
      expect(out['output']).toContain('CapEff:\t0000000000000000');
      expect(existsSync(path.join(checkout, 'pwned'))).toBe(false);
      expect(readFileSync(atSource, 'utf8')).toBe('installed dependency');
      // The workspace never holds the linked files: the tools cannot read or write them.
      expect(existsSync(path.join(repo.root, 'venv', 'lib'))).toBe(false);
    });

    it('does not mount a link whose place in the workspace passes through a symlink', async () => {
      const checkout = path.join(repo.outside, 'checkout-modules');
      mkdirSync(checkout, { recursive: true });
      writeFileSync(path.join(checkout, 'm.txt'), 'module');
      mkdirSync(path.join(repo.root, 'real-pkg'), { recursive: true });
      symlinkSync('real-pkg', path.join(repo.root, 'pkg'));
      const target = path.join(repo.root, 'real-pkg', 'node_modules', 'm.txt');
      expect(await probe('read', [target], { testLinks: [{ source: checkout, path: 'pkg/node_modules' }] })).toEqual({ [target]: 'ENOENT' });
    });

    it('runs tests in a git worktree under .git/baton/worktrees with the main checkout\'s node_modules, and shows nothing of the main .git', async () => {
      const main = await makeTempRepo({
        'ok.test.mjs': "import { test } from 'node:test';\nimport { answer } from 'shared-dep';\ntest('works', () => { if (answer !== 42) throw new Error('no dependency'); });\n",
        'probe.mjs': PROBE,
        '.gitignore': 'node_modules/\n',
        // Installed in the main checkout only, as dependencies usually are; the worktree resolves it by walking up.
        'node_modules/shared-dep/package.json': '{"name":"shared-dep","type":"module","exports":"./index.js"}',
        'node_modules/shared-dep/index.js': 'export const answer = 42;\n',
      });
      try {
        const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: main.root, stdio: 'pipe' });
        git('init', '-q', '-b', 'main');
        git('add', '.');
        git('commit', '-q', '-m', 'init');
        const worktree = path.join(main.root, '.git', 'baton', 'worktrees', 'task-1');
        git('worktree', 'add', '-q', '-b', 'task-1', worktree);
        const { out } = await runTests('unit', {}, { root: worktree });
        expect(out, String(out['output'])).toMatchObject({ status: 'passed', counts: { passed: 1 } });
        const seen = await probe('read', [path.join(main.root, '.git', 'config'), path.join(main.root, 'ok.test.mjs'), path.join(worktree, '.git')], {}, worktree);
        const modules = await probe('write', [path.join(main.root, 'node_modules', 'shared-dep', 'index.js')], {}, worktree);
        expect(Object.values(modules)[0]).toMatch(/EROFS|EACCES/);
        expect(seen[path.join(main.root, '.git', 'config')]).toBe('ENOENT');
        expect(seen[path.join(main.root, 'ok.test.mjs')]).toBe('ENOENT');
        expect(seen[path.join(worktree, '.git')]).toMatch(/^(EMPTY|ENOENT|EACCES)$/);
      } finally {
        await main.cleanup();
      }
    });
  });
});
