// Whether an environment variable's name looks like it holds a credential. Such names never reach
// a test command, even when a grant allows them: a grant that names one is refused, and the
// environment builder drops it again. The rule errs towards refusing (a false alarm costs a
// rename; a miss leaks a secret to code the worker wrote).

/** A whole word of the name that marks a credential (`DB_PASS`, `GH_PAT`, `API_KEY`). */
const CREDENTIAL_WORDS = new Set([
  'PASS', 'PWD', 'PAT', 'PIN', 'OTP', 'JWT', 'DSN', 'SALT', 'NETRC', 'CRED', 'CREDS', 'KEY', 'KEYS',
  'AUTH', 'AUTHN', 'AUTHZ', 'OAUTH', 'BEARER', 'PEM', 'P12', 'PFX',
]);

/** Text that marks a credential wherever it appears in a word (`PGPASSWORD`, `MYSECRET`). */
const CREDENTIAL_TEXT = [
  'PASSWORD', 'PASSWD', 'PASSPHRASE', 'PASSFILE', 'SECRET', 'CREDENTIAL', 'COOKIE', 'SESSION', 'PRIVATE',
  'APIKEY', 'ACCESSKEY', 'AUTHORIZATION', 'AUTHTOKEN', 'PRIVKEY', 'KUBECONFIG',
];

/** Endings of a word that mark a credential (`GHTOKEN`, `SSHKEY`, `DBPASS`, `BASICAUTH`). */
const CREDENTIAL_ENDINGS = ['TOKEN', 'TOKENS', 'KEY', 'KEYS', 'PASS', 'PWD', 'AUTH'];

/** Ordinary words that merely end like a credential word. */
const ORDINARY_WORDS = new Set(['BYPASS', 'COMPASS', 'SURPASS', 'TRESPASS', 'OVERPASS', 'UNDERPASS', 'MONKEY', 'TURKEY', 'HOCKEY', 'JOCKEY', 'WHISKEY']);

/** Words of a connection string's name, which usually carries a password (`DATABASE_URL`). */
const STORE_WORDS = new Set(['DATABASE', 'DB', 'PG', 'POSTGRES', 'POSTGRESQL', 'MYSQL', 'MARIADB', 'MONGO', 'MONGODB', 'REDIS', 'AMQP', 'RABBITMQ', 'SQL', 'MSSQL', 'ORACLE', 'CONNECTION', 'CONN']);
const LOCATOR_WORDS = new Set(['URL', 'URI', 'DSN', 'STRING', 'STR']);

/** Splits `GH_PAT`, `ghPat`, `pgpassword2` into upper-case words: `GH PAT`, `GH PAT`, `PGPASSWORD`. */
function words(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])/)
    .filter(Boolean)
    .map((word) => word.toUpperCase());
}

/** True when the name looks like it holds a password, token, key, cookie, session or connection string. */
export function looksLikeCredential(name: string): boolean {
  const parts = words(name);
  if (parts.some((w) => LOCATOR_WORDS.has(w)) && parts.some((w) => STORE_WORDS.has(w))) return true;
  return parts.some((word) => {
    if (CREDENTIAL_WORDS.has(word)) return true;
    if (CREDENTIAL_TEXT.some((text) => word.includes(text))) return true;
    if (ORDINARY_WORDS.has(word)) return false;
    if (/^AUTH(?!ORS?$)/.test(word)) return true;
    return CREDENTIAL_ENDINGS.some((ending) => word.endsWith(ending));
  });
}
