// A git remote for tests and benchmarks: `git daemon` serving bare repositories on a free
// loopback port, read and write, stoppable and restartable on the same port (a remote that goes
// away and comes back). Nothing here runs unless a test starts it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface GitDaemon {
  /** git://127.0.0.1:<port>/<name> */
  url(name: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Serves every repository under `baseDir` on loopback, read and write (receive-pack on). */
export async function startGitDaemon(baseDir: string): Promise<GitDaemon> {
  mkdirSync(baseDir, { recursive: true });
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const proc = spawn('git', ['daemon', '--verbose', '--export-all', '--enable=receive-pack', '--reuseaddr', '--informative-errors', `--base-path=${baseDir}`, '--listen=127.0.0.1', `--port=${port}`, baseDir], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => reject(new Error(`git daemon did not start: ${log}`)), 30_000);
      proc.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes('Ready to rumble')) {
          clearTimeout(timer);
          child = proc;
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`git daemon exited (${code}): ${log}`));
      });
    });
  };
  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    // git daemon forks a child per connection: the whole group goes.
    process.kill(-proc.pid!, 'SIGKILL');
    await exited;
    child = undefined;
  };
  await start();
  return { url: (name) => `git://127.0.0.1:${port}/${name}`, stop, start };
}

/** A bare repository `name` under `baseDir`, holding what `source` has on its branch `main`. */
export function makeBareRemote(baseDir: string, name: string, source: string): string {
  const dir = path.join(baseDir, name);
  mkdirSync(dir, { recursive: true });
  const run = (cwd: string, args: string[]) => {
    const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  };
  run(dir, ['init', '--quiet', '--bare', '-b', 'main']);
  run(source, ['push', '--quiet', dir, 'HEAD:refs/heads/main']);
  return dir;
}
