// The unsandboxed composition run_tests uses with --allow-unsandboxed-tests (the sandboxed one is
// covered through the tool): environment allowlist, its own TMPDIR, and nothing left running.
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { growthWhileControlBeats, HEARTBEAT_SCRIPT } from '../testing/heartbeat.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import { runTestCommand } from './run-test-command.ts';

let dir: TempRepo;
beforeAll(async () => {
  dir = await makeTempRepo({
    'heartbeat.mjs': HEARTBEAT_SCRIPT,
    'main.mjs': `import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
spawn(process.execPath, ['heartbeat.mjs', process.argv[2]], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] }).unref();
console.log(JSON.stringify({ tmp: process.env.TMPDIR, home: process.env.HOME, secret: process.env.DB_PASSWORD ?? null, marked: 'BATON_TEST_RUN' in process.env }));
const wait = setInterval(() => { if (existsSync(process.argv[2])) { clearInterval(wait); process.exit(0); } }, 5);
`,
  });
});
afterAll(() => dir.cleanup());

describe('runTestCommand without a sandbox', () => {
  it('scrubs the environment, gives a private TMPDIR, returns when the command exits and leaves nothing running', async () => {
    process.env['DB_PASSWORD'] = 'hunter2';
    const beat = path.join(dir.root, 'beat.txt');
    try {
      const argv = [process.execPath, 'main.mjs', beat];
      const result = await runTestCommand({
        workspace: dir.root,
        cwd: dir.root,
        command: argv,
        argv,
        bwrap: undefined,
        allowEnv: ['DB_PASSWORD'],
        readOnly: [],
        timeoutMs: 600_000,
        maxOutputBytes: 10_000,
        signal: new AbortController().signal,
      });
      expect(result.exitCode).toBe(0);
      const seen = JSON.parse(result.output.trim().split('\n')[0]!) as { tmp: string; home: string; secret: string | null; marked: boolean };
      expect(seen).toMatchObject({ home: dir.root, secret: null, marked: true });
      expect(path.dirname(seen.tmp)).toBe(tmpdir());
      expect(await growthWhileControlBeats(beat)).toBe(0);
    } finally {
      delete process.env['DB_PASSWORD'];
    }
  }, 30_000);
});
