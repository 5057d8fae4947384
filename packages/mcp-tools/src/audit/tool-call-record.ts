// One audit record per tool call, stdio or HTTP. The orchestrator stores these with the task.
import { z } from 'zod';
import { ToolNameSchema } from '../grant.ts';

export const ToolCallRecordSchema = z.object({
  type: z.literal('tool.call'),
  at: z.string(),
  sessionId: z.string(),
  grantId: z.string(),
  tool: z.union([ToolNameSchema, z.string()]),
  /** Arguments with long strings shortened (see summarizeArguments). */
  args: z.record(z.string(), z.unknown()),
  filesRead: z.array(z.string()),
  filesWritten: z.array(z.string()),
  deniedPaths: z.array(z.string()),
  ok: z.boolean(),
  /** One line saying what came back. */
  summary: z.string(),
  error: z.object({ code: z.string(), message: z.string(), fault: z.string() }).optional(),
  durationMs: z.number(),
});
export type ToolCallRecord = z.infer<typeof ToolCallRecordSchema>;

const MAX_STRING = 512;
const MAX_ITEMS = 50;
const MAX_DEPTH = 4;

/**
 * Keeps records small: long strings (at any depth) become their head plus a length note,
 * long arrays their first items plus a count, and deep nesting a placeholder.
 */
export function summarizeArguments(args: Record<string, unknown>): Record<string, unknown> {
  return summarizeObject(args, 0);
}

function summarizeObject(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = summarizeValue(item, depth + 1);
  return out;
}

function summarizeValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… [${value.length} chars]` : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return Array.isArray(value) ? `[array of ${value.length}]` : '[object]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => summarizeValue(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `… [${value.length - MAX_ITEMS} more items]`] : items;
  }
  return summarizeObject(value as Record<string, unknown>, depth);
}
