// `--audit FILE` for baton serve and baton tools: opens the JSON-lines audit log or reports a usage error.
import { openJsonlAuditLog, type JsonlAuditLog } from '../audit/jsonl-audit-log.ts';
import { UsageError } from './grant-options.ts';

export function openAuditOption(file: string): JsonlAuditLog {
  try {
    return openJsonlAuditLog({ file });
  } catch (error) {
    throw new UsageError(`cannot open --audit ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
