import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { currentProcessIdentity, processLiveness } from './process-liveness.ts';

describe('processLiveness', () => {
  it('sees this process alive', () => {
    expect(processLiveness(currentProcessIdentity())).toBe('alive');
  });

  it.runIf(process.platform === 'linux')('treats a reused pid (different start time) as dead', () => {
    const me = currentProcessIdentity();
    expect(me.startTicks).toBeDefined();
    expect(processLiveness({ ...me, startTicks: `${me.startTicks}0` })).toBe('dead');
  });

  it('cannot judge a process on another host', () => {
    expect(processLiveness({ pid: process.pid, host: `${hostname()}-elsewhere` })).toBe('unknown');
  });

  it('sees a killed child as dead once it has exited', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const identity = { pid: child.pid!, host: hostname() };
    expect(processLiveness(identity)).toBe('alive');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(processLiveness(identity)).toBe('dead');
  });
});
