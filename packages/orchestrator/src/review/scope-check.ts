// The review gate's own scope check: every file a task's diff touches must be inside the
// task's write scope and outside the protected paths. It runs on the committed diff,
// independently of the tool layer that already enforced the grant while the worker ran.
import picomatch from 'picomatch';

export interface ChangedFile {
  path: string;
  /** For renames and copies: where the file came from. */
  from?: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type_changed';
}

export interface ScopeViolation {
  path: string;
  reason: 'outside_write_scope' | 'protected_path' | 'git_dir';
}

export function checkDiffScope(input: {
  changed: readonly ChangedFile[];
  writeScope: readonly string[];
  protectedPaths: readonly string[];
}): ScopeViolation[] {
  const inScope = input.writeScope.length === 0 ? () => false : picomatch([...input.writeScope], { dot: true });
  const isProtected = input.protectedPaths.length === 0 ? () => false : picomatch([...input.protectedPaths], { dot: true });
  const violations: ScopeViolation[] = [];
  for (const file of input.changed) {
    for (const path of file.from ? [file.from, file.path] : [file.path]) {
      if (path.split('/').some((s) => s.toLowerCase() === '.git')) violations.push({ path, reason: 'git_dir' });
      else if (isProtected(path)) violations.push({ path, reason: 'protected_path' });
      else if (!inScope(path)) violations.push({ path, reason: 'outside_write_scope' });
    }
  }
  return violations;
}

/** Parses `git diff --name-status -z` output (also with -M/-C) into changed files. */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split('\0').filter((f) => f !== '');
  const files: ChangedFile[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++]!;
    const letter = code[0];
    if (letter === 'R' || letter === 'C') {
      const from = fields[i++]!;
      const to = fields[i++]!;
      files.push({ path: to, from, status: letter === 'R' ? 'renamed' : 'copied' });
      continue;
    }
    const path = fields[i++]!;
    const status = letter === 'A' ? 'added' : letter === 'D' ? 'deleted' : letter === 'T' ? 'type_changed' : 'modified';
    files.push({ path, status });
  }
  return files;
}
