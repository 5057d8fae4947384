// A link (grant.testLinks) as a hostile worker meets it: the tools find nothing at the linked
// path (the workspace does not hold the files), a patch that writes there creates a file of
// the workspace's own and leaves the linked source untouched, and the tests still see the
// source there, read-only.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantSchema } from '../grant.ts';
import { sandboxStatus } from '../run-tests/sandbox.ts';
import { connectInMemory } from '../testing/connect-in-memory.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';

let repo: TempRepo;
let source: string;
beforeAll(async () => {
  repo = await makeTempRepo({ 'show.mjs': "import { readFileSync } from 'node:fs';\nconsole.log('SEES ' + readFileSync('venv/lib/dep.txt', 'utf8'));\n" });
  source = path.join(repo.outside, 'checkout-venv');
  mkdirSync(path.join(source, 'lib'), { recursive: true });
  writeFileSync(path.join(source, 'lib', 'dep.txt'), 'installed dependency');
});
afterAll(() => repo.cleanup());

describe.runIf(sandboxStatus().available)('a linked path and the tools', () => {
  it('is not readable through the tools, cannot be written through, and tests still see the source', async () => {
    const grant = GrantSchema.parse({
      tools: ['read_file', 'list_files', 'apply_diff', 'run_tests'],
      write: ['**'],
      tests: { show: { argv: [process.execPath, 'show.mjs'] } },
      testLinks: [{ source, path: 'venv' }],
    });
    const { client, close } = await connectInMemory({ root: repo.root, grant });
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await client.callTool({ name, arguments: args });
      return { isError: result.isError === true, text: (result.content as { text: string }[])[0]!.text };
    };
    try {
      expect((await call('read_file', { path: 'venv/lib/dep.txt' })).isError).toBe(true);
      expect((await call('list_files', {})).text).not.toContain('dep.txt');
      const written = await call('apply_diff', { patch: '--- /dev/null\n+++ b/venv/lib/dep.txt\n@@ -0,0 +1 @@\n+worker version\n' });
      expect(written.isError, written.text).toBe(false);
      expect(readFileSync(path.join(source, 'lib', 'dep.txt'), 'utf8')).toBe('installed dependency');
      expect(readFileSync(path.join(repo.root, 'venv', 'lib', 'dep.txt'), 'utf8')).toBe('worker version\n');
      expect((await call('run_tests', { suite: 'show' })).text).toContain('SEES installed dependency');
    } finally {
      await close();
    }
  });
});
