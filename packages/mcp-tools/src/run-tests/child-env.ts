// The environment a test command sees: an allowlist, so API keys, tokens and anything else in
// baton's own environment never reach it; names that look like credentials never pass, even when
// a grant allows them (grants naming one are refused; this drops them again).
import path from 'node:path';
import { looksLikeCredential } from './credential-name.ts';

const PASS_THROUGH = ['PATH', 'LANG', 'LC_ALL', 'TZ'];

export interface TestEnvironmentOptions {
  /** The workspace, which is also HOME: no one's real home directory is visible. */
  workspace: string;
  /** The command's temporary directory as the command sees it (`/tmp` inside the sandbox). */
  tmpDir: string;
  source?: NodeJS.ProcessEnv;
  allow?: readonly string[];
}

export function testEnvironment(options: TestEnvironmentOptions): Record<string, string> {
  const source = options.source ?? process.env;
  const env: Record<string, string> = {};
  for (const key of [...PASS_THROUGH, ...(options.allow ?? []).filter((name) => !looksLikeCredential(name))]) {
    const value = source[key];
    if (value !== undefined) env[key] = value;
  }
  // The directory of the running node first, so `node` in a test command is the same Node.
  env['PATH'] = [path.dirname(process.execPath), env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin'].join(path.delimiter);
  env['HOME'] = options.workspace;
  env['TMPDIR'] = options.tmpDir;
  env['CI'] = 'true';
  env['NO_COLOR'] = '1';
  env['FORCE_COLOR'] = '0';
  env['TERM'] = 'dumb';
  return env;
}
