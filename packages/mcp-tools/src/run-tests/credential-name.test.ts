import { describe, expect, it } from 'vitest';
import { GrantSchema } from '../grant.ts';
import { testEnvironment } from './child-env.ts';
import { looksLikeCredential } from './credential-name.ts';

// Names seen holding secrets in CI systems, cloud SDKs, database clients and package managers.
const CREDENTIALS = [
  'DB_PASS', 'MYSQL_PWD', 'GH_PAT', 'GITHUB_PAT', 'PAT', 'PGPASSWORD', 'PGPASSFILE', 'MYSQL_PASSWORD', 'REDIS_PASSWD', 'DBPASS', 'SSHPASS',
  'GPG_PASSPHRASE', 'GITHUB_TOKEN', 'NPM_TOKEN', 'HF_TOKEN', 'CI_JOB_TOKEN', 'VAULT_TOKEN', 'GHTOKEN', 'ACCESS_TOKENS', 'AWS_SESSION_TOKEN',
  'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'API_KEY', 'APIKEY', 'apiKey', 'X_API_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY',
  'SECRET', 'CLIENT_SECRET', 'JWT_SECRET', 'MYSECRETS', 'SSH_PRIVATE_KEY', 'PRIVATE_KEY_PATH', 'SSHKEY', 'SIGNING_KEYS', 'PRIVKEY_FILE',
  'GOOGLE_APPLICATION_CREDENTIALS', 'AZURE_CREDENTIAL', 'CRED', 'DOCKER_CREDS', 'SSH_AUTH_SOCK', 'AUTH', 'NPM_CONFIG__AUTH', 'BASICAUTH',
  'OAUTH_CLIENT', 'AUTHORIZATION', 'AUTHN_URL', 'COOKIE', 'SESSION_COOKIE', 'SESSION', 'SESSION_ID', 'RAILS_SESSION_KEY', 'JWT', 'OTP_SEED',
  'SENTRY_DSN', 'DATABASE_URL', 'DB_URL', 'MONGODB_URI', 'REDIS_URL', 'PG_CONNECTION_STRING', 'NETRC', 'KUBECONFIG', 'TLS_KEY_PEM',
  'pgPassword', 'authToken', 'sessionSecret', 'db2_pass', 'PAT2',
];

// Ordinary names tests need; none may be caught by the rule.
const ORDINARY = [
  'PATH', 'CLASSPATH', 'PYTHONPATH', 'MANPATH', 'NODE_PATH', 'HOME', 'CI', 'NODE_ENV', 'NODE_OPTIONS', 'DEBUG', 'LANG', 'LC_ALL', 'TZ',
  'JAVA_HOME', 'GOPATH', 'GOFLAGS', 'GOCACHE', 'RUST_BACKTRACE', 'BATON_TEST_VISIBLE', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'AUTHORS_FILE',
  'KEYBOARD_LAYOUT', 'TOKENIZERS_PARALLELISM', 'COMPAT_MODE', 'PATCH_LEVEL', 'SPATIAL_INDEX', 'PASSIVE_MODE', 'BYPASS_CACHE', 'COMPASS_DIR',
  'API_URL', 'BASE_URL', 'REDIS_HOST', 'PWDEBUG', 'VITEST_POOL', 'JEST_WORKERS', 'MAX_WORKERS', 'LOG_LEVEL', 'TERM', 'PYTEST_ADDOPTS',
  'MONKEY_PATCH', 'PINNED_VERSION', 'PATTERN',
];

describe('looksLikeCredential', () => {
  it.each(CREDENTIALS)('%s looks like a credential', (name) => {
    expect(looksLikeCredential(name)).toBe(true);
  });

  it.each(ORDINARY)('%s does not', (name) => {
    expect(looksLikeCredential(name)).toBe(false);
  });
});

describe('credential-looking names in grants and environments', () => {
  it('a grant naming one is refused, with the name and what to do', () => {
    for (const name of ['DB_PASS', 'MYSQL_PWD', 'GH_PAT']) {
      const parsed = GrantSchema.safeParse({ testEnv: ['BATON_TEST_VISIBLE', name] });
      expect(parsed.success, name).toBe(false);
      expect(parsed.error?.issues[0]?.message).toContain(`${name} looks like a credential`);
    }
    expect(GrantSchema.parse({ testEnv: ORDINARY }).testEnv).toEqual(ORDINARY);
  });

  it('the environment builder drops them even when asked to pass them', () => {
    const source = Object.fromEntries([...CREDENTIALS, ...ORDINARY].map((name) => [name, `value-of-${name}`]));
    const env = testEnvironment({ workspace: '/w', tmpDir: '/tmp', source, allow: [...CREDENTIALS, ...ORDINARY] });
    for (const name of CREDENTIALS) expect(env[name], name).toBeUndefined();
    for (const name of ORDINARY.filter((n) => !['PATH', 'HOME', 'CI', 'TERM'].includes(n))) expect(env[name], name).toBe(`value-of-${name}`);
  });
});
