// The JSON Schemas this package ships in schema/, generated from the zod schemas that validate
// the same data (scripts/build-packages.mjs writes them when it builds the package).
// grant-request.schema.json: the body of `POST /grants` on a baton tool server, for clients in
// other languages and for editors.
import { z } from 'zod';
import { GrantRequestSchema } from './grants/grant-request.ts';

export function packageSchemas(): Record<string, Record<string, unknown>> {
  return {
    'grant-request.schema.json': {
      ...(z.toJSONSchema(GrantRequestSchema, { io: 'input', target: 'draft-7' }) as Record<string, unknown>),
      title: 'baton grant request',
      description: 'Body of POST /grants on a baton tool server (baton serve): the tools, readable and writable globs, named test commands, lifetime and limits of one grant.',
    },
  };
}
