import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatonConfigSchema } from './config/config-schema.ts';
import { CONFIG_SCHEMA_FILE_NAME, configSchemaReference, EXAMPLES_DIR } from './package-files.ts';
import { packageSchemas } from './package-schemas.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-package-files-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('files baton ships', () => {
  it('runs the demo from the repository examples when running the sources', () => {
    expect(existsSync(path.join(EXAMPLES_DIR, 'service', 'package.json'))).toBe(true);
    expect(existsSync(path.join(EXAMPLES_DIR, 'scripts', 'feature', 'planner.yaml'))).toBe(true);
  });

  it('names the schema by a relative path when baton is installed in the repository', async () => {
    const repo = path.join(dir, 'inside');
    const schema = path.join(repo, 'node_modules', '@baton', 'orchestrator', 'schema', CONFIG_SCHEMA_FILE_NAME);
    await mkdir(path.dirname(schema), { recursive: true });
    await writeFile(schema, '{}');
    expect(configSchemaReference(repo, schema)).toBe(`./node_modules/@baton/orchestrator/schema/${CONFIG_SCHEMA_FILE_NAME}`);
  });

  it('names the published schema of this version when baton is installed elsewhere', async () => {
    const elsewhere = path.join(dir, 'global', 'schema', CONFIG_SCHEMA_FILE_NAME);
    await mkdir(path.dirname(elsewhere), { recursive: true });
    await writeFile(elsewhere, '{}');
    expect(configSchemaReference(path.join(dir, 'repo'), elsewhere)).toMatch(/^https:\/\/unpkg\.com\/@baton\/orchestrator@\d+\.\d+\.\d+[^/]*\/schema\/baton\.config\.schema\.json$/);
  });

  it('never names a schema file that does not exist', () => {
    const repo = path.join(dir, 'unbuilt');
    expect(configSchemaReference(repo, path.join(repo, 'packages', 'orchestrator', 'schema', CONFIG_SCHEMA_FILE_NAME))).toMatch(/^https:\/\/unpkg\.com\//);
  });

  it('describes every field of baton.config.json in its JSON Schema', () => {
    const schema = packageSchemas()[CONFIG_SCHEMA_FILE_NAME] as { $schema: string; properties: Record<string, unknown>; required?: string[] };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(BatonConfigSchema.shape).sort());
    // Every field has a default or is optional: an empty config is valid.
    expect(schema.required ?? []).toEqual([]);
  });
});
