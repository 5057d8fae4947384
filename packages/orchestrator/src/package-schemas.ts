// The JSON Schemas this package ships in schema/, generated from the zod schemas that validate
// the same data (scripts/build-packages.mjs writes them when it builds the package).
// baton.config.schema.json: what `baton init` names as baton.config.json's `$schema`.
import { z } from 'zod';
import { BatonConfigSchema } from './config/config-schema.ts';
import { CONFIG_SCHEMA_FILE_NAME } from './package-files.ts';

export function packageSchemas(): Record<string, Record<string, unknown>> {
  return {
    [CONFIG_SCHEMA_FILE_NAME]: {
      ...(z.toJSONSchema(BatonConfigSchema, { io: 'input', target: 'draft-7' }) as Record<string, unknown>),
      title: 'baton.config.json',
      description: 'baton settings for one repository: models, budgets, test commands, default read scope and protected paths. Command-line flags override them.',
    },
  };
}
