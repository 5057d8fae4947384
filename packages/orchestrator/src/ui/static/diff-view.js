// The task page's diff: one section per changed file (the server guarantees a section for
// every file git listed), side by side, with names shown as they are, hidden characters and all.
import { h, singleLine } from './dom.js';

function fileName(file) {
  const moved = file.oldPath !== file.newPath && (file.status === 'renamed' || file.status === 'copied');
  return moved ? [singleLine(file.oldPath), ' → ', singleLine(file.newPath)] : singleLine(file.newPath);
}

function whatChanged(file) {
  const mode = file.oldMode && file.newMode && file.oldMode !== file.newMode ? `, mode ${file.oldMode} → ${file.newMode}` : '';
  return ` (${file.status === 'unknown' ? 'changed' : file.status}${mode})`;
}

/** Why a file without hunks has none, so an empty section never looks like a rendering fault. */
function noHunks(file) {
  if (file.binary) return 'binary file';
  if (file.status === 'added') return 'empty file';
  if (file.status === 'deleted') return 'empty file deleted';
  if (file.status === 'renamed' || file.status === 'copied') return 'content unchanged';
  if (file.oldMode && file.newMode) return 'mode change only';
  return 'no content change';
}

function hunkTable(file) {
  return h(
    'table',
    { class: 'diff', 'data-testid': 'side-by-side' },
    h('colgroup', {}, h('col', { class: 'no' }), h('col', {}), h('col', { class: 'no' }), h('col', {})),
    file.hunks.map((hunk) => [
      h('tr', { class: 'hunk' }, h('td', { colspan: 4 }, hunk.header)),
      hunk.rows.map((row) =>
        h(
          'tr',
          {},
          h('td', { class: 'no' }, row.left ? String(row.left.line) : ''),
          h('td', { class: row.left ? (row.kind === 'change' ? 'del' : '') : 'empty' }, row.left ? tokensLine(row.left.tokens) : ''),
          h('td', { class: 'no' }, row.right ? String(row.right.line) : ''),
          h('td', { class: row.right ? (row.kind === 'change' ? 'add' : '') : 'empty' }, row.right ? tokensLine(row.right.tokens) : ''),
        ),
      ),
    ]),
  );
}

function tokensLine(tokens) {
  return tokens.map((t) => (t.kind === 'plain' ? t.text : h('span', { class: `tok-${t.kind}` }, t.text)));
}

function fileBody(file) {
  if (file.problem) {
    return [
      h('p', { class: 'notice error', 'data-testid': 'diff-problem' }, file.problem),
      file.raw?.length ? h('pre', { class: 'raw-diff', 'data-testid': 'diff-raw' }, file.raw.join('\n')) : null,
    ];
  }
  return file.hunks.length ? hunkTable(file) : h('p', { class: 'muted' }, noHunks(file));
}

export function diffView(diff) {
  const count = diff.files.length;
  return [
    h('p', { class: 'muted', 'data-testid': 'diff-summary' }, `${count} file${count === 1 ? '' : 's'} · attempt ${diff.attempt} · commit ${diff.commit}`),
    diff.files.map((file) =>
      h(
        'div',
        { class: `diff-file${file.problem ? ' unreadable' : ''}`, 'data-testid': `diff-${file.newPath}`, 'data-status': file.status },
        h('div', { class: 'name' }, fileName(file), whatChanged(file)),
        fileBody(file),
      ),
    ),
  ];
}
