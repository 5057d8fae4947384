// Finds the binary of an agent CLI before anything else starts: the path in BATON_CLAUDE_BIN /
// BATON_CODEX_BIN, else the native binary in the platform package of baton's optional
// dependency, else `claude` / `codex` on PATH (an existing installation). Nothing found is an
// error that names the package to install.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AGENT_CLI_PACKAGES, type AgentCliName } from './agent-cli-id.ts';

export interface LocatedAgentCli {
  cli: AgentCliName;
  binary: string;
  /** Where it came from: the env override, baton's optional dependency, or PATH. */
  source: 'env' | 'package' | 'path';
  /** As the package or `--version` says; undefined when neither said. */
  version: string | undefined;
}

/** The agent CLI is not installed (or the path given for it is wrong): the environment is at fault. */
export class AgentCliMissingError extends Error {
  override name = 'AgentCliMissingError';
  readonly fault = 'environment';
}

export interface LocateOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves a package's package.json (default: from this package, as Node does). */
  resolve?: (specifier: string) => string;
  platform?: NodeJS.Platform;
  arch?: string;
}

export function locateAgentCli(cli: AgentCliName, options: LocateOptions): LocatedAgentCli {
  const pkg = AGENT_CLI_PACKAGES[cli];
  const override = options.env[pkg.binaryEnv]?.trim();
  if (override) {
    if (!isExecutableFile(override)) throw new AgentCliMissingError(`${pkg.binaryEnv}=${override} is not an executable file; point it at the ${pkg.command} binary of ${pkg.title}, or unset it to use ${pkg.package}`);
    return { cli, binary: override, source: 'env', version: versionOf(override) };
  }
  const packaged = packagedBinary(cli, options);
  if (packaged) return { cli, source: 'package', ...packaged };
  const onPath = findOnPath(pkg.command, options.env['PATH'] ?? '');
  if (onPath) return { cli, binary: onPath, source: 'path', version: versionOf(onPath) };
  throw new AgentCliMissingError(
    `${pkg.title} is not installed: ${cli}:<model> workers run the ${pkg.command} binary from the npm package ${pkg.package}. ` +
      `Install it (pnpm install in baton brings ${pkg.package}@${pkg.testedVersion} as an optional dependency of @baton/worker-host; ` +
      `or npm install -g ${pkg.package}), or set ${pkg.binaryEnv} to the binary's path.`,
  );
}

function packagedBinary(cli: AgentCliName, options: LocateOptions): { binary: string; version: string | undefined } | undefined {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const resolve = options.resolve ?? createRequire(import.meta.url).resolve;
  let wrapperJson: string;
  try {
    wrapperJson = resolve(`${AGENT_CLI_PACKAGES[cli].package}/package.json`);
  } catch {
    return undefined;
  }
  const version = readVersion(wrapperJson);
  const fromWrapper = createRequire(wrapperJson);
  for (const candidate of platformBinaries(cli, platform, arch)) {
    try {
      const dir = path.dirname(fromWrapper.resolve(`${candidate.package}/package.json`));
      const binary = path.join(dir, ...candidate.file);
      if (isExecutableFile(binary)) return { binary, version };
    } catch {
      // Not this platform's package; try the next candidate.
    }
  }
  return undefined;
}

/** Platform packages that may hold the native binary, most specific first. */
export function platformBinaries(cli: AgentCliName, platform: NodeJS.Platform, arch: string): { package: string; file: string[] }[] {
  const exe = platform === 'win32' ? '.exe' : '';
  if (cli === 'claude-code') {
    const base = `@anthropic-ai/claude-code-${platform}-${arch}`;
    // musl builds first on Linux: a glibc binary cannot run there, and only one of the two is installed.
    return [...(platform === 'linux' ? [{ package: `${base}-musl`, file: [`claude${exe}`] }] : []), { package: base, file: [`claude${exe}`] }];
  }
  const triples: Record<string, string> = {
    'linux-x64': 'x86_64-unknown-linux-musl',
    'linux-arm64': 'aarch64-unknown-linux-musl',
    'darwin-x64': 'x86_64-apple-darwin',
    'darwin-arm64': 'aarch64-apple-darwin',
    'win32-x64': 'x86_64-pc-windows-msvc',
    'win32-arm64': 'aarch64-pc-windows-msvc',
  };
  const triple = triples[`${platform}-${arch}`];
  return triple ? [{ package: `@openai/codex-${platform}-${arch}`, file: ['vendor', triple, 'bin', `codex${exe}`] }] : [];
}

function findOnPath(command: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function readVersion(packageJson: string): string | undefined {
  try {
    const version: unknown = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `claude --version` prints "2.1.332 (Claude Code)", `codex --version` "codex-cli 0.171.0".
 * Both write state under their home even for --version, so they get a throwaway one.
 */
function versionOf(binary: string): string | undefined {
  const home = mkdtempSync(path.join(tmpdir(), 'baton-cli-version-'));
  try {
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, CODEX_HOME: home, CLAUDE_CONFIG_DIR: home, DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
    const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 20_000, env });
    return /\b(\d+\.\d+\.\d+(?:[-+][\w.]+)?)\b/.exec(result.stdout ?? '')?.[1];
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
