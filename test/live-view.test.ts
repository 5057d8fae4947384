// baton run in a real pseudo-terminal (util-linux `script`): it asks for approval on the
// terminal, takes the answer, and redraws the task table in place while workers run.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitSync, makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { BATON_BIN, REPO_ROOT } from './helpers/run-cli.ts';

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
let repo: TestGitRepo;
beforeAll(async () => {
  repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
});
afterAll(() => repo.cleanup());

const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

describe('baton run on a terminal', () => {
  it('asks before starting and updates the task table in place', async () => {
    const argv = [process.execPath, BATON_BIN, 'run', 'Add a farewell function', '--repo', repo.dir, '--run-id', 'tty', '--planner', `scripted:${path.join(fixture, 'planner.yaml')}`, '--worker', `scripted:${path.join(fixture, 'worker.yaml')}`, '--reviewer', `scripted:${path.join(fixture, 'reviewer.yaml')}`];
    // `script` gives the command a pseudo-terminal; it takes the command line as one string.
    const child = spawn('script', ['-qefc', argv.map(quote).join(' '), '/dev/null'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm', NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let answered = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!answered && output.includes('[y/N]')) {
        answered = true;
        child.stdin.write('y\r');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, output).toBe(0);
    expect(answered).toBe(true);
    expect(output).toContain('TASK');
    expect(output).toMatch(/\u001b\[\d+F/); // cursor moved up to redraw the table
    expect(output).toContain('succeeded: 2/2 tasks done');
    expect(gitSync(repo.dir, ['rev-list', '--count', 'main..baton/tty'])).toBe('2');
  });
});
