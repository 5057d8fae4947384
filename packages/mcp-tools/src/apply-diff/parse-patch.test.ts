// What the unified-diff reader accepts from models (fences, bare headers) and what it refuses
// (symbolic links, binary patches, a fence that would cut a hunk short).
import { describe, expect, it } from 'vitest';
import { parsePatch, PatchSyntaxError } from './parse-patch.ts';

const body = '--- a/f.ts\n+++ b/f.ts\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n';

describe('parsePatch', () => {
  it('reads a diff wrapped in a Markdown fence with prose after it', () => {
    const files = parsePatch(`Here is the change:\n\`\`\`diff\n${body}\`\`\`\nThis renames two.\n`);
    expect(files).toHaveLength(1);
    expect(files[0]!.hunks[0]!.lines.map((l) => l.kind)).toEqual(['context', 'remove', 'add']);
  });

  it('refuses a fence in the middle of a hunk instead of cutting the hunk short', () => {
    expect(() => parsePatch(`${body}\`\`\`\n+three\n`)).toThrow(PatchSyntaxError);
  });

  it('refuses patches that make symbolic links or carry binary data', () => {
    expect(() => parsePatch('diff --git a/l b/l\nnew file mode 120000\n--- /dev/null\n+++ b/l\n@@ -0,0 +1 @@\n+/etc/passwd\n')).toThrow(/symbolic link/);
    expect(() => parsePatch('diff --git a/i.png b/i.png\nGIT binary patch\nliteral 5\n')).toThrow(/binary/);
  });

  it('keeps the header line number only as a hint and reads bare @@ headers', () => {
    const files = parsePatch('--- a/f\n+++ b/f\n@@ -7,99 +7,1 @@\n a\n-b\n@@ @@\n c\n+d\n');
    expect(files[0]!.hunks.map((h) => h.oldStartHint)).toEqual([7, undefined]);
  });
});
