// A workspace command (baton's workspace setup) runs in the sandbox like a test command, writes
// into the workspace, sees the links read-only, and reaches the host's network only when asked:
// a server on the host's loopback is reachable with network, and not without (the sandbox has
// a loopback of its own).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import { sandboxStatus } from './sandbox.ts';
import { runWorkspaceCommand } from './workspace-command.ts';

let repo: TempRepo;
beforeAll(async () => {
  repo = await makeTempRepo({
    'connect.mjs': "import { connect } from 'node:net';\nconst s = connect(Number(process.argv[2]), '127.0.0.1');\ns.on('data', (d) => { console.log('GOT ' + d); process.exit(0); });\ns.on('error', (e) => { console.log('ERR ' + e.code); process.exit(3); });\n",
    'generate.mjs': "import { readFileSync, writeFileSync } from 'node:fs';\nwriteFileSync('generated.txt', 'from ' + readFileSync('linked/schema.txt', 'utf8'));\n",
  });
});
afterAll(() => repo.cleanup());

describe.runIf(sandboxStatus().available)('runWorkspaceCommand', () => {
  it('reaches the host network only when asked', async () => {
    const server = createServer((socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = String((server.address() as { port: number }).port);
    try {
      const run = (network: boolean) => runWorkspaceCommand({ workspace: repo.root, argv: [process.execPath, 'connect.mjs', port], network, timeoutMs: 30_000, maxOutputBytes: 10_000 });
      expect((await run(false)).output).toContain('ERR ECONNREFUSED');
      const open = await run(true);
      expect(open.output, open.output).toContain('GOT hello');
      expect(open.exitCode).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('writes into the workspace with the links in place', async () => {
    const schema = path.join(repo.outside, 'schema-src');
    mkdirSync(schema, { recursive: true });
    writeFileSync(path.join(schema, 'schema.txt'), 'the checkout');
    const result = await runWorkspaceCommand({ workspace: repo.root, argv: [process.execPath, 'generate.mjs'], links: [{ source: schema, path: 'linked' }], timeoutMs: 30_000, maxOutputBytes: 10_000 });
    expect(result.exitCode, result.output).toBe(0);
    expect(await import('node:fs').then((fs) => fs.readFileSync(path.join(repo.root, 'generated.txt'), 'utf8'))).toBe('from the checkout');
  });
});
