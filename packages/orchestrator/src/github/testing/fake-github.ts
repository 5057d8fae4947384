// A local stand-in for the GitHub REST API in tests. Every request is checked against GitHub's
// published OpenAPI description (method, path, parameters, body) and every answer is built
// from GitHub's own examples and checked against the response schema, so a client that passes
// here speaks GitHub's API. It keeps pull requests, reviews and comments in memory, answers
// like GitHub when things go wrong (401, 404 for a missing repository, 422 for an existing
// pull request or a missing branch), and plays one-off answers a test queues (403 rate limits).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveGitHttp } from './fake-git-http.ts';
import { GitHubOpenApi, type OpenApiOperation } from './github-openapi.ts';

export interface FakeRepo {
  owner: string;
  name: string;
  defaultBranch?: string;
  /** Whether a branch exists on GitHub (e.g. read from the bare repository pushes go to); default: every branch. */
  branchExists?: (branch: string) => boolean | Promise<boolean>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  operationId?: string;
  body?: unknown;
  authorization?: string;
  status: number;
}

export interface FakePull {
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  mergedAt?: string;
  mergeCommit?: string;
  reviews: { id: number; state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED'; user: string; bot?: boolean; commit: string; submittedAt: string }[];
  diffComments: { user: string; bot?: boolean }[];
  conversationComments: { user: string; bot?: boolean }[];
}

export interface QueuedAnswer {
  method: string;
  /** Path below the API root, e.g. /repos/o/r/pulls. */
  path: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeGitHub {
  /** The API root to give a client (GitHub Enterprise style when a prefix was given). */
  apiUrl: string;
  requests: RecordedRequest[];
  /** Requests GitHub's description would not accept, and answers it does not describe. Tests expect none. */
  violations: string[];
  pulls: FakePull[];
  /** The web origin (scheme://host:port) where git repositories are served, when gitRoot was given. */
  webUrl: string;
  /** Authorization headers git requests came with (whatever they were). */
  gitAuthorizations: (string | undefined)[];
  /** The next request with this method and path gets this answer instead. */
  queue(answer: QueuedAnswer): void;
  pull(number: number): FakePull;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  token: string;
  repos: FakeRepo[];
  /** '' (api.github.com style) or '/api/v3' (GitHub Enterprise Server style). */
  prefix?: string;
  login?: string;
  /** Also serve git over HTTP from `<gitRoot>/<owner>/<repo>.git` at /<owner>/<repo>.git, as GitHub does. */
  gitRoot?: string;
}

let openApi: GitHubOpenApi | undefined;
const DOCS = 'https://docs.github.com/rest';

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const api = (openApi ??= new GitHubOpenApi());
  const prefix = options.prefix ?? '';
  const login = options.login ?? options.repos[0]?.owner ?? 'octocat';
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const pulls: FakePull[] = [];
  const queued: QueuedAnswer[] = [];
  const gitAuthorizations: (string | undefined)[] = [];
  let origin = '';
  let nextId = 1000;

  const repoOf = (params: Record<string, string>) => options.repos.find((r) => r.owner.toLowerCase() === params['owner']?.toLowerCase() && r.name.toLowerCase() === params['repo']?.toLowerCase());
  const web = (repo: FakeRepo) => `https://github.com/${repo.owner}/${repo.name}`;

  function user(name: string, bot = false): Record<string, unknown> {
    const example = structuredClone((api.example(api.match('GET', '/repos/o/r/issues/1/comments')!, 200) as Record<string, unknown>[])[0]!['user']) as Record<string, unknown>;
    return { ...example, login: name, id: nextId++, type: bot ? 'Bot' : 'User', html_url: bot ? `https://github.com/apps/${encodeURIComponent(name.replace(/\[bot\]$/, ''))}` : `https://github.com/${encodeURIComponent(name)}` };
  }

  function pullJson(operation: OpenApiOperation, status: number, pull: FakePull): Record<string, unknown> {
    const repo = options.repos.find((r) => r.owner === pull.owner && r.name === pull.repo)!;
    const data = api.example(operation, status) as Record<string, unknown>;
    const one = (Array.isArray(data) ? data[0] : data) as Record<string, unknown>;
    const side = (key: 'head' | 'base', ref: string) => ({ ...(one[key] as Record<string, unknown>), ref, label: `${pull.owner}:${ref}`, sha: 'f'.repeat(40) });
    return {
      ...one,
      number: pull.number,
      id: pull.number + 5000,
      url: `${origin}${prefix}/repos/${pull.owner}/${pull.repo}/pulls/${pull.number}`,
      html_url: `${web(repo)}/pull/${pull.number}`,
      title: pull.title,
      body: pull.body,
      draft: pull.draft,
      state: pull.state,
      merged: pull.mergedAt !== undefined,
      merged_at: pull.mergedAt ?? null,
      merge_commit_sha: pull.mergeCommit ?? null,
      head: side('head', pull.head),
      base: side('base', pull.base),
      user: user(login),
      // GitHub's example lists a team without the `type` its own schema requires; baton never requests teams.
      requested_teams: [],
    };
  }

  function validationFailed(documentation: string, errors: Record<string, unknown>[]): { status: number; body: unknown } {
    return { status: 422, body: { message: 'Validation Failed', errors, documentation_url: `${DOCS}/${documentation}`, status: '422' } };
  }

  async function answer(operation: OpenApiOperation, query: URLSearchParams, body: Record<string, unknown>): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const repo = repoOf(operation.params);
    if (!repo) return { status: 404, body: { message: 'Not Found', documentation_url: `${DOCS}/repos/repos#get-a-repository`, status: '404' } };
    const repoPulls = pulls.filter((p) => p.owner === repo.owner && p.repo === repo.name);
    const number = Number(operation.params['pull_number'] ?? operation.params['issue_number']);
    const existing = repoPulls.find((p) => p.number === number);
    const notFound = { status: 404, body: { message: 'Not Found', documentation_url: `${DOCS}/pulls/pulls#get-a-pull-request`, status: '404' } };
    switch (operation.operationId) {
      case 'repos/get': {
        const data = api.example(operation, 200) as Record<string, unknown>;
        const { source: _source, parent: _parent, ...rest } = data;
        return { status: 200, body: { ...rest, language: null, name: repo.name, full_name: `${repo.owner}/${repo.name}`, html_url: web(repo), default_branch: repo.defaultBranch ?? 'main', permissions: { admin: false, maintain: false, push: true, triage: true, pull: true } } };
      }
      case 'pulls/list': {
        const head = query.get('head');
        const state = query.get('state') ?? 'open';
        const matches = repoPulls.filter((p) => (state === 'all' || p.state === state) && (head === null || `${repo.owner}:${p.head}`.toLowerCase() === head.toLowerCase()));
        return { status: 200, body: matches.map((p) => pullJson(operation, 200, p)) };
      }
      case 'pulls/create': {
        const head = String(body['head']);
        const base = String(body['base']);
        const exists = repo.branchExists ?? (() => true);
        const errors: Record<string, unknown>[] = [];
        if (!(await exists(base))) errors.push({ resource: 'PullRequest', field: 'base', code: 'invalid' });
        if (!(await exists(head))) errors.push({ resource: 'PullRequest', field: 'head', code: 'invalid' });
        if (errors.length > 0) return validationFailed('pulls/pulls#create-a-pull-request', errors);
        if (repoPulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
          return validationFailed('pulls/pulls#create-a-pull-request', [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${head}.` }]);
        }
        const pull: FakePull = { owner: repo.owner, repo: repo.name, number: pulls.length + 1, title: String(body['title']), body: String(body['body'] ?? ''), head, base, draft: body['draft'] === true, state: 'open', reviews: [], diffComments: [], conversationComments: [] };
        pulls.push(pull);
        return { status: 201, body: pullJson(operation, 201, pull), headers: { location: `${origin}${prefix}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}` } };
      }
      case 'pulls/get':
        return existing ? { status: 200, body: pullJson(operation, 200, existing) } : notFound;
      case 'pulls/update': {
        if (!existing) return notFound;
        if (typeof body['title'] === 'string') existing.title = body['title'];
        if (typeof body['body'] === 'string') existing.body = body['body'];
        if (typeof body['base'] === 'string') existing.base = body['base'];
        if (body['state'] === 'open' || body['state'] === 'closed') existing.state = body['state'];
        return { status: 200, body: pullJson(operation, 200, existing) };
      }
      case 'pulls/list-reviews': {
        if (!existing) return notFound;
        const template = (api.example(operation, 200) as Record<string, unknown>[])[0]!;
        return { status: 200, body: existing.reviews.map((r) => ({ ...template, id: r.id, node_id: `R_${r.id}`, state: r.state, commit_id: r.commit, submitted_at: r.submittedAt, user: user(r.user, r.bot), body: '' })) };
      }
      case 'pulls/list-review-comments':
      case 'issues/list-comments': {
        if (!existing) return notFound;
        const template = (api.example(operation, 200) as Record<string, unknown>[])[0]!;
        const list = operation.operationId === 'issues/list-comments' ? existing.conversationComments : existing.diffComments;
        return { status: 200, body: list.map((c, i) => ({ ...template, id: nextId++ + i, user: user(c.user, c.bot) })) };
      }
      default:
        violations.push(`the fake has no answer for ${operation.operationId} (${operation.method} ${operation.template})`);
        return { status: 501, body: { message: `the fake GitHub does not implement ${operation.operationId}` } };
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3; format=json', 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', ...headers });
      response.end(text);
    };
    const bytes = await readBody(request);
    if (options.gitRoot && /^\/[^/]+\/[^/]+\.git\//.test(url.pathname)) {
      gitAuthorizations.push(request.headers.authorization);
      return serveGitHttp({ root: options.gitRoot, token: options.token }, request, response, bytes, url.pathname, url.search);
    }
    const raw = bytes.toString('utf8');
    const record: RecordedRequest = { method, path: url.pathname, query: url.search, status: 0, ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}) };
    requests.push(record);
    let body: unknown;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
        record.body = body;
      } catch {
        violations.push(`${method} ${url.pathname}: the body is not JSON`);
        record.status = 400;
        return send(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
      }
    }
    if (!url.pathname.startsWith(`${prefix}/`)) {
      violations.push(`${method} ${url.pathname} is outside the API root ${prefix || '/'}`);
      record.status = 404;
      return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    }
    const path = url.pathname.slice(prefix.length);
    const operation = api.match(method, path);
    if (!operation) {
      violations.push(`${method} ${path} is not an operation in GitHub's description`);
      record.status = 404;
      return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    }
    record.operationId = operation.operationId;
    for (const problem of api.checkRequest(operation, { query: url.searchParams, body, ...(request.headers['content-type'] ? { contentType: request.headers['content-type'] } : {}) })) {
      violations.push(`${operation.operationId}: ${problem}`);
    }
    if (!/application\/vnd\.github/.test(request.headers.accept ?? '')) violations.push(`${operation.operationId}: no GitHub media type in Accept (${request.headers.accept ?? 'none'})`);
    const auth = request.headers.authorization ?? '';
    if (auth !== `token ${options.token}` && auth !== `bearer ${options.token}` && auth !== `Bearer ${options.token}`) {
      record.status = 401;
      return send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    }
    const scripted = queued.findIndex((q) => q.method === method && q.path === path);
    const result = scripted >= 0 ? queued.splice(scripted, 1)[0]! : await answer(operation, url.searchParams, (body ?? {}) as Record<string, unknown>);
    for (const problem of api.checkResponse(operation, result.status, result.body)) violations.push(`answer to ${operation.operationId}: ${problem}`);
    record.status = result.status;
    send(result.status, result.body, result.headers);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      violations.push(`the fake failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${origin}${prefix}`,
    webUrl: origin,
    gitAuthorizations,
    requests,
    violations,
    pulls,
    queue: (a) => void queued.push(a),
    pull: (number) => {
      const found = pulls.find((p) => p.number === number);
      if (!found) throw new Error(`the fake has no pull request #${number}`);
      return found;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
