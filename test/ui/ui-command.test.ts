// `baton ui` through the real binary on a real repository's store: the printed URL signs in,
// the API reads runs another process wrote, a decision made over HTTP lands in the store, an
// event appended by another process reaches an open event stream, and SIGTERM stops it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_RUN, openRepoStore, seedScriptedRuns } from '@baton/orchestrator';
import { makeGitRepo, type TestGitRepo } from '../helpers/git-repo.ts';
import { BATON_BIN } from '../helpers/run-cli.ts';

let repo: TestGitRepo;
let child: ChildProcessWithoutNullStreams;
let url: URL;
let stderr = '';

function get(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, url), { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  repo = await makeGitRepo({ files: { 'README.md': '# demo\n' } });
  const store = await openRepoStore({ repoRoot: repo.dir });
  await seedScriptedRuns(store);
  await store.close();
  child = spawn(process.execPath, [BATON_BIN, 'ui', '--repo', repo.dir, '--poll-ms', '50'], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', NO_COLOR: '1' } });
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  let out = '';
  child.stdout.setEncoding('utf8');
  url = await new Promise<URL>((resolve, reject) => {
    child.stdout.on('data', (c: string) => {
      out += c;
      const match = /open: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (match) resolve(new URL(match[1]!));
    });
    child.once('exit', (code) => reject(new Error(`baton ui exited with ${code} before printing its URL: ${stderr}`)));
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  await repo?.cleanup();
});

describe('baton ui', () => {
  it('prints a loopback URL with a 256-bit token that signs the browser in', async () => {
    expect(url.hostname).toBe('127.0.0.1');
    expect(Buffer.from(url.searchParams.get('token')!, 'base64url').length).toBe(32);
    const signIn = await get(url.pathname + url.search, {});
    expect(signIn.status).toBe(303);
    const cookie = String((signIn.headers['set-cookie'] as string[])[0]).split(';')[0]!;
    const runs = await get('/api/runs', { Cookie: cookie });
    expect(runs.status).toBe(200);
    expect(JSON.parse(runs.body)).toEqual(expect.arrayContaining([expect.objectContaining({ runId: FIXTURE_RUN, scripted: true })]));
    expect((await get('/api/runs', {})).status).toBe(401);
  });

  it('records a decision made over HTTP in the repository store', async () => {
    const token = url.searchParams.get('token')!;
    const reply = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(new URL(`/api/runs/${FIXTURE_RUN}/decisions`, url), { method: 'POST', headers: { Authorization: `Bearer ${token}`, Origin: url.origin, 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ target: 'greet-shout', decision: 'reject', comment: 'keep the old signature' }));
    });
    expect(reply).toBe(200);
    const store = await openRepoStore({ repoRoot: repo.dir });
    try {
      expect((await store.events(FIXTURE_RUN)).at(-1)).toMatchObject({ type: 'human_decision', decision: 'reject', escalationId: 'esc-greet-shout-1', note: 'keep the old signature' });
    } finally {
      await store.close();
    }
  });

  it('streams an event another process appends', async () => {
    const token = url.searchParams.get('token')!;
    const store = await openRepoStore({ repoRoot: repo.dir });
    const after = (await store.events(FIXTURE_RUN)).at(-1)!.seq;
    try {
      const event = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const req = httpRequest(new URL(`/api/runs/${FIXTURE_RUN}/events?after=${after}`, url), { headers: { Authorization: `Bearer ${token}` } }, (res) => {
          let buffer = '';
          let appended = false;
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            buffer += c;
            if (!appended) {
              appended = true;
              void store.recordHumanDecision(FIXTURE_RUN, { decision: 'reject', escalationId: 'esc-cli-flag-1', taskId: 'cli-flag', by: 'other-process' }).catch(reject);
            }
            const data = /data: (.*)\n/.exec(buffer);
            if (data) {
              req.destroy();
              resolve(JSON.parse(data[1]!) as Record<string, unknown>);
            }
          });
        });
        req.on('error', (e) => (e.message === 'socket hang up' ? undefined : reject(e)));
        req.end();
      });
      expect(event).toMatchObject({ type: 'human_decision', seq: after + 1, by: 'other-process' });
    } finally {
      await store.close();
    }
  });

  it('stops on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
