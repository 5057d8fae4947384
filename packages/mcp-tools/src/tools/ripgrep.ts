// Runs ripgrep (the binary shipped by @vscode/ripgrep, else `rg` on PATH) with an argument
// array and streams its stdout line by line, so callers can stop early and kill it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { ToolError } from './tool-error.ts';

let cachedRgPath: string | undefined;

/**
 * Resolves the rg binary once: the platform package of @vscode/ripgrep (looked up from
 * @vscode/ripgrep's own location, where strict installs such as pnpm's put it), then PATH.
 */
export function ripgrepPath(): string {
  if (cachedRgPath) return cachedRgPath;
  const binary = process.platform === 'win32' ? 'rg.exe' : 'rg';
  const platformBinary = `@vscode/ripgrep-${process.platform}-${process.arch}/bin/${binary}`;
  const ours = createRequire(import.meta.url);
  const lookups = [() => createRequire(ours.resolve('@vscode/ripgrep')).resolve(platformBinary), () => ours.resolve(platformBinary)];
  for (const lookup of lookups) {
    try {
      return (cachedRgPath = lookup());
    } catch {
      // Not installed that way; try the next.
    }
  }
  return (cachedRgPath = binary);
}

export interface RipgrepRun {
  /** Lines of stdout, as they arrive. Breaking out of the loop kills rg. */
  lines: AsyncIterable<string>;
  /** Resolves when rg has exited; rejects with a ToolError on a real failure. */
  done: Promise<{ exitCode: number | null; killed: boolean }>;
  kill(): void;
}

/** Longest a single ripgrep run may take; a file that blocks its reads (swapped in mid-walk) cannot hold a call forever. */
const RIPGREP_TIMEOUT_MS = 120_000;

/** Exit code 1 means "nothing matched"; 2 means an error, which rg also reports per file for unreadable files. */
export function runRipgrep(args: readonly string[], options: { cwd: string; signal: AbortSignal; timeoutMs?: number }): RipgrepRun {
  const child = spawn(ripgrepPath(), args, {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', RIPGREP_CONFIG_PATH: '' },
  });
  let killed = false;
  const kill = () => {
    if (child.exitCode === null && !killed) {
      killed = true;
      child.kill('SIGKILL');
    }
  };
  options.signal.addEventListener('abort', kill, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs ?? RIPGREP_TIMEOUT_MS);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 4096) stderr += chunk;
  });
  const done = new Promise<{ exitCode: number | null; killed: boolean }>((resolve, reject) => {
    child.on('error', (error) => {
      reject(new ToolError({ code: 'ripgrep_unavailable', message: `could not start ripgrep (${error.message}); install @vscode/ripgrep or put rg on PATH`, fault: 'environment' }));
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', kill);
      if (timedOut) {
        reject(new ToolError({ code: 'search_timeout', message: `ripgrep took longer than ${Math.round((options.timeoutMs ?? RIPGREP_TIMEOUT_MS) / 1000)} s and was stopped; narrow the path or glob`, fault: 'environment' }));
        return;
      }
      if (!killed && exitCode !== null && exitCode > 1 && !/No such file|Permission denied|IO error/i.test(stderr)) {
        reject(new ToolError({ code: 'ripgrep_failed', message: `ripgrep failed: ${stderr.trim().split('\n')[0] ?? `exit ${exitCode}`}`, fault: 'request' }));
        return;
      }
      resolve({ exitCode, killed });
    });
  });
  // A caller that stopped early never awaits `done`; its failure must not become an unhandled rejection.
  done.catch(() => undefined);
  const reader = createInterface({ input: child.stdout, crlfDelay: Infinity });
  const lines = {
    async *[Symbol.asyncIterator]() {
      let exhausted = false;
      try {
        for await (const line of reader) yield line;
        exhausted = true;
      } finally {
        // Only a consumer that stopped early (or failed) leaves rg running: kill it then.
        if (!exhausted) kill();
        reader.close();
      }
    },
  };
  return { lines, done, kill };
}
