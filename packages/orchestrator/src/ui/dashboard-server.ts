// `baton ui`'s HTTP server: static pages plus a JSON API and server-sent events over an
// injected DashboardSource, on loopback only, behind a per-process session token.
import { computeReport, runMetrics, type RunMetrics } from '../report/compute-report.ts';
import { reduceRunEvents } from '../store/run-state.ts';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { DASHBOARD_DECISIONS, DashboardUserError, type DashboardSource, type DecisionLogChange } from './dashboard-source.ts';
import { streamRunEvents } from './event-stream.ts';
import { HttpError, readJsonBody, SECURITY_HEADERS, sendError, sendJson } from './http-io.ts';
import { openEscalationViews, runDetail, runListItem, type EscalationView, type RunListItem } from './run-views.ts';
import { isAuthorized, isLoopbackHost, newSessionToken, sameOriginJsonProblem, sessionCookie, tokensEqual } from './session-auth.ts';
import { taskDetail } from './task-view.ts';

export interface DashboardServerOptions {
  source: DashboardSource;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 256 random bits; tests may fix it. */
  token?: string;
  /** How often open event streams look for new events. */
  pollMs?: number;
  /** Recorded as `by` on decisions and plan changes made here. */
  user?: string;
}

export interface DashboardServer {
  /** Open this once: it stores the session cookie and redirects to the runs list. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const STATIC_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/report-page.js': { file: 'report-page.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/dom.js': { file: 'dom.js', type: 'text/javascript; charset=utf-8' },
  '/diff-view.js': { file: 'diff-view.js', type: 'text/javascript; charset=utf-8' },
  '/decision-log-view.js': { file: 'decision-log-view.js', type: 'text/javascript; charset=utf-8' },
  '/findings-view.js': { file: 'findings-view.js', type: 'text/javascript; charset=utf-8' },
  '/hidden-char-lines.js': { file: 'hidden-char-lines.js', type: 'text/javascript; charset=utf-8' },
  '/visible-text.js': { file: 'visible-text.js', type: 'text/javascript; charset=utf-8' },
};
const STATIC_DIR = new URL('./static/', import.meta.url);

const DecisionBody = z.object({ target: z.string().min(1), decision: z.enum(DASHBOARD_DECISIONS), comment: z.string().max(20_000).optional() });
const PlanTextBody = z.object({ text: z.string().max(1_000_000) });
const ApproveBody = z.object({ version: z.number().int().min(1) });
const DecisionId = z.number().int().min(1);
// Lengths are bounded here only against abuse; the decisions log's own limits answer with their message.
const DecisionLogBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('add'), text: z.string().max(10_000) }),
  z.object({ action: z.literal('edit'), id: DecisionId, text: z.string().max(10_000) }),
  z.object({ action: z.literal('remove'), id: DecisionId, reason: z.string().max(1_000).optional() }),
]);

function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, `bad request body: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

async function serveStatic(response: ServerResponse, pathname: string): Promise<boolean> {
  const entry = STATIC_FILES[pathname];
  if (!entry) return false;
  const body = await readFile(new URL(entry.file, STATIC_DIR));
  response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': entry.type, 'Content-Length': body.length });
  response.end(body);
  return true;
}

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { source } = options;
  const token = options.token ?? newSessionToken();
  const pollMs = options.pollMs ?? 1000;
  const user = options.user ?? 'human';
  const streams = new Set<{ close: () => void }>();
  let port = 0;

  const runEvents = async (runId: string) => {
    const events = await source.events(runId, 0);
    if (!events || events.length === 0) throw new HttpError(404, `there is no run ${runId}`);
    return events;
  };

  const api = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const parts = url.pathname.split('/').slice(2).map(decodeURIComponent);
    const method = request.method ?? 'GET';
    // Ids sit at fixed places: /runs/:run and /runs/:run/tasks/:task.
    const route = `${method} ${parts.map((p, i) => (i === 1 || (i === 3 && parts[2] === 'tasks') ? ':' : p)).join('/')}`;
    const runId = parts[1] ?? '';
    if (method === 'POST') {
      const problem = sameOriginJsonProblem(request, port);
      if (problem) throw new HttpError(403, problem);
    }
    switch (route) {
      case 'GET runs': {
        const items: RunListItem[] = [];
        for (const id of await source.runIds()) {
          const events = await source.events(id, 0);
          if (events && events.length > 0) items.push(runListItem(events));
        }
        return sendJson(response, 200, items);
      }
      case 'GET escalations': {
        const items: EscalationView[] = [];
        for (const id of await source.runIds()) {
          const events = await source.events(id, 0);
          if (events && events.length > 0) items.push(...openEscalationViews(events));
        }
        return sendJson(response, 200, items);
      }
      case 'GET report': {
        const metrics: RunMetrics[] = [];
        for (const id of await source.runIds()) {
          const events = await source.events(id, 0);
          if (events && events.length > 0) metrics.push(runMetrics(reduceRunEvents(events), events));
        }
        metrics.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        return sendJson(response, 200, computeReport(metrics));
      }
      case 'GET runs/:':
        return sendJson(response, 200, runDetail(await runEvents(runId)));
      case 'GET runs/:/tasks/:': {
        const detail = taskDetail(await runEvents(runId), parts[3] ?? '');
        if (!detail) throw new HttpError(404, `run ${runId} has no task ${parts[3] ?? ''}`);
        return sendJson(response, 200, detail);
      }
      case 'GET runs/:/events': {
        await runEvents(runId);
        const after = Math.max(Number(url.searchParams.get('after') ?? 0) || 0, Number(request.headers['last-event-id'] ?? 0) || 0);
        const stream = streamRunEvents({ request, response, source, runId, afterSeq: after, pollMs, onClose: () => streams.delete(stream) });
        streams.add(stream);
        return;
      }
      case 'GET runs/:/plan': {
        const plan = await source.planText(runId);
        if (!plan) throw new HttpError(404, `there is no run ${runId}`);
        return sendJson(response, 200, plan);
      }
      case 'POST runs/:/plan/validate': {
        const { text } = parseBody(PlanTextBody, await readJsonBody(request));
        return sendJson(response, 200, await source.validatePlanText(runId, text));
      }
      case 'POST runs/:/plan': {
        const { text } = parseBody(PlanTextBody, await readJsonBody(request));
        const result = await source.savePlan({ runId, text, by: user });
        return sendJson(response, result.ok ? 200 : 422, result);
      }
      case 'POST runs/:/plan/approve': {
        const { version } = parseBody(ApproveBody, await readJsonBody(request));
        await source.approvePlan({ runId, version, by: user });
        return sendJson(response, 200, { ok: true, version });
      }
      case 'POST runs/:/decision-log': {
        const body = parseBody(DecisionLogBody, await readJsonBody(request));
        const change: DecisionLogChange = body.action === 'remove' ? { action: 'remove', id: body.id, ...(body.reason !== undefined ? { reason: body.reason } : {}) } : body;
        const result = await source.changeDecisionLog({ ...change, runId, by: user });
        if (!result.ok) return sendError(response, 422, result.error);
        return sendJson(response, 200, runDetail(await runEvents(runId)).decisions);
      }
      case 'POST runs/:/decisions': {
        const body = parseBody(DecisionBody, await readJsonBody(request));
        await source.decide({ runId, target: body.target, decision: body.decision, by: user, ...(body.comment ? { comment: body.comment } : {}) });
        return sendJson(response, 200, { ok: true });
      }
      default:
        throw new HttpError(method === 'GET' || method === 'POST' ? 404 : 405, `no API route ${method} ${url.pathname}`);
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!isLoopbackHost(request.headers.host, port)) {
      return sendError(response, 421, `this dashboard answers only to 127.0.0.1:${port} or localhost:${port}, not ${JSON.stringify(request.headers.host ?? '')}`);
    }
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const offered = url.searchParams.get('token');
    if (url.pathname === '/' && offered !== null && request.method === 'GET') {
      if (!tokensEqual(offered, token)) return sendError(response, 401, 'that dashboard link has a wrong or outdated token; copy the URL baton ui printed');
      // Trade the URL token for a cookie and drop it from the address bar and history.
      response.writeHead(303, { ...SECURITY_HEADERS, 'Set-Cookie': sessionCookie(token, port), Location: '/' });
      return void response.end();
    }
    if (!isAuthorized(request, token, port)) {
      return sendError(response, 401, 'not signed in: open the URL with ?token= that baton ui printed, or send Authorization: Bearer <token>');
    }
    if (url.pathname.startsWith('/api/')) return api(request, response, url);
    if (request.method === 'GET' && (await serveStatic(response, url.pathname))) return;
    return sendError(response, 404, `no page ${url.pathname}`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return void response.end();
      if (error instanceof HttpError) return sendError(response, error.status, error.message);
      if (error instanceof DashboardUserError) return sendError(response, 409, error.message);
      const message = error instanceof Error ? error.message : String(error);
      sendError(response, 500, `the dashboard failed (a baton bug; please report it): ${message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const stream of streams) stream.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
