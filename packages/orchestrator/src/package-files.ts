// Files baton ships beside its code, found from where this module runs: the example service,
// tickets and scripts of `baton demo`, and the JSON Schema of baton.config.json. Run from the
// TypeScript sources (a checkout of the repository) the examples are the repository's; run built
// (an installed package: dist/ next to examples/ and schema/) they are the package's own copies.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
/** The package's folder: one up from src/ or dist/. */
const PACKAGE_ROOT = path.resolve(path.dirname(here), '..');
const RUNNING_SOURCES = here.endsWith('.ts');
const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** examples/: the demo's service, tickets and scripted models. */
export const EXAMPLES_DIR = RUNNING_SOURCES ? path.resolve(PACKAGE_ROOT, '..', '..', 'examples') : path.join(PACKAGE_ROOT, 'examples');

export const CONFIG_SCHEMA_FILE_NAME = 'baton.config.schema.json';
/** The JSON Schema of baton.config.json in this package (written from the zod schema when the package is built). */
export const CONFIG_SCHEMA_FILE = path.join(PACKAGE_ROOT, 'schema', CONFIG_SCHEMA_FILE_NAME);

/**
 * What baton.config.json's `$schema` names for a repository: the schema file of the baton that
 * writes it, as a relative path when that file exists inside the repository (baton installed there:
 * `./node_modules/@baton/orchestrator/schema/…`, the same for everyone who installs it); otherwise
 * the same file of this version as the npm CDN serves it from the published package, since a path
 * into one person's global install or checkout means nothing on a teammate's machine.
 */
export function configSchemaReference(repo: string, schemaFile: string = CONFIG_SCHEMA_FILE): string {
  const relative = path.relative(path.resolve(repo), schemaFile);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  if (inside && existsSync(schemaFile)) return `./${relative.split(path.sep).join('/')}`;
  return `https://unpkg.com/@baton/orchestrator@${PACKAGE_VERSION}/schema/${CONFIG_SCHEMA_FILE_NAME}`;
}
