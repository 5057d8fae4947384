// run_tests through the SDK's in-memory transport with real child processes in temp
// workspaces: truthful status, counts, limits, process-group kill, environment scrub and the
// bubblewrap sandbox (no network, read-only outside the workspace).
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema, type GrantInput } from '../grant.ts';
import { sandboxStatus } from '../run-tests/sandbox.ts';
import { connectInMemory } from '../testing/connect-in-memory.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';

let repo: TempRepo;
const node = process.execPath;

beforeAll(async () => {
  repo = await makeTempRepo({
    'ok.test.mjs': "import { test } from 'node:test';\ntest('adds', () => {});\ntest('subtracts', () => {});\n",
    'bad.test.mjs': "import { test } from 'node:test';\nimport assert from 'node:assert';\ntest('adds', () => {});\ntest('divides by zero', () => assert.equal(1, 2));\n",
    // Starts a grandchild that would outlive a plain kill, then hangs.
    'hang.mjs': "import { spawn } from 'node:child_process';\nimport { writeFileSync } from 'node:fs';\nconst g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });\nwriteFileSync('grandchild.pid', String(g.pid));\nsetInterval(() => {}, 1000);\n",
    'noisy.mjs': "for (let i = 0; i < 5000; i++) console.log('line ' + i + ' ' + 'x'.repeat(40));\nconsole.log('THE END');\n",
    'env.mjs': "console.log(JSON.stringify({ key: process.env.ANTHROPIC_API_KEY ?? null, token: process.env.GITHUB_TOKEN ?? null, home: process.env.HOME, visible: process.env.BATON_TEST_VISIBLE ?? null }));\n",
    'net.mjs': "import { connect } from 'node:net';\nconst s = connect({ host: '1.1.1.1', port: 53, timeout: 3000 });\ns.on('connect', () => { console.log('NETWORK OPEN'); process.exit(0); });\ns.on('error', (e) => { console.log('blocked: ' + e.code); process.exit(3); });\ns.on('timeout', () => { console.log('blocked: timeout'); process.exit(3); });\n",
    'args.mjs': "import { writeFileSync } from 'node:fs';\nwriteFileSync('args-ran', '');\nconsole.log(JSON.stringify(process.argv.slice(2)));\n",
    // 50 MB of output: the result keeps a small head and tail and the process memory stays bounded.
    'flood.mjs': "const line = 'y'.repeat(1023) + '\\n';\nconst chunk = line.repeat(1024);\nfor (let i = 0; i < 50; i++) process.stdout.write(chunk);\nconsole.log('FLOOD END');\n",
    'gitwrite.mjs': "import { writeFileSync } from 'node:fs';\ntry { writeFileSync('.git/hooks-pwned', 'x'); console.log('WROTE GIT'); } catch (e) { console.log('refused: ' + e.code); process.exit(5); }\n",
    '.git/HEAD': 'ref: refs/heads/main\n',
    'escape.mjs': "import { writeFileSync } from 'node:fs';\ntry { writeFileSync(process.argv[2], 'escaped'); console.log('WROTE OUTSIDE'); } catch (e) { console.log('refused: ' + e.code); process.exit(4); }\n",
  });
});
afterAll(() => repo.cleanup());

async function runTests(name: string, grant: Partial<GrantInput> = {}, signal?: AbortSignal, filter?: string) {
  const full = GrantSchema.parse({
    tools: ['run_tests'],
    tests: {
      ok: { argv: [node, '--test', 'ok.test.mjs'] },
      bad: { argv: [node, '--test', 'bad.test.mjs'] },
      unit: { argv: ['node', '--test'] },
      hang: { argv: [node, 'hang.mjs'] },
      noisy: { argv: [node, 'noisy.mjs'] },
      env: { argv: [node, 'env.mjs'] },
      net: { argv: [node, 'net.mjs'] },
      escape: { argv: [node, 'escape.mjs', path.join(repo.outside, 'escaped.txt')] },
      missing: { argv: ['definitely-not-a-command-xyz'] },
      args: { argv: [node, 'args.mjs'] },
      flood: { argv: [node, 'flood.mjs'] },
      gitwrite: { argv: [node, 'gitwrite.mjs'] },
      outsideTool: { argv: [node, path.join(repo.outside, 'tool.mjs')] },
    },
    ...grant,
  });
  const { client, close } = await connectInMemory({ root: repo.root, grant: full });
  try {
    const result = await client.callTool({ name: 'run_tests', arguments: { suite: name, ...(filter !== undefined ? { filter } : {}) } }, undefined, signal ? { signal } : undefined);
    return { isError: result.isError === true, text: (result.content as { text: string }[])[0]!.text, out: result.structuredContent as Record<string, unknown> };
  } finally {
    await close();
  }
}

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
    const { out } = await runTests('args', {}, undefined, '$(touch pwned); echo `id` > x && rm -rf / *');
    expect(JSON.parse((out['output'] as string).trim())).toEqual(['$(touch pwned); echo `id` > x && rm -rf / *']);
    expect(existsSync(path.join(repo.root, 'pwned'))).toBe(false);
    expect(existsSync(path.join(repo.root, 'x'))).toBe(false);
  });

  describe('a filter is never read as an option', () => {
    it('refuses the --import attack on `node --test` with a read-only grant, and nothing runs', async () => {
      const attack = '--import=data:text/javascript,import{writeFileSync}from"node:fs";writeFileSync("PWNED","")';
      const { isError, text } = await runTests('unit', { tools: ['run_tests', 'read_file'], write: [] }, undefined, attack);
      expect(isError).toBe(true);
      expect(text).toMatch(/may not start with "-"/);
      expect(existsSync(path.join(repo.root, 'PWNED'))).toBe(false);
    });

    it.each([
      ['unit', '--require=./args.mjs'], ['unit', '-r'], ['unit', '--loader=./x.mjs'], ['unit', '-e'], ['unit', '--eval=1'], ['unit', ' --import=./args.mjs'],
      ['args', '--inspect=0.0.0.0:9229'], ['args', '-p'], ['args', '@opts.txt'], ['args', '+x'],
    ])('%s refuses %j before running anything', async (suite, filter) => {
      await rm(path.join(repo.root, 'args-ran'), { force: true });
      const { isError, text } = await runTests(suite, {}, undefined, filter);
      expect(isError).toBe(true);
      expect(text).toMatch(/may not start with/);
      expect(existsSync(path.join(repo.root, 'args-ran'))).toBe(false);
    });

    it('still passes a test file, and a name with a dash inside', async () => {
      expect((await runTests('unit', {}, undefined, 'ok.test.mjs')).out).toMatchObject({ status: 'passed', counts: { passed: 2 } });
      const { out } = await runTests('args', {}, undefined, 'divides -by zero');
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
  });

  it('kills the whole process group at the time limit, grandchildren included', async () => {
    const { out } = await runTests('hang', { limits: { testTimeoutSeconds: 1.5 } });
    expect(out['status']).toBe('timed_out');
    const pid = Number(await readFile(path.join(repo.root, 'grandchild.pid'), 'utf8'));
    expect(existsSync(`/proc/${pid}`) && !(await readFile(`/proc/${pid}/stat`, 'utf8')).includes(') Z ')).toBe(false);
  });

  it('stops the command when the call is cancelled', async () => {
    const controller = new AbortController();
    const running = runTests('hang', {}, controller.signal);
    const pidFile = path.join(repo.root, 'grandchild.pid');
    // The command writes its grandchild's pid as soon as it starts; cancel after that.
    const before = existsSync(pidFile) ? await readFile(pidFile, 'utf8') : '';
    for (let i = 0; i < 200 && (!existsSync(pidFile) || (await readFile(pidFile, 'utf8')) === before); i++) await new Promise((r) => setImmediate(r));
    controller.abort();
    await expect(running).rejects.toThrow();
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

    it('sees a toolchain that lives under the temp directory (read-only) and gets a writable TMPDIR of its own', async () => {
      await writeFile(path.join(repo.outside, 'tool.mjs'), "import { writeFileSync } from 'node:fs';\nimport { tmpdir } from 'node:os';\nimport { join } from 'node:path';\nwriteFileSync(join(tmpdir(), 'scratch.txt'), 'ok');\ntry { writeFileSync(new URL('./written.txt', import.meta.url), 'x'); console.log('WROTE'); } catch (e) { console.log('tool dir read-only: ' + e.code); }\n");
      const { out } = await runTests('outsideTool');
      expect(out['status'], String(out['output'])).toBe('passed');
      expect(out['output']).toMatch(/tool dir read-only: (EROFS|EACCES)/);
    });

    it('cannot write into the checkout\'s .git', async () => {
      const { out } = await runTests('gitwrite');
      expect(out['output']).toMatch(/refused: (EROFS|EACCES)/);
      expect(existsSync(path.join(repo.root, '.git', 'hooks-pwned'))).toBe(false);
    });

    it('cannot write outside the workspace', async () => {
      const { out } = await runTests('escape');
      expect(out['output']).toMatch(/refused: (EROFS|ENOENT|EACCES)/);
      expect(existsSync(path.join(repo.outside, 'escaped.txt'))).toBe(false);
    });
  });
});
