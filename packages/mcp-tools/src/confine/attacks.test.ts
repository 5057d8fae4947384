// The tools under attack, through MCP: symlinks planted in the tree, odd file types, a write scope
// wider than the read scope, and a hostile process swapping directories for symlinks while the
// session's calls run concurrently. Nothing outside the root may be read, listed or written.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema, type GrantInput } from '../grant.ts';
import { connectInMemory } from '../testing/connect-in-memory.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';

const SECRETS = ['TOPSECRET', 'GITSECRET', 'PRIVSECRET', 'secret-name-7f3a'];

async function session(root: string, grant: GrantInput) {
  const { client, close } = await connectInMemory({ root, grant: GrantSchema.parse(grant) });
  return { client, close };
}

interface CallOutcome {
  isError: boolean;
  text: string;
  /** Everything the model could see: the text and the structured result. */
  seen: string;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallOutcome> {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[]).map((c) => c.text).join('\n');
  return { isError: result.isError === true, text, seen: `${text}\n${JSON.stringify(result.structuredContent ?? {})}` };
}

/** No secret the call's own arguments did not already name. */
function expectNoSecret(outcome: CallOutcome, args: Record<string, unknown> = {}): void {
  const asked = JSON.stringify(args);
  for (const secret of SECRETS) if (!asked.includes(secret)) expect(outcome.seen).not.toContain(secret);
}

describe('planted symlinks and special files', () => {
  let repo: TempRepo;
  let socketServer: Server;
  const grant: GrantInput = { tools: ['read_file', 'list_files', 'search', 'apply_diff'], read: ['src/**', '!src/private/**', 'README.md'], write: ['src/**'] };

  beforeAll(async () => {
    repo = await makeTempRepo({
      'README.md': 'readme\n',
      'src/a.ts': 'export const a = 1;\n',
      'src/three.ts': 'const one = 1;\nconst two = 2;\nconst three = 3;\n',
      'src/private/s.txt': 'PRIVSECRET line\n',
      '.git/config': '[core] GITSECRET\n',
    });
    writeFileSync(path.join(repo.outside, 'secret-name-7f3a.txt'), 'TOPSECRET outside\n');
    symlinkSync('../../repo-other', path.join(repo.root, 'src/out'));
    symlinkSync('private', path.join(repo.root, 'src/l'));
    symlinkSync('../.git', path.join(repo.root, 'src/g'));
    symlinkSync(path.join(repo.outside, 'nowhere.ts'), path.join(repo.root, 'src/dangling.ts'));
    symlinkSync('private/s.txt', path.join(repo.root, 'src/s-link.txt'));
    spawnSync('mkfifo', [path.join(repo.root, 'src/fifo')]);
    socketServer = createServer();
    await new Promise<void>((resolve) => socketServer.listen(path.join(repo.root, 'src/sock'), resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => socketServer.close(resolve));
    await repo.cleanup();
  });

  it('search does not follow a path that is, or passes through, a symlink (outside, .git, excluded folder)', async () => {
    const { client, close } = await session(repo.root, grant);
    for (const p of ['src/out', 'src/out/', 'src/l', 'src/g', 'src/out/secret-name-7f3a.txt', 'src/l/s.txt']) {
      for (const query of ['TOPSECRET', 'PRIVSECRET', 'GITSECRET', 'secret']) {
        const out = await call(client, 'search', { query, path: p });
        expect(out.isError, `${p} ${query}`).toBe(true);
        expectNoSecret(out, { path: p });
      }
    }
    const whole = await call(client, 'search', { query: 'SECRET' });
    expect(whole.isError).toBe(false);
    expectNoSecret(whole);
    await close();
  });

  it('list_files does not list through a symlink to an unreadable folder, .git or outside', async () => {
    const { client, close } = await session(repo.root, grant);
    for (const p of ['src/l', 'src/g', 'src/out', 'src/l/', 'src/g/hooks']) {
      const out = await call(client, 'list_files', { path: p });
      expect(out.isError, p).toBe(true);
      expectNoSecret(out);
      expect(out.seen).not.toContain('s.txt');
      expect(out.seen).not.toContain('config');
    }
    const all = await call(client, 'list_files', {});
    expect(all.isError).toBe(false);
    expect((all.seen.match(/src\/a\.ts/g) ?? []).length).toBeGreaterThan(0);
    expect(all.seen).not.toContain('s.txt');
    await close();
  });

  it('read_file refuses symlinks to outside, .git and unreadable files, without saying what is there', async () => {
    const { client, close } = await session(repo.root, grant);
    for (const p of ['src/out/secret-name-7f3a.txt', 'src/g/config', 'src/l/s.txt', 'src/s-link.txt', 'src/dangling.ts']) {
      const out = await call(client, 'read_file', { path: p });
      expect(out.isError, p).toBe(true);
      expectNoSecret(out, { path: p });
    }
    await close();
  });

  it('refuses FIFOs and sockets at once in every tool, and one such call never holds up the others', async () => {
    const { client, close } = await session(repo.root, grant);
    const calls = [
      call(client, 'read_file', { path: 'src/fifo' }),
      call(client, 'read_file', { path: 'src/sock' }),
      call(client, 'apply_diff', { patch: '--- a/src/fifo\n+++ b/src/fifo\n@@ -1 +1 @@\n-x\n+y\n' }),
      call(client, 'apply_diff', { patch: 'src/sock\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n' }),
      call(client, 'search', { query: 'x', path: 'src/fifo' }),
      call(client, 'list_files', { path: 'src/fifo' }),
    ];
    const plain = call(client, 'read_file', { path: 'src/a.ts' });
    const outcomes = await Promise.all(calls);
    for (const out of outcomes) {
      expect(out.isError).toBe(true);
      expect(out.text).toMatch(/named pipe|socket|not a regular file|is a file/);
    }
    expect((await plain).isError).toBe(false);
    // A search over a tree that holds them skips them instead of hanging.
    const whole = await call(client, 'search', { query: 'export' });
    expect(whole.isError).toBe(false);
    expect(whole.text).toContain('src/a.ts');
    await close();
  });

  it('refuses a device file', async () => {
    const made = spawnSync('mknod', [path.join(repo.root, 'src/zero'), 'c', '1', '5']);
    if (made.status !== 0) return void expect(made.status).not.toBe(0); // mknod needs CAP_MKNOD; CI runs as root
    const { client, close } = await session(repo.root, grant);
    const read = await call(client, 'read_file', { path: 'src/zero' });
    expect(read.isError).toBe(true);
    expect(read.text).toMatch(/device file/);
    const diff = await call(client, 'apply_diff', { patch: 'src/zero\n<<<<<<< SEARCH\n=======\ny\n>>>>>>> REPLACE\n' });
    expect(diff.isError).toBe(true);
    unlinkSync(path.join(repo.root, 'src/zero'));
    await close();
  });

  it('never replaces a dangling symlink with a file, nor writes through a symlink', async () => {
    const { client, close } = await session(repo.root, grant);
    const created = await call(client, 'apply_diff', { patch: '--- /dev/null\n+++ b/src/dangling.ts\n@@ -0,0 +1 @@\n+pwned\n' });
    expect(created.isError).toBe(true);
    expect(lstatSync(path.join(repo.root, 'src/dangling.ts')).isSymbolicLink()).toBe(true);
    expect(existsSync(path.join(repo.outside, 'nowhere.ts'))).toBe(false);
    const through = await call(client, 'apply_diff', { patch: '--- /dev/null\n+++ b/src/out/pwn.ts\n@@ -0,0 +1 @@\n+pwned\n' });
    expect(through.isError).toBe(true);
    expect(readdirSync(repo.outside)).toEqual(['secret-name-7f3a.txt']);
    await close();
  });

  it('write never implies read: previews, diffs and errors quote only readable text', async () => {
    const { client, close } = await session(repo.root, grant);
    const dryDelete = await call(client, 'apply_diff', { patch: '--- a/src/private/s.txt\n+++ /dev/null\n', dry_run: true });
    expect(dryDelete.isError).toBe(false);
    expectNoSecret(dryDelete);
    const nearMiss = await call(client, 'apply_diff', { patch: '--- a/src/private/s.txt\n+++ b/src/private/s.txt\n@@ -1 +1 @@\n-PRIVSECRET lime\n+changed\n' });
    expect(nearMiss.isError).toBe(true);
    expect(nearMiss.text).toMatch(/not shown/);
    expectNoSecret(nearMiss);
    const edit = await call(client, 'apply_diff', { patch: 'src/private/s.txt\n<<<<<<< SEARCH\nPRIVSECRET line\n=======\nPRIVSECRET line\nnew line\n>>>>>>> REPLACE\n', dry_run: true });
    expect(edit.isError).toBe(false);
    expectNoSecret(edit);
    // The same edits on a readable file do show the text.
    const readable = await call(client, 'apply_diff', { patch: '--- a/src/three.ts\n+++ b/src/three.ts\n@@ -1,3 +1,3 @@\n const one = 1;\n-const two = 3;\n+const two = 22;\n const three = 3;\n' });
    expect(readable.isError).toBe(true);
    expect(readable.text).toContain('const two = 2;');
    await close();
  });

  it('treats null as absent for every optional argument', async () => {
    const { client, close } = await session(repo.root, { ...grant, read: ['**'] });
    expect((await call(client, 'read_file', { path: 'src/a.ts', start_line: null, end_line: null })).isError).toBe(false);
    expect((await call(client, 'list_files', { path: null, glob: null })).isError).toBe(false);
    expect((await call(client, 'search', { query: 'export', regex: null, glob: null, path: null, case_sensitive: null, max_results: null })).isError).toBe(false);
    expect((await call(client, 'apply_diff', { patch: 'src/a.ts\n<<<<<<< SEARCH\nexport const a = 1;\n=======\nexport const a = 1;\n>>>>>>> REPLACE\n', dry_run: null })).isError).toBe(false);
    const required = await call(client, 'read_file', { path: null });
    expect(required.isError).toBe(true);
    expect(required.text).toMatch(/path/);
    await close();
  });
});

/**
 * A process that keeps rotating `src/d` between a real directory and symlinks to outside the
 * root, to `.git` and to a folder the grant excludes, as a worker's own test could. It prints
 * "ready" once it has rotated a while and exits when its stdin closes, printing its count.
 */
const SWAPPER = `
const fs = require('node:fs');
const states = ['src/d.out', 'src/d.git', 'src/d.private'];
let n = 0, stop = false, aside = 0;
process.stdin.on('end', () => { stop = true; });
process.stdin.resume();
// A tool may create src/d or src/f.txt while it is away (it writes a new file there): move that aside.
function move(from, to) {
  for (;;) {
    try { return fs.renameSync(from, to); } catch (e) {
      if (!['ENOTEMPTY', 'EEXIST', 'EISDIR', 'ENOTDIR'].includes(e.code)) throw e;
      fs.renameSync(to, 'src/made-' + aside++);
    }
  }
}
function rotate() {
  for (let k = 0; k < 200 && !stop; k++) {
    const s = states[n % states.length];
    move('src/d', 'src/d.real');
    move(s, 'src/d');
    move('src/d', s);
    move('src/d.real', 'src/d');
    move('src/f.txt', 'src/f.real');
    move('src/f.link', 'src/f.txt');
    move('src/f.txt', 'src/f.link');
    move('src/f.real', 'src/f.txt');
    if (++n === 50) process.stdout.write('ready\\n');
  }
  if (stop) { process.stdout.write('rotations=' + n + '\\n'); process.exit(0); }
  setImmediate(rotate);
}
rotate();
`;

describe('a hostile process racing concurrent calls', () => {
  let repo: TempRepo;
  let swapper: ChildProcess;
  // BATON_RACE_ROUNDS=5000 for a long soak run by hand.
  const rounds = Number(process.env['BATON_RACE_ROUNDS'] ?? 60);

  beforeAll(async () => {
    repo = await makeTempRepo({
      'src/d/file.txt': 'INSIDE\nalpha\n',
      'src/f.txt': 'INSIDE-F\nalpha\n',
      'private/file.txt': 'PRIVSECRET\nalpha\n',
      '.git/file.txt': 'GITSECRET\nalpha\n',
    });
    writeFileSync(path.join(repo.outside, 'file.txt'), 'TOPSECRET\nalpha\n');
    writeFileSync(path.join(repo.outside, 'secret-name-7f3a.txt'), 'TOPSECRET\n');
    symlinkSync(repo.outside, path.join(repo.root, 'src/d.out'));
    symlinkSync('../.git', path.join(repo.root, 'src/d.git'));
    symlinkSync('../private', path.join(repo.root, 'src/d.private'));
    symlinkSync(path.join(repo.outside, 'file.txt'), path.join(repo.root, 'src/f.link'));
  });
  afterAll(async () => {
    if (swapper && swapper.exitCode === null) swapper.kill('SIGKILL');
    await repo.cleanup();
  });

  it('gives 0 escapes: no outside, .git or excluded content read, listed or written', async () => {
    swapper = spawn(process.execPath, ['-e', SWAPPER], { cwd: repo.root, stdio: ['pipe', 'pipe', 'inherit'] });
    let swapperOut = '';
    swapper.stdout!.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      swapper.stdout!.on('data', (chunk: string) => {
        swapperOut += chunk;
        if (swapperOut.includes('ready')) resolve();
      });
      swapper.once('exit', (code) => reject(new Error(`swapper exited early (${code})`)));
    });

    const { client, close } = await session(repo.root, { tools: ['read_file', 'list_files', 'search', 'apply_diff'], read: ['**', '!private/**'], write: ['src/**'] });
    let insideReads = 0;
    let naiveEscapes = 0;
    const outcomes: CallOutcome[] = [];
    for (let i = 0; i < rounds; i++) {
      const batch = await Promise.all([
        call(client, 'read_file', { path: 'src/d/file.txt' }),
        call(client, 'read_file', { path: 'src/f.txt' }),
        call(client, 'apply_diff', { patch: `--- /dev/null\n+++ b/src/d/pwn-${i}.ts\n@@ -0,0 +1 @@\n+pwned ${i}\n` }),
        call(client, 'apply_diff', { patch: 'src/d/file.txt\n<<<<<<< SEARCH\nalpha\n=======\nbeta\n>>>>>>> REPLACE\n' }),
        call(client, 'apply_diff', { patch: 'src/d/file.txt\n<<<<<<< SEARCH\nbeta\n=======\nalpha\n>>>>>>> REPLACE\n' }),
        call(client, 'apply_diff', { patch: 'src/f.txt\n<<<<<<< SEARCH\nalpha\n=======\ngamma\n>>>>>>> REPLACE\n' }),
        call(client, 'apply_diff', { patch: 'src/f.txt\n<<<<<<< SEARCH\ngamma\n=======\nalpha\n>>>>>>> REPLACE\n' }),
        call(client, 'search', { query: 'SECRET' }),
        call(client, 'search', { query: 'SECRET', path: 'src/d' }),
        call(client, 'list_files', { path: 'src' }),
        call(client, 'list_files', { path: 'src/d' }),
      ]);
      outcomes.push(...batch);
      if (batch[0]!.text.includes('INSIDE')) insideReads++;
      // The same read by name, as a path-checking tool would do it: proof the race was live.
      try {
        if (readFileSync(path.join(repo.root, 'src/d/file.txt'), 'utf8').includes('SECRET')) naiveEscapes++;
      } catch {
        // Caught mid-rename.
      }
    }
    await close();
    // The end of its stdout, not its 'exit' (which can come first): only then is all it wrote read.
    const ended = swapper.stdout!.readableEnded ? Promise.resolve() : new Promise((resolve) => swapper.stdout!.once('end', resolve));
    swapper.stdin!.end();
    await ended;

    for (const outcome of outcomes) expectNoSecret(outcome);
    // Nothing written outside the root, into .git or into the excluded folder; outside files untouched.
    expect(readdirSync(repo.outside).sort()).toEqual(['file.txt', 'secret-name-7f3a.txt']);
    expect(readFileSync(path.join(repo.outside, 'file.txt'), 'utf8')).toBe('TOPSECRET\nalpha\n');
    expect(readdirSync(path.join(repo.root, '.git'))).toEqual(['file.txt']);
    expect(readFileSync(path.join(repo.root, '.git/file.txt'), 'utf8')).toBe('GITSECRET\nalpha\n');
    expect(readdirSync(path.join(repo.root, 'private'))).toEqual(['file.txt']);
    expect(readFileSync(path.join(repo.root, 'private/file.txt'), 'utf8')).toBe('PRIVSECRET\nalpha\n');
    // No temporary files left anywhere in the tree.
    expect(listTree(repo.root).filter((p) => p.includes('.baton-'))).toEqual([]);
    expect(listTree(path.dirname(repo.root)).filter((p) => p.includes('.baton-'))).toEqual([]);
    // And the race was real: the swapper kept going, exposing outside content to anyone opening by name.
    expect(swapperOut).toMatch(/rotations=\d+/);
    expect(naiveEscapes, 'the swapper must have exposed outside content by name during the calls').toBeGreaterThan(0);
    expect(insideReads, 'the tools must have seen the real directory too').toBeGreaterThan(0);
  }, 300_000);
});

function listTree(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = `${prefix}${entry.name}`;
    out.push(rel);
    if (entry.isDirectory()) out.push(...listTree(path.join(dir, entry.name), `${rel}/`));
  }
  return out;
}

describe('without /proc', () => {
  it('refuses every file call with an environment error instead of opening anything by name', async () => {
    const repo = await makeTempRepo({ 'a.txt': 'hello\n' });
    try {
      const script = `
        const { readFileTool, listFilesTool, GrantSchema } = await import(${JSON.stringify(new URL('../index.ts', import.meta.url).href)});
        const ctx = { grant: GrantSchema.parse({}), root: ${JSON.stringify(repo.root)}, signal: new AbortController().signal, log: () => {} };
        const outcome = async (tool, args) => { try { await tool.run(args, ctx); return 'ok'; } catch (e) { return e.code + ' ' + e.fault; } };
        console.log(JSON.stringify([await outcome(readFileTool, { path: 'a.txt' }), await outcome(listFilesTool, {})]));`;
      // A mount namespace whose /proc is an empty tmpfs: what a system without /proc looks like to the tools.
      const ran = spawnSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--tmpfs', '/proc', '--', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(ran.stderr).toBe('');
      expect(JSON.parse(ran.stdout)).toEqual(['confinement_unavailable environment', 'confinement_unavailable environment']);
    } finally {
      await repo.cleanup();
    }
  });
});
