// Liveness that holds in any PID namespace: a process appends to a heartbeat file while it runs.
// "It is gone" is checked by comparing it with a control heartbeat of our own: once the control
// has beaten many times, the other file must not have grown. No pids are compared across
// namespaces and nothing depends on how fast the machine is (both slow down together).
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A script that beats into its last argument every 10 ms and ignores SIGTERM, SIGINT and SIGHUP. */
export const HEARTBEAT_SCRIPT =
  "import { appendFileSync } from 'node:fs';\n" +
  "for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => {});\n" +
  'const file = process.argv.at(-1);\n' +
  "setInterval(() => appendFileSync(file, '.'), 10);\n";

export function beats(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Polls until `check` holds, or fails with `what` after the deadline. */
export async function waitFor(check: () => boolean, what: string, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until `file` has at least `count` beats. */
export function waitForBeats(file: string, count: number, deadlineMs?: number): Promise<void> {
  return waitFor(() => beats(file) >= count, `${count} beats in ${file}`, deadlineMs);
}

/**
 * Resolves with how much `file` grew while a control heartbeat of our own beat `controlBeats`
 * times: 0 means whatever wrote `file` is gone.
 */
export async function growthWhileControlBeats(file: string, controlBeats = 30): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baton-heartbeat-'));
  const control = path.join(dir, 'control');
  const ticker = spawn(process.execPath, ['--input-type=module', '-e', HEARTBEAT_SCRIPT, control], { stdio: 'ignore' });
  try {
    await waitForBeats(control, 1);
    const before = beats(file);
    await waitForBeats(control, 1 + controlBeats);
    return beats(file) - before;
  } finally {
    ticker.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}

/** Waits until whatever writes `file` is gone (it stops growing while the control beats). */
export async function waitUntilStopped(file: string, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while ((await growthWhileControlBeats(file)) !== 0) {
    if (Date.now() > deadline) throw new Error(`${file} still grows after ${deadlineMs} ms`);
  }
}
