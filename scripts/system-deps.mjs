// Debian packages some tests need (bubblewrap for the test sandbox, chromium for the
// dashboard's browser tests, ripgrep and git, PostgreSQL's server for the shared store and the
// job queue, python3-idna as real Python for the language-server tools' tests, Python's venv and
// pytest for the task workspace tests of a Python repository). Installed with apt-get when we are
// root; otherwise we say what is missing and carry on.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const NEEDED = [
  { command: 'bwrap', pkg: 'bubblewrap' },
  { command: 'chromium', pkg: 'chromium' },
  { command: 'git', pkg: 'git' },
  { command: 'rg', pkg: 'ripgrep' },
  // Debian keeps the server's binaries off PATH, in /usr/lib/postgresql/<version>/bin; the tests start their own server there.
  { check: hasPostgresServer, pkg: 'postgresql' },
  { check: () => python('venv'), pkg: 'python3-venv' },
  { check: () => python('pytest'), pkg: 'python3-pytest' },
  { file: '/usr/lib/python3/dist-packages/idna/core.py', pkg: 'python3-idna' },
];

function has(command) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

function hasPostgresServer() {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian) && readdirSync(debian).some((v) => existsSync(`${debian}/${v}/bin/initdb`) && existsSync(`${debian}/${v}/bin/postgres`))) return true;
  return has('initdb') && has('postgres');
}

/** Whether Debian's Python (not one a version manager put first on PATH) has the module. */
function python(module) {
  return spawnSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

export function ensureSystemPackages(say) {
  const missing = NEEDED.filter((n) => !(n.check ? n.check() : n.file ? existsSync(n.file) : has(n.command))).map((n) => n.pkg);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !has('apt-get')) {
    say(`missing system packages: ${missing.join(', ')} (install them, e.g. sudo apt-get install ${missing.join(' ')}); tests that need them will fail`);
    return;
  }
  say(`installing Debian packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const result = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  if (result.status !== 0) say(`apt-get install failed (exit ${result.status}); tests that need ${missing.join(', ')} will fail`);
}
