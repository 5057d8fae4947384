// The run's decisions log on the run page: every entry (model- or person-written text, shown
// through dom.js so hidden characters appear as markers) with where it came from, and the
// forms a person adds, rewords and removes entries with. Changes go through the dashboard's
// API, which applies the log's own limits and says why it refuses one.
import { h, setText, singleLine } from './dom.js';

// Survive the live re-renders of the page: which entry is being edited, and the last refusal.
let editing;
let refusal;

function origin(entry) {
  const who = entry.source === entry.by ? entry.source : `${entry.source} ${entry.by}`;
  return [who, entry.taskId ? `with ${entry.taskId}` : '', entry.planVersion ? `plan v${entry.planVersion}` : '', entry.edited ? `edited by ${entry.edited.by}` : ''].filter(Boolean).join(', ');
}

/** One line of text: Enter sends, it never adds a line break. */
function oneLineBox(attrs, value, onEnter) {
  const box = h('textarea', { rows: 1, class: 'one-line', ...attrs });
  box.value = value;
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      onEnter();
    }
  });
  return box;
}

/**
 * The log's section. `api(path, {body})` posts JSON and throws with the server's message;
 * `refresh()` reloads the page after a change.
 */
export function decisionLogView(runId, log, { api, refresh }) {
  const path = `/api/runs/${encodeURIComponent(runId)}/decision-log`;
  const notice = h('div', { hidden: true, 'data-testid': 'decision-log-notice' });
  const say = (text) => {
    notice.className = 'notice error';
    setText(notice, text);
    notice.hidden = false;
  };
  if (refusal?.runId === runId) say(refusal.message);
  const send = async (change, box) => {
    try {
      await api(path, { body: change });
      refusal = undefined;
      editing = undefined;
      // The draft is spent: the re-render must not bring it back.
      if (box) box.value = '';
      await refresh();
    } catch (error) {
      refusal = { runId, message: error.message };
      say(error.message);
    }
  };

  const items = log.entries.map((entry) => {
    const label = `D${entry.id}`;
    if (editing === `${runId}:${entry.id}`) {
      const box = oneLineBox({ 'data-testid': `decision-edit-${label}`, 'aria-label': `new text of ${label}` }, entry.text, () => send({ action: 'edit', id: entry.id, text: box.value }, box));
      return h(
        'li',
        { 'data-testid': `decision-${label}` },
        h('strong', {}, label),
        ' ',
        box,
        h('div', { class: 'row' }, h('button', { class: 'primary', 'data-testid': `decision-save-${label}`, onclick: () => send({ action: 'edit', id: entry.id, text: box.value }, box) }, 'Save'), h('button', { onclick: () => ((editing = undefined), refresh()) }, 'Cancel')),
      );
    }
    return h(
      'li',
      { 'data-testid': `decision-${label}` },
      h('strong', {}, label),
      ' ',
      h('span', { 'data-testid': `decision-text-${label}` }, singleLine(entry.text)),
      h('span', { class: 'muted' }, ' — ', singleLine(origin(entry)), ' '),
      h('button', { class: 'small', 'data-testid': `decision-edit-button-${label}`, onclick: () => ((editing = `${runId}:${entry.id}`), refresh()) }, 'Edit'),
      ' ',
      h('button', { class: 'small danger', 'data-testid': `decision-remove-${label}`, onclick: () => send({ action: 'remove', id: entry.id }) }, 'Remove'),
    );
  });
  const full = log.entries.length >= log.maxEntries;
  const add = oneLineBox(
    { 'data-testid': 'decision-add-text', 'aria-label': 'a new decision', placeholder: full ? 'The log is full: remove or reword an entry first' : `A decision every later task must follow (one line, at most ${log.maxChars} characters)` },
    '',
    () => send({ action: 'add', text: add.value }, add),
  );
  return h(
    'div',
    { class: 'card', 'data-testid': 'decision-log' },
    h('p', { class: 'muted' }, `${log.entries.length} of at most ${log.maxEntries}. Every brief from now on carries them; decided by the planner, the reviewer and people.`),
    items.length ? h('ul', { class: 'decisions' }, items) : h('p', { class: 'muted', 'data-testid': 'no-decisions' }, 'No decisions yet.'),
    log.refused.length ? h('p', { class: 'bad' }, 'Not logged, the log was full: ', log.refused.map((e) => singleLine(`D${e.id} ${e.text}`))) : null,
    h('div', { class: 'row' }, add, h('button', { 'data-testid': 'decision-add', onclick: () => send({ action: 'add', text: add.value }, add) }, 'Add decision')),
    notice,
  );
}
