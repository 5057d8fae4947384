// Finds the file a configured server command runs: a path with a slash as given, else the first
// executable of that name on PATH (not resolved further: proxies such as rustup's read their own name).
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export function findExecutable(command: string, pathEnv: string): string | undefined {
  const candidates = command.includes('/') ? [path.resolve(command)] : pathEnv.split(path.delimiter).filter((dir) => path.isAbsolute(dir)).map((dir) => path.join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}
