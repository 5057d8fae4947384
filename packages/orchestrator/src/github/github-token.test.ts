// The token comes from GITHUB_TOKEN or from a real `gh` executable on PATH (a stand-in
// script here, since the test machine has no gh), which must see neither our secrets nor a shell.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubToken } from './github-token.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-gh-'));
  // Prints a token for ghe.example.com only, and records its argv and environment names.
  await writeFile(
    path.join(dir, 'gh'),
    `#!${process.execPath}\nconst fs = require('node:fs');\nfs.writeFileSync(${JSON.stringify(path.join(dir, 'seen.json'))}, JSON.stringify({ argv: process.argv.slice(2), env: Object.keys(process.env) }));\nif (process.argv.slice(2).join(' ') === 'auth token --hostname ghe.example.com') { process.stdout.write('gho_fromgh123\\n'); } else { process.stderr.write('You are not logged into any GitHub hosts. To log in, run: gh auth login\\n'); process.exit(1); }\n`,
  );
  await chmod(path.join(dir, 'gh'), 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('githubToken', () => {
  it('takes GITHUB_TOKEN first', async () => {
    expect(await githubToken({ host: 'github.com', env: { GITHUB_TOKEN: ' ghp_env \n', PATH: dir } })).toEqual({ token: 'ghp_env', source: 'GITHUB_TOKEN' });
  });

  it('asks gh for the host, with an argument array and without our secrets', async () => {
    const env = { PATH: dir, HOME: dir, ANTHROPIC_API_KEY: 'sk-secret', BATON_ADMIN_TOKEN: 'x' };
    expect(await githubToken({ host: 'ghe.example.com', env })).toEqual({ token: 'gho_fromgh123', source: 'gh' });
    const seen = JSON.parse(await readFile(path.join(dir, 'seen.json'), 'utf8')) as { argv: string[]; env: string[] };
    expect(seen.argv).toEqual(['auth', 'token', '--hostname', 'ghe.example.com']);
    expect(seen.env).not.toContain('ANTHROPIC_API_KEY');
    expect(seen.env).not.toContain('BATON_ADMIN_TOKEN');
  });

  it('says what to do when gh has no login or is not installed', async () => {
    await expect(githubToken({ host: 'github.com', env: { PATH: dir, HOME: dir } })).rejects.toThrow(/gh auth token --hostname github.com gave none \(You are not logged into any GitHub hosts.*set GITHUB_TOKEN/);
    await expect(githubToken({ host: 'github.com', env: { PATH: path.join(dir, 'nowhere') } })).rejects.toThrow(/GITHUB_TOKEN is not set and gh is not installed/);
  });
});
