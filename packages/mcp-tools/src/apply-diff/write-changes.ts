// Writes a planned patch all-or-nothing: each new text goes to a temporary file beside its
// target and is renamed over it; if any step fails, every file already changed is put back.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ResolvedChange {
  abs: string;
  action: 'modify' | 'create' | 'delete';
  before?: string;
  after?: string;
}

export function writeChanges(changes: readonly ResolvedChange[]): void {
  const done: (ResolvedChange & { mode?: number })[] = [];
  const createdDirs: string[] = [];
  try {
    for (const change of changes) {
      if (change.action === 'delete') {
        // Kept so a rollback gives the file back its permissions too.
        const mode = statSync(change.abs).mode & 0o7777;
        unlinkSync(change.abs);
        done.push({ ...change, mode });
        continue;
      } else {
        const dir = path.dirname(change.abs);
        const made = mkdirSync(dir, { recursive: true });
        if (made !== undefined) createdDirs.push(made);
        const mode = change.action === 'modify' ? statSync(change.abs).mode & 0o7777 : 0o644;
        const temp = path.join(dir, `.${path.basename(change.abs)}.baton-${randomBytes(4).toString('hex')}`);
        writeFileSync(temp, change.after!, { mode });
        try {
          renameSync(temp, change.abs);
        } catch (error) {
          rmSync(temp, { force: true });
          throw error;
        }
      }
      done.push(change);
    }
  } catch (error) {
    for (const change of done.reverse()) {
      try {
        if (change.action === 'create') unlinkSync(change.abs);
        else writeFileSync(change.abs, change.before!, change.mode !== undefined ? { mode: change.mode } : {});
      } catch {
        // Best effort: the error below names the failure; the rest were restored.
      }
    }
    for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
