// The environment of a clean machine for the package checks: the system's PATH with every entry
// inside this repository removed (so its provisioned Node, pnpm and node_modules/.bin are out of
// reach), a fresh HOME and npm cache, and only the settings needed to reach the npm registry
// (proxy and certificate variables, the user's npm config file).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const NETWORK_VARIABLES = [
  'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy',
  'npm_config_registry', 'npm_config_cafile', 'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_strict_ssl',
];

function realOrSelf(file) {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function isInside(file, dir) {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** PATH entries of this process that are not inside the repository. */
export function systemPath(repoRoot) {
  const root = realOrSelf(repoRoot);
  return (process.env.PATH ?? '').split(path.delimiter).filter((entry) => entry && !isInside(realOrSelf(entry), root));
}

export function findOnPath(name, entries) {
  for (const dir of entries) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `major.minor.patch` of a Node binary, or undefined when it does not run. */
export function nodeVersion(node) {
  const result = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8', env: { PATH: '' } });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function atLeast(version, [major, minor]) {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/**
 * @param {{ home: string, npmCache: string, path: string[] }} options
 * @returns {Record<string, string>}
 */
export function cleanEnvironment({ home, npmCache, path: entries }) {
  const env = {
    PATH: entries.join(path.delimiter),
    HOME: home,
    TMPDIR: os.tmpdir(),
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    npm_config_cache: npmCache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const userConfig = path.join(os.homedir(), '.npmrc');
  if (existsSync(userConfig)) env.npm_config_userconfig = userConfig;
  for (const name of NETWORK_VARIABLES) if (process.env[name]) env[name] = process.env[name];
  return env;
}

/** Whether bubblewrap can run a command without a network here (root, or unprivileged user namespaces). */
export function canUnshareNetwork() {
  const result = spawnSync('bwrap', ['--dev-bind', '/', '/', '--unshare-net', '--', 'true'], { stdio: 'ignore' });
  return result.status === 0;
}
