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

/** Keeps records small: long strings become their head plus a length note. */
export function summarizeArguments(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (typeof value === 'string' && value.length > MAX_STRING) {
      out[key] = `${value.slice(0, MAX_STRING)}… [${value.length} chars]`;
    } else {
      out[key] = value;
    }
  }
  return out;
}
