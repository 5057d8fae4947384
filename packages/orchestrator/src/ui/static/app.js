// The baton dashboard page: hash routes over the JSON API, live updates over server-sent
// events. Every piece of data reaches the DOM through dom.js as text, never as markup, with
// invisible and direction-changing characters shown as markers, so nothing a model or a
// ticket says can run in this page or read as something it is not.

import { decisionLogView } from './decision-log-view.js';
import { diffView } from './diff-view.js';
import { append, h, setText, singleLine, svg } from './dom.js';
import { findingsView } from './findings-view.js';
import { hiddenCharLines } from './hidden-char-lines.js';
import { reportView } from './report-page.js';

const app = document.getElementById('app');
const live = document.getElementById('live');
let stream; // the open EventSource of the current page, if any
let renderToken = 0; // bumps on each navigation so late replies do not paint the wrong page

const enc = encodeURIComponent;
const fmtInt = (n) => Number(n ?? 0).toLocaleString('en-US');
const fmtUsd = (n) => `$${Number(n ?? 0).toFixed(4)}`;
const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString() : '');
const statusBadge = (status) => h('span', { class: `badge status-${status}`, 'data-status': status }, status.replace(/_/g, ' '));

class ApiError extends Error {}

async function api(path, options = {}) {
  const init = { headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (options.body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(path, init);
  const body = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
  if (!response.ok && !(options.accept ?? []).includes(response.status)) throw new ApiError(body.error ?? `${response.status}`);
  return { status: response.status, body };
}

function scriptedBanner(data) {
  if (!data.scripted) return null;
  const models = (data.models ?? []).filter((m) => /^scripted/i.test(m)).join(', ');
  return h(
    'div',
    { class: 'banner-scripted', 'data-testid': 'scripted-banner' },
    h('span', { class: 'badge scripted', 'data-testid': 'scripted-label' }, 'scripted'),
    ' This run used scripted models',
    models ? ` (${models})` : '',
    ': its model output is canned, not produced by a real model.',
  );
}

function scriptedBadge(item) {
  return item.scripted ? h('span', { class: 'badge scripted', 'data-testid': 'scripted-label', title: 'this run used scripted models' }, 'scripted') : null;
}

/** Replaces the page; comments being typed (and the cursor) survive live re-renders. */
function setPage(...nodes) {
  const drafts = new Map([...app.querySelectorAll('textarea[data-testid]')].map((t) => [t.dataset.testid, t.value]));
  const focused = document.activeElement instanceof HTMLTextAreaElement ? document.activeElement : undefined;
  const caret = focused && { id: focused.dataset.testid, start: focused.selectionStart, end: focused.selectionEnd };
  app.replaceChildren();
  append(app, nodes);
  for (const t of app.querySelectorAll('textarea[data-testid]')) {
    const draft = drafts.get(t.dataset.testid);
    if (draft) t.value = draft;
    if (caret && t.dataset.testid === caret.id) {
      t.focus();
      t.setSelectionRange(caret.start, caret.end);
    }
  }
}

function setNav(which) {
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === which);
}

/** Follows a run's events and calls `onEvent` for each; returns nothing, closes on navigation. */
function follow(runId, afterSeq, onEvent) {
  stream = new EventSource(`/api/runs/${enc(runId)}/events?after=${afterSeq}`);
  stream.addEventListener('open', () => (live.hidden = false));
  stream.addEventListener('error', () => (live.hidden = true));
  stream.addEventListener('run-event', (message) => onEvent(JSON.parse(message.data)));
}

/** Re-renders at most once per animation frame while events arrive in bursts. */
function coalesce(fn) {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      fn();
    });
  };
}

// ---- decisions -------------------------------------------------------------------------

/** Approve / request rework (comment required) / reject for one escalation; approvals have no rework. */
function decisionForm(runId, target, onDone, choices = ['accept', 'rework', 'reject']) {
  const comment = h('textarea', { placeholder: 'Comment for the worker (required for rework)', 'aria-label': `comment on ${target}`, 'data-testid': `comment-${target}` });
  const notice = h('div', { hidden: true });
  const buttons = [];
  const send = async (decision) => {
    const text = comment.value.trim();
    if (decision === 'rework' && text === '') {
      notice.className = 'notice error';
      notice.textContent = 'Say what to change: rework sends your comment to the worker.';
      notice.hidden = false;
      comment.focus();
      return;
    }
    for (const b of buttons) b.disabled = true;
    try {
      await api(`/api/runs/${enc(runId)}/decisions`, { body: { target, decision, ...(text ? { comment: text } : {}) } });
      notice.className = 'notice';
      notice.textContent = `Recorded: ${decision}.`;
      notice.hidden = false;
      onDone?.();
    } catch (error) {
      for (const b of buttons) b.disabled = false;
      notice.className = 'notice error';
      setText(notice, error.message);
      notice.hidden = false;
    }
  };
  const all = {
    accept: h('button', { class: 'primary', 'data-testid': `approve-${target}`, onclick: () => send('accept') }, 'Approve'),
    rework: h('button', { 'data-testid': `rework-${target}`, onclick: () => send('rework') }, 'Request rework'),
    reject: h('button', { class: 'danger', 'data-testid': `reject-${target}`, onclick: () => send('reject') }, 'Reject'),
  };
  buttons.push(...choices.map((c) => all[c]));
  if (!choices.includes('rework')) comment.placeholder = 'Comment (optional)';
  return h('div', { class: 'decide', 'data-testid': `decide-${target}` }, comment, h('div', { class: 'row' }, buttons), notice);
}

function escalationCard(e, onDone, withRun) {
  return h(
    'div',
    { class: 'card', 'data-testid': `escalation-${e.id}` },
    h(
      'div',
      { class: 'row' },
      h('strong', {}, e.taskId ? h('a', { href: `#/runs/${enc(e.runId)}/tasks/${enc(e.taskId)}` }, e.taskId) : singleLine(e.id)),
      withRun ? h('a', { href: `#/runs/${enc(e.runId)}` }, e.ticket) : null,
      scriptedBadge(e),
      h('span', { class: 'muted' }, fmtTime(e.raisedAt)),
    ),
    h('p', {}, e.reason),
    e.resolution ? h('p', { class: 'muted' }, `Answered ${e.resolution.decision} by ${e.resolution.by}`) : decisionForm(e.runId, e.target, onDone),
  );
}

// ---- pages ----------------------------------------------------------------------------

async function runsPage(token) {
  setNav('runs');
  const { body: runs } = await api('/api/runs');
  if (token !== renderToken) return;
  const rows = runs.map((r) =>
    h(
      'tr',
      { 'data-testid': `run-${r.runId}` },
      h('td', {}, h('a', { href: `#/runs/${enc(r.runId)}` }, r.runId), ' ', scriptedBadge(r)),
      h('td', {}, r.ticket),
      h('td', {}, r.workflow),
      h('td', {}, r.outcome ? statusBadge(r.outcome) : statusBadge(r.phase)),
      h('td', {}, `${r.tasks.done}/${r.tasks.total} done`, r.tasks.failed ? h('span', { class: 'bad' }, ` · ${r.tasks.failed} failed`) : null, r.tasks.running ? ` · ${r.tasks.running} running` : ''),
      h('td', {}, r.openEscalations ? h('a', { href: '#/escalations', class: 'bad' }, String(r.openEscalations)) : '0'),
      h('td', { class: 'mono' }, fmtInt(r.usage.totalTokens)),
      h('td', { class: 'mono' }, fmtUsd(r.usage.costUsd)),
      h('td', { class: 'muted' }, fmtTime(r.lastEventAt)),
    ),
  );
  setPage(
    h('h1', {}, 'Runs'),
    runs.length === 0
      ? h('p', { class: 'muted' }, 'No runs yet. Start one with baton run "<ticket>".')
      : h('table', {}, h('thead', {}, h('tr', {}, ['Run', 'Ticket', 'Workflow', 'State', 'Tasks', 'Escalations', 'Tokens', 'Cost', 'Last event'].map((t) => h('th', {}, t)))), h('tbody', {}, rows)),
  );
}

function meter(label, used, limit, format) {
  if (!limit) return h('div', {}, h('strong', {}, label), ' ', format(used), h('span', { class: 'muted' }, ' (no budget)'));
  const fraction = used / limit;
  const bar = h('span', {});
  bar.style.width = `${Math.min(100, fraction * 100).toFixed(1)}%`;
  return h(
    'div',
    { 'data-testid': `budget-${label.toLowerCase()}` },
    h('strong', {}, label),
    ` ${format(used)} of ${format(limit)} (${(fraction * 100).toFixed(1)}%)`,
    h('div', { class: `meter${fraction >= 1 ? ' over' : fraction >= 0.8 ? ' high' : ''}` }, bar),
  );
}

function taskGraph(run) {
  const { graph } = run;
  const byId = new Map(run.tasks.map((t) => [t.id, t]));
  const clip = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
  return h(
    'div',
    { class: 'graph', 'data-testid': 'task-graph' },
    svg(
      'svg',
      { width: graph.width, height: graph.height, viewBox: `0 0 ${graph.width} ${graph.height}`, role: 'img', 'aria-label': 'task graph' },
      svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }))),
      graph.phases.map((p) => svg('text', { x: p.x, y: 24, class: 'phase-label' }, `phase ${p.phase}`)),
      graph.edges.map((e) => svg('path', { d: e.path, class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': e.from, 'data-to': e.to })),
      graph.nodes.map((n) => {
        const task = byId.get(n.id);
        return svg(
          'g',
          { class: `node status-${task.status}`, transform: `translate(${n.x} ${n.y})`, 'data-testid': `node-${n.id}`, onclick: () => (location.hash = `#/runs/${enc(run.runId)}/tasks/${enc(n.id)}`) },
          svg('title', {}, `${task.title} (${task.status})`),
          svg('rect', { width: n.width, height: n.height, rx: 6 }),
          svg('text', { x: 10, y: 19 }, clip(n.id, 24)),
          svg('text', { x: 10, y: 37, class: 'sub' }, `${task.status.replace(/_/g, ' ')}${task.attempts > 1 ? ` · try ${task.attempts}` : ''}`),
        );
      }),
    ),
  );
}

function runBody(run, refresh) {
  const { budget } = run;
  return [
    scriptedBanner(run),
    h('h1', {}, run.ticket),
    h(
      'div',
      { class: 'row muted' },
      h('span', { class: 'mono' }, run.runId),
      statusBadge(run.outcome ?? run.phase),
      h('span', {}, `workflow ${run.workflow}`),
      h('span', {}, run.baseBranch ? `from ${run.baseBranch} @ ${run.baseCommit.slice(0, 8)}` : `@ ${run.baseCommit.slice(0, 8)}`),
      h('span', {}, `plan v${run.planVersion}${run.approvedVersion ? ` (approved v${run.approvedVersion})` : ' (not approved)'}`),
      h('a', { href: `#/runs/${enc(run.runId)}/plan`, 'data-testid': 'plan-link' }, run.approvedVersion ? 'view plan' : 'review & edit plan'),
    ),
    run.summary ? h('p', {}, run.summary) : null,
    h('h2', {}, 'Budget'),
    h(
      'div',
      { class: 'card grid2' },
      meter('Tokens', budget.usage.totalTokens, budget.budgets.tokens, fmtInt),
      meter('Cost', budget.usage.costUsd, budget.budgets.usd, fmtUsd),
      h('div', { class: 'muted' }, `${fmtInt(budget.usage.modelCalls)} model calls · ${fmtInt(budget.usage.toolCalls)} tool calls`),
      budget.events.length ? h('div', { class: 'bad' }, budget.events.map((e) => `${e.resource} budget ${e.level} (${fmtInt(e.used)} / ${fmtInt(e.limit)})`).join(' · ')) : null,
    ),
    run.escalations.some((e) => !e.resolution) ? h('h2', {}, 'Waiting for you') : null,
    run.escalations.filter((e) => !e.resolution).map((e) => escalationCard(e, refresh, false)),
    run.approvals.map((a) => h('div', { class: 'card' }, h('strong', {}, a.taskId), ' needs your approval before it starts: ', singleLine(a.title), decisionForm(run.runId, a.taskId, refresh, ['accept', 'reject']))),
    h('h2', {}, 'Decisions'),
    decisionLogView(run.runId, run.decisions, { api, refresh }),
    h('h2', {}, 'Task graph'),
    run.tasks.length ? taskGraph(run) : h('p', { class: 'muted' }, 'No plan yet.'),
    h('h2', {}, 'Tasks'),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ['Task', 'Phase', 'Status', 'Depends on', 'Attempts', ...(run.tasks.some((t) => t.nodes?.length) ? ['Node'] : []), 'Tokens', 'Cost'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        run.tasks.map((t) =>
          h(
            'tr',
            { 'data-testid': `task-row-${t.id}` },
            h('td', {}, h('a', { href: `#/runs/${enc(run.runId)}/tasks/${enc(t.id)}` }, t.id), h('div', { class: 'muted' }, singleLine(t.title))),
            h('td', {}, String(t.phase)),
            h('td', {}, statusBadge(t.status)),
            h('td', { class: 'mono' }, t.dependsOn.join(', ')),
            h('td', {}, String(t.attempts)),
            run.tasks.some((x) => x.nodes?.length) ? h('td', { class: 'mono', 'data-testid': `task-node-${t.id}` }, singleLine((t.nodes ?? []).join(', '))) : null,
            h('td', { class: 'mono' }, fmtInt(t.totalTokens)),
            h('td', { class: 'mono' }, fmtUsd(t.costUsd)),
          ),
        ),
      ),
    ),
    run.gates.length ? [h('h2', {}, 'Phase gates'), h('ul', {}, run.gates.map((g) => h('li', { class: g.passed ? 'ok' : 'bad' }, `phase ${g.phase}: ${g.passed ? 'passed' : 'failed'}`)))] : null,
  ];
}

async function runPage(token, runId) {
  setNav('runs');
  const load = async () => {
    const { body: run } = await api(`/api/runs/${enc(runId)}`);
    if (token !== renderToken) return undefined;
    setPage(runBody(run, () => load()));
    return run;
  };
  const run = await load();
  if (run) follow(runId, run.lastSeq, coalesce(load));
}

function list(items, empty) {
  return items.length ? h('ul', {}, items.map((i) => h('li', {}, i))) : h('p', { class: 'muted' }, empty);
}

function taskBody(d, refresh) {
  const t = d.task;
  return [
    scriptedBanner(d),
    h('div', { class: 'muted' }, h('a', { href: `#/runs/${enc(d.runId)}`, 'data-testid': 'back-to-run' }, `← ${d.ticket}`)),
    h('h1', {}, `${t.id}: `, singleLine(t.title)),
    h(
      'div',
      { class: 'row muted' },
      statusBadge(t.status),
      h('span', {}, `${t.type} · role ${t.role} · phase ${t.phase}`),
      h('span', {}, `${t.attempts} attempt${t.attempts === 1 ? '' : 's'}`),
      t.nodes?.length ? h('span', { 'data-testid': 'task-nodes' }, 'on node ', singleLine(t.nodes.join(', '))) : null,
      h('span', {}, `${fmtInt(t.totalTokens)} tokens · ${fmtUsd(t.costUsd)}`),
      d.models.length ? h('span', {}, `models: ${d.models.join(', ')}`) : null,
    ),
    t.reason ? h('p', { class: ['done', 'skipped'].includes(t.status) ? 'muted' : 'bad', 'data-testid': 'task-reason' }, t.reason) : null,
    d.openEscalation ? h('div', { class: 'card' }, h('strong', {}, 'Waiting for you: '), d.openEscalation.reason, decisionForm(d.runId, d.openEscalation.target, refresh)) : null,
    h('h2', {}, 'Brief'),
    h('div', { class: 'card' }, h('pre', { 'data-testid': 'brief' }, t.brief), t.acceptance.length ? [h('h3', {}, 'Acceptance'), list(t.acceptance, '')] : null),
    h('h2', {}, 'Scopes'),
    h(
      'div',
      { class: 'card grid2' },
      h('div', {}, h('strong', {}, 'Write'), list(t.writeScope.map((g) => h('code', {}, singleLine(g))), 'read-only task')),
      h('div', {}, h('strong', {}, 'Read'), list(t.readScope.map((g) => h('code', {}, singleLine(g))), 'nothing')),
      h('div', {}, h('strong', {}, 'Tests'), list(t.tests.map((g) => h('code', {}, singleLine(g))), 'none')),
      h('div', {}, h('strong', {}, 'Depends on'), list(t.dependsOn.map((g) => h('a', { href: `#/runs/${enc(d.runId)}/tasks/${enc(g)}` }, g)), 'nothing')),
    ),
    findingsView(d.findings),
    t.writeScope.length || d.diff ? [h('h2', {}, 'Diff'), d.diff ? diffView(d.diff) : h('p', { class: 'muted' }, 'No diff recorded yet.')] : null,
    h('h2', {}, 'Worker conversation'),
    h(
      'div',
      { class: 'conversation', 'data-testid': 'conversation' },
      d.conversation.length
        ? d.conversation.map((c) =>
            h(
              'div',
              { class: `item ${c.kind}` },
              h(
                'div',
                { class: 'muted' },
                `#${c.seq} · attempt ${c.attempt} · ${c.kind.replace('_', ' ')}`,
                c.model ? ` · ${c.model}` : '',
                c.inputTokens !== undefined ? ` · ${fmtInt(c.inputTokens)} in / ${fmtInt(c.outputTokens)} out` : '',
                c.costUsd !== undefined ? ` · ${fmtUsd(c.costUsd)}` : '',
              ),
              c.text ? h('pre', { class: c.isError ? 'error' : '' }, c.text) : null,
            ),
          )
        : h('p', { class: 'muted' }, 'Nothing yet.'),
    ),
    h('h2', {}, 'Tool calls'),
    d.toolCalls.length
      ? h(
          'table',
          { 'data-testid': 'tool-calls' },
          h('thead', {}, h('tr', {}, ['#', 'Attempt', 'Tool', 'Result', 'Time', 'Detail'].map((x) => h('th', {}, x)))),
          h(
            'tbody',
            {},
            d.toolCalls.map((c) =>
              h(
                'tr',
                {},
                h('td', { class: 'muted' }, String(c.seq)),
                h('td', {}, String(c.attempt)),
                h('td', { class: 'mono' }, singleLine(c.name)),
                h('td', { class: c.isError ? 'bad' : 'ok' }, c.isError ? 'error' : 'ok'),
                h('td', { class: 'muted' }, c.durationMs !== undefined ? `${c.durationMs} ms` : ''),
                h('td', {}, h('pre', {}, c.detail ?? '')),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No tool calls yet.'),
    h('h2', {}, 'Files'),
    h(
      'div',
      { class: 'card grid2' },
      h('div', { 'data-testid': 'files-read' }, h('strong', {}, 'Read'), list(d.filesRead.map((f) => h('code', {}, singleLine(f.path))), 'none')),
      h('div', { 'data-testid': 'files-written' }, h('strong', {}, 'Written'), list(d.filesWritten.map((f) => h('code', {}, singleLine(f.path))), 'none')),
    ),
    h('h2', {}, 'Tests'),
    list(
      d.tests.map((r) => h('span', { class: r.passed ? 'ok' : 'bad' }, `${r.passed ? '✓' : '✗'} ${r.suite}`, r.attempt ? ` (attempt ${r.attempt})` : '', r.summary ? `: ${r.summary}` : '')),
      'No test results yet.',
    ),
    h('h2', {}, 'Review'),
    list(
      [
        ...d.reviews.map((r) =>
          h(
            'span',
            {},
            h('strong', {}, `attempt ${r.attempt}: ${r.decision}`),
            r.reasons.length ? ` — ${r.reasons.join('; ')}` : '',
            r.feedback ? h('pre', {}, r.feedback) : null,
            r.decisions ? h('div', { class: 'muted' }, 'decisions to log: ', r.decisions.map((x, i) => [i ? '; ' : '', singleLine(x)])) : null,
          ),
        ),
        ...d.decisions.map((x) => h('span', { 'data-testid': 'human-decision' }, h('strong', {}, `${x.by}: ${x.decision}`), x.note ? ` — ${x.note}` : '')),
      ],
      'No review yet.',
    ),
  ];
}

async function taskPage(token, runId, taskId) {
  setNav('runs');
  const load = async () => {
    const { body } = await api(`/api/runs/${enc(runId)}/tasks/${enc(taskId)}`);
    if (token !== renderToken) return undefined;
    setPage(taskBody(body, () => load()));
    return body;
  };
  const detail = await load();
  if (detail) follow(runId, detail.lastSeq, coalesce(load));
}

async function escalationsPage(token) {
  setNav('escalations');
  const load = async () => {
    const { body: items } = await api('/api/escalations');
    if (token !== renderToken) return;
    setPage(
      h('h1', {}, 'Escalations'),
      h('p', { class: 'muted' }, 'Decisions the runs wait for. Approve integrates the work, rework sends your comment to a new attempt, reject drops it.'),
      items.length ? items.map((e) => escalationCard(e, undefined, true)) : h('p', { class: 'muted', 'data-testid': 'no-escalations' }, 'Nothing waits for you.'),
    );
  };
  await load();
}

/** Puts the editor's cursor at a 1-based line and column. */
function goToLine(editor, line, column) {
  const lines = editor.value.split('\n');
  let offset = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
  offset += Math.max(0, column - 1);
  editor.focus();
  editor.setSelectionRange(offset, offset);
  const lineHeight = editor.scrollHeight / Math.max(1, lines.length);
  editor.scrollTop = Math.max(0, (line - 5) * lineHeight);
}

function problemList(check, editor) {
  const at = (p) => h('a', { href: '#', onclick: (event) => (event.preventDefault(), goToLine(editor, p.line, p.column)) }, `line ${p.line}:${p.column}`);
  const items = [
    ...check.errors.map((p) => h('li', { class: 'bad', 'data-testid': 'plan-error', 'data-line': p.line }, at(p), ' ', p.path ? h('code', {}, singleLine(p.path)) : null, ` ${p.message}`)),
    ...check.warnings.map((p) => h('li', { class: 'muted' }, 'warning, ', at(p), `: ${p.message}`)),
  ];
  return items.length ? h('ul', { class: 'problems' }, items) : h('p', { class: 'ok' }, 'The plan is valid.');
}

async function planPage(token, runId) {
  setNav('runs');
  const [{ body: run }, { body: plan }] = await Promise.all([api(`/api/runs/${enc(runId)}`), api(`/api/runs/${enc(runId)}/plan`)]);
  if (token !== renderToken) return;
  const editor = h('textarea', { spellcheck: 'false', 'data-testid': 'plan-text', 'aria-label': 'plan', readonly: !plan.editable });
  editor.value = plan.text;
  const problems = h('div', { 'data-testid': 'plan-problems' });
  const hidden = h('div', {});
  const showHidden = () => hidden.replaceChildren(hiddenCharLines(editor.value, (line, column) => goToLine(editor, line, column)) ?? '');
  const notice = h('div', { hidden: true });
  let version = plan.version;
  const say = (text, isError) => {
    notice.className = isError ? 'notice error' : 'notice';
    setText(notice, text);
    notice.hidden = false;
  };
  const check = async () => {
    const { body } = await api(`/api/runs/${enc(runId)}/plan/validate`, { body: { text: editor.value } });
    problems.replaceChildren(problemList(body, editor));
    showHidden();
    return body;
  };
  const save = async () => {
    try {
      const { body } = await api(`/api/runs/${enc(runId)}/plan`, { body: { text: editor.value }, accept: [422] });
      problems.replaceChildren(problemList(body, editor));
      if (body.ok) {
        version = body.version;
        say(`Saved as plan v${version}.`, false);
      } else say('Not saved: fix the problems listed next to the editor.', true);
    } catch (error) {
      say(error.message, true);
    }
  };
  const approve = async () => {
    try {
      const current = await check();
      if (!current.ok) return say('Fix the problems before approving.', true);
      if (editor.value !== plan.text) await save();
      await api(`/api/runs/${enc(runId)}/plan/approve`, { body: { version } });
      say(`Approved plan v${version}. Run it with: baton resume ${runId}`, false);
      editor.readOnly = true;
    } catch (error) {
      say(error.message, true);
    }
  };
  setPage(
    scriptedBanner(run),
    h('div', { class: 'muted' }, h('a', { href: `#/runs/${enc(runId)}` }, `← ${run.ticket}`)),
    h('h1', {}, `Plan v${plan.version}`, plan.approvedVersion ? ` (approved v${plan.approvedVersion})` : ''),
    plan.editable ? h('p', { class: 'muted' }, 'Edit the plan, check it, save it as a new version, then approve it.') : h('p', { class: 'muted' }, 'This plan is approved or the run has ended; it is shown read-only.'),
    hidden,
    h(
      'div',
      { class: 'plan-editor' },
      editor,
      h(
        'div',
        {},
        plan.editable
          ? h(
              'div',
              { class: 'row' },
              h('button', { 'data-testid': 'plan-check', onclick: () => check().catch((e) => say(e.message, true)) }, 'Check'),
              h('button', { 'data-testid': 'plan-save', onclick: save }, 'Save'),
              h('button', { class: 'primary', 'data-testid': 'plan-approve', onclick: approve }, 'Approve'),
            )
          : null,
        notice,
        h('h2', {}, 'Problems'),
        problems,
      ),
    ),
  );
  showHidden();
  if (plan.editable) await check().catch((e) => say(e.message, true));
}

// ---- pilot metrics (the page's content lives in report-page.js) ---------------------

async function reportPage(token) {
  setNav('report');
  const { body: report } = await api('/api/report');
  if (token !== renderToken) return;
  setPage(reportView(report));
}

// ---- routing --------------------------------------------------------------------------

async function route() {
  stream?.close();
  stream = undefined;
  live.hidden = true;
  const token = ++renderToken;
  // A new page starts clean: drafts belong to the page they were typed on.
  app.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  try {
    if (parts.length === 0 || (parts[0] === 'runs' && parts.length === 1)) await runsPage(token);
    else if (parts[0] === 'escalations') await escalationsPage(token);
    else if (parts[0] === 'report') await reportPage(token);
    else if (parts[0] === 'runs' && parts.length === 2) await runPage(token, parts[1]);
    else if (parts[0] === 'runs' && parts[2] === 'plan') await planPage(token, parts[1]);
    else if (parts[0] === 'runs' && parts[2] === 'tasks' && parts[3]) await taskPage(token, parts[1], parts[3]);
    else setPage(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the runs')));
  } catch (error) {
    if (token === renderToken) setPage(h('h1', {}, 'Something went wrong'), h('p', { class: 'notice error', 'data-testid': 'page-error' }, error.message));
  }
}

window.addEventListener('hashchange', route);
route();
