// Appends audit records to a file as JSON lines. Each record is written with one write(2)
// on an O_APPEND descriptor before the tool result goes back, so a reader (or a crash)
// sees every finished call. Writing never throws into the tool path: failures go to onError.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ToolCallRecord } from './tool-call-record.ts';

export interface JsonlAuditLogOptions {
  file: string;
  /** Told about write failures; the default reports the first one on stderr. */
  onError?: (error: Error) => void;
}

export interface JsonlAuditLog {
  readonly file: string;
  write(record: ToolCallRecord): void;
  close(): void;
}

/** Opens (creating, mode 0600) `file` for appending. Throws if it cannot be opened: that is the caller's to report. */
export function openJsonlAuditLog(options: JsonlAuditLogOptions): JsonlAuditLog {
  const fd = openSync(options.file, 'a', 0o600);
  let reported = false;
  const onError =
    options.onError ??
    ((error: Error) => {
      if (reported) return;
      reported = true;
      process.stderr.write(`baton: cannot write audit log ${options.file}: ${error.message} (further errors are not shown)\n`);
    });
  let closed = false;
  return {
    file: options.file,
    write(record) {
      if (closed) {
        onError(new Error('the audit log is closed'));
        return;
      }
      try {
        writeSync(fd, `${JSON.stringify(record)}\n`);
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
      }
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        closeSync(fd);
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}
