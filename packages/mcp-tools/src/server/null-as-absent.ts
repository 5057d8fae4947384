// Strict-mode tool callers and some models send `null` for an optional argument they mean to
// leave out. Every tool treats such a null as absent: the schema clients see allows it, and the
// tool itself never sees it.
import { z } from 'zod';

/** The schema clients are shown: each optional field also accepts null. */
export function wireInputSchema(schema: z.ZodObject): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    shape[key] = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType).nullable().optional() : field;
  }
  return z.object(shape);
}

/** The arguments without their null-valued fields, so an omitted-as-null field reads as absent. */
export function dropNullArguments(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([, value]) => value !== null));
}
