import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRunStore } from '../store/open-store.ts';
import { type RunStore } from '../store/run-store.ts';
import type { StoredEvent } from '../store/run-event.ts';
import type { DashboardSource, DecideInput } from './dashboard-source.ts';
import { startDashboardServer, type DashboardServer } from './dashboard-server.ts';
import { FIXTURE_PLAN_RUN, FIXTURE_RUN, PLANNER_DECISION, REVIEWER_DECISION, seedScriptedRuns } from './scripted-run-fixture.ts';
import { newSessionToken } from './session-auth.ts';
import { storeDashboardSource } from './store-source.ts';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function raw(server: DashboardServer, input: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method: input.method ?? 'GET', path: input.path, headers: { Host: `127.0.0.1:${server.port}`, ...input.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(input.body);
  });
}

let store: RunStore;
let server: DashboardServer;
let decided: DecideInput[];
let source: DashboardSource;

async function start(options: { pollMs?: number; withoutPush?: boolean } = {}): Promise<void> {
  const { subscribe, ...real } = storeDashboardSource({ store, knownTests: ['unit'] });
  decided = [];
  source = {
    ...real,
    ...(options.withoutPush || !subscribe ? {} : { subscribe }),
    decide: (input) => {
      decided.push(input);
      return real.decide(input);
    },
  };
  server = await startDashboardServer({ source, pollMs: options.pollMs ?? 60_000, user: 'ann' });
}

const auth = () => ({ Authorization: `Bearer ${server.token}` });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(server, { method: 'POST', path, body: JSON.stringify(body), headers: { ...auth(), Origin: server.origin, 'Content-Type': 'application/json', ...headers } });

beforeEach(async () => {
  store = openRunStore({ path: ':memory:' });
  await seedScriptedRuns(store);
});

afterEach(async () => {
  await server?.close();
  await store.close();
});

describe('session token', () => {
  beforeEach(async () => start());

  it('has at least 128 random bits and differs per server', async () => {
    const token = newSessionToken();
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(newSessionToken()).not.toBe(token);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
  });

  it('refuses requests without a token or with a wrong one (401)', async () => {
    expect((await raw(server, { path: '/api/runs' })).status).toBe(401);
    expect((await raw(server, { path: '/' })).status).toBe(401);
    expect((await raw(server, { path: '/app.js' })).status).toBe(401);
    expect((await raw(server, { path: '/api/runs', headers: { Authorization: `Bearer ${server.token}x` } })).status).toBe(401);
    expect((await raw(server, { path: '/api/runs', headers: { Cookie: `baton_session_${server.port}=${server.token.slice(1)}` } })).status).toBe(401);
    expect((await raw(server, { path: '/?token=nope' })).status).toBe(401);
  });

  it('trades the URL token for an HttpOnly SameSite=Strict cookie and redirects without it', async () => {
    const reply = await raw(server, { path: `/?token=${server.token}` });
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    const cookie = reply.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    expect(pair).toBe(`baton_session_${server.port}=${server.token}`);
    // Another dashboard's cookie (same host, other port) does not sign in here.
    expect((await raw(server, { path: '/', headers: { Cookie: `baton_session_${server.port + 1}=${server.token}` } })).status).toBe(401);
    const page = await raw(server, { path: '/', headers: { Cookie: pair } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('app.js');
  });
});

describe('Host header (DNS rebinding)', () => {
  beforeEach(async () => start());

  it('rejects foreign names and other ports even with a valid token', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `127.0.0.1.evil.example:${server.port}`]) {
      const reply = await raw(server, { path: '/api/runs', headers: { ...auth(), Host: host } });
      expect(reply.status, host).toBe(421);
    }
  });

  it('accepts loopback names on its port', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`]) {
      expect((await raw(server, { path: '/api/runs', headers: { ...auth(), Host: host } })).status, host).toBe(200);
    }
  });
});

describe('state-changing requests', () => {
  beforeEach(async () => start());
  const path = `/api/runs/${FIXTURE_RUN}/decisions`;
  const body = { target: 'greet-shout', decision: 'accept' };

  it('need a same-origin Origin and a JSON content type', async () => {
    const noOrigin = await raw(server, { method: 'POST', path, body: JSON.stringify(body), headers: { ...auth(), 'Content-Type': 'application/json' } });
    expect(noOrigin.status).toBe(403);
    expect((await post(path, body, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(path, body, { Origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await post(path, body, { 'Content-Type': 'text/plain' })).status).toBe(403);
    expect((await post(path, body, { 'Content-Type': 'application/x-www-form-urlencoded' })).status).toBe(403);
    expect(decided).toEqual([]);
  });

  it('record a decision through decide() as a human_decision event', async () => {
    const reply = await post(path, { target: 'cli-flag', decision: 'rework', comment: 'parse flags with node:util parseArgs' });
    expect(reply.status, reply.body).toBe(200);
    expect(decided).toEqual([{ runId: FIXTURE_RUN, target: 'cli-flag', decision: 'rework', comment: 'parse flags with node:util parseArgs', by: 'ann' }]);
    const last = (await store.events(FIXTURE_RUN)).at(-1);
    expect(last).toMatchObject({ type: 'human_decision', decision: 'retry', escalationId: 'esc-cli-flag-1', taskId: 'cli-flag', note: 'parse flags with node:util parseArgs', by: 'ann' });
  });

  it('answer 409 when nothing waits for the decision, 400 for a bad body', async () => {
    expect((await post(path, { target: 'docs', decision: 'accept' })).status).toBe(409);
    expect((await post(path, { target: 'docs', decision: 'merge-it' })).status).toBe(400);
  });
});

describe('JSON API', () => {
  beforeEach(async () => start());
  const getJson = async (path: string) => {
    const reply = await raw(server, { path, headers: auth() });
    return { status: reply.status, json: JSON.parse(reply.body) as Record<string, unknown> & unknown[] };
  };

  it('lists runs with their scripted label', async () => {
    const { json } = await getJson('/api/runs');
    expect(json.map((r) => [(r as { runId: string }).runId, (r as { scripted: boolean }).scripted])).toEqual(
      expect.arrayContaining([
        [FIXTURE_RUN, true],
        [FIXTURE_PLAN_RUN, true],
      ]),
    );
  });

  it('serves a run, a task with its side-by-side diff, and the open escalations', async () => {
    const run = await getJson(`/api/runs/${FIXTURE_RUN}`);
    expect(run.json).toMatchObject({ runId: FIXTURE_RUN, scripted: true, budget: { budgets: { tokens: 200_000, usd: 2 } } });
    const task = await getJson(`/api/runs/${FIXTURE_RUN}/tasks/greet-shout`);
    expect(task.json).toMatchObject({ task: { id: 'greet-shout', writeScope: ['src/greet.ts'] }, openEscalation: { id: 'esc-greet-shout-1' } });
    expect((task.json as unknown as { diff: { files: { newPath: string }[] } }).diff.files[0]?.newPath).toBe('src/greet.ts');
    const escalations = await getJson('/api/escalations');
    expect(escalations.json.map((e) => (e as { id: string }).id).sort()).toEqual(['esc-cli-flag-1', 'esc-greet-shout-1']);
    expect((await getJson('/api/runs/nope')).status).toBe(404);
    expect((await getJson(`/api/runs/${FIXTURE_RUN}/tasks/nope`)).status).toBe(404);
  });

  it('validates an edited plan with line numbers, saves a valid one and approves it once', async () => {
    const plan = (await getJson(`/api/runs/${FIXTURE_PLAN_RUN}/plan`)).json as unknown as { text: string; version: number; editable: boolean };
    expect(plan.editable).toBe(true);
    const broken = plan.text.replace('depends_on:\n      - rename', 'depends_on:\n      - ghost');
    expect(broken).not.toBe(plan.text);
    const rejected = await post(`/api/runs/${FIXTURE_PLAN_RUN}/plan`, { text: broken });
    expect(rejected.status).toBe(422);
    const errors = (JSON.parse(rejected.body) as { errors: { line: number; message: string }[] }).errors;
    const ghostLine = broken.split('\n').findIndex((l) => l.includes('ghost')) + 1;
    expect(errors.some((e) => e.line === ghostLine && e.message.includes('ghost'))).toBe(true);

    const edited = plan.text.replace('One rename, then the docs.', 'One rename, then the docs, reviewed.');
    const saved = await post(`/api/runs/${FIXTURE_PLAN_RUN}/plan`, { text: edited });
    expect(saved.status, saved.body).toBe(200);
    expect(JSON.parse(saved.body)).toMatchObject({ ok: true, version: 2 });
    expect((await post(`/api/runs/${FIXTURE_PLAN_RUN}/plan/approve`, { version: 1 })).status).toBe(409);
    expect((await post(`/api/runs/${FIXTURE_PLAN_RUN}/plan/approve`, { version: 2 })).status).toBe(200);
    expect(await store.state(FIXTURE_PLAN_RUN)).toMatchObject({ approvedVersion: 2, plan: { summary: 'One rename, then the docs, reviewed.' } });
    expect((await post(`/api/runs/${FIXTURE_PLAN_RUN}/plan/approve`, { version: 2 })).status).toBe(409);
  });
});

describe('decisions log API', () => {
  beforeEach(() => start());
  const path = `/api/runs/${FIXTURE_RUN}/decision-log`;

  it('shows the log with its limits on the run, and a read-only task\'s findings with their outcome', async () => {
    const run = JSON.parse((await raw(server, { path: `/api/runs/${FIXTURE_RUN}`, headers: auth() })).body) as { decisions: { entries: { id: number; source: string; text: string }[]; maxEntries: number; maxChars: number } };
    expect(run.decisions).toMatchObject({ maxEntries: 20, maxChars: 300 });
    expect(run.decisions.entries.map((e) => [e.id, e.source, e.text])).toEqual([
      [1, 'planner', PLANNER_DECISION],
      [2, 'reviewer', REVIEWER_DECISION],
    ]);
    const task = JSON.parse((await raw(server, { path: `/api/runs/${FIXTURE_RUN}/tasks/analyse`, headers: auth() })).body) as { findings: { attempt: number; outcome: string }[]; reviews: { decisions?: string[] }[] };
    expect(task.findings).toEqual([expect.objectContaining({ attempt: 1, outcome: 'accepted' })]);
    expect(task.reviews[0]!.decisions).toEqual([REVIEWER_DECISION]);
  });

  it('adds, edits and removes entries as the signed-in person, answering with the log', async () => {
    const added = await post(path, { action: 'add', text: 'Keep greet() pure' });
    expect(added.status, added.body).toBe(200);
    expect((JSON.parse(added.body) as { entries: { id: number; by: string }[] }).entries.at(-1)).toMatchObject({ id: 3, by: 'ann' });
    expect((await post(path, { action: 'edit', id: 3, text: 'Keep greet() a pure function' })).status).toBe(200);
    expect((await post(path, { action: 'remove', id: 1, reason: 'settled' })).status).toBe(200);
    expect((await store.state(FIXTURE_RUN)).decisions.entries.map((e) => [e.id, e.text, e.edited?.by])).toEqual([
      [2, REVIEWER_DECISION, undefined],
      [3, 'Keep greet() a pure function', 'ann'],
    ]);
    expect((await store.events(FIXTURE_RUN)).at(-1)).toMatchObject({ type: 'decision_removed', decisionId: 1, source: 'human', by: 'ann', reason: 'settled' });
  });

  it("answers 422 with the log's own message when it refuses a change, 400 for a malformed body, 403 across origins, 409 for no such run", async () => {
    const long = await post(path, { action: 'add', text: 'x'.repeat(301) });
    expect([long.status, JSON.parse(long.body)]).toEqual([422, { error: 'a decision is at most 300 characters (this one has 301); say it shorter, or split it in two' }]);
    const unknown = await post(path, { action: 'remove', id: 9 });
    expect([unknown.status, JSON.parse(unknown.body)]).toEqual([422, { error: `run ${FIXTURE_RUN} has no decision D9; its decisions are D1, D2` }]);
    expect((await post(path, { action: 'edit', id: 'D2', text: 'x' })).status).toBe(400);
    expect((await post(path, { action: 'rename', id: 2 })).status).toBe(400);
    expect((await post(path, { action: 'add', text: 'sneaky' }, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post(`/api/runs/nope/decision-log`, { action: 'add', text: 'x' })).status).toBe(409);
    expect((await store.state(FIXTURE_RUN)).decisions.entries).toHaveLength(2);
  });
});

/** Reads an SSE response until an event with seq greater than `after` arrives. */
function nextEvent(server: DashboardServer, runId: string, after: number, onOpen: () => void | Promise<void>): Promise<StoredEvent> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path: `/api/runs/${runId}/events?after=${after}`, headers: { Host: `127.0.0.1:${server.port}`, ...auth() } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      let opened = false;
      res.on('data', (chunk: string) => {
        buffer += chunk;
        if (!opened) {
          opened = true;
          void Promise.resolve(onOpen()).catch(reject);
        }
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const event = JSON.parse(data.slice(6)) as StoredEvent;
          if (event.seq > after) {
            req.destroy();
            return resolve(event);
          }
        }
      });
    });
    req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
    req.end();
  });
}

describe('server-sent events', () => {
  it('deliver an event appended after the stream opened (pushed by the store)', async () => {
    await start();
    const last = (await store.events(FIXTURE_RUN)).at(-1)!.seq;
    const event = await nextEvent(server, FIXTURE_RUN, last, async () => {
      await store.recordHumanDecision(FIXTURE_RUN, { decision: 'approve', escalationId: 'esc-greet-shout-1', taskId: 'greet-shout', by: 'bob' });
    });
    expect(event).toMatchObject({ type: 'human_decision', seq: last + 1, by: 'bob' });
  });

  it('deliver an event appended by someone the server cannot hear (found by polling)', async () => {
    await start({ pollMs: 20, withoutPush: true });
    const last = (await store.events(FIXTURE_RUN)).at(-1)!.seq;
    const event = await nextEvent(server, FIXTURE_RUN, last, async () => {
      await store.recordHumanDecision(FIXTURE_RUN, { decision: 'reject', escalationId: 'esc-cli-flag-1', taskId: 'cli-flag', by: 'carol' });
    });
    expect(event).toMatchObject({ type: 'human_decision', seq: last + 1, by: 'carol' });
  });

  it('replays what the client missed', async () => {
    await start();
    const event = await nextEvent(server, FIXTURE_RUN, 3, () => {});
    expect(event.seq).toBe(4);
  });
});
