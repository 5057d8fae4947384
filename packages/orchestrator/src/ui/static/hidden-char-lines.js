// Lists the lines of an editable text that hold invisible or direction-changing characters.
// A textarea can only show them raw (reordered or not at all), so the plan page lists them
// here with markers, each line a link to its place in the editor.
import { h } from './dom.js';
import { visibleSegments } from './visible-text.js';

/** 1-based column of the first hidden character of a line, or 0 when it has none. */
function firstHiddenColumn(line) {
  let column = 1;
  for (const segment of visibleSegments(line, { multiline: true })) {
    if (typeof segment !== 'string') return column;
    column += segment.length;
  }
  return 0;
}

/** A notice listing the lines, or null when there are none; `onPick(line, column)` on a click. */
export function hiddenCharLines(text, onPick) {
  const items = [];
  text.split('\n').forEach((line, index) => {
    const column = firstHiddenColumn(line);
    if (column === 0) return;
    const go = (event) => (event.preventDefault(), onPick(index + 1, column));
    items.push(h('li', { 'data-line': index + 1 }, h('a', { href: '#', onclick: go }, `line ${index + 1}:${column}`), ' ', h('code', {}, line)));
  });
  if (items.length === 0) return null;
  return h(
    'div',
    { class: 'notice error', 'data-testid': 'plan-hidden-chars' },
    `This plan holds characters that are invisible or change the direction of text. The editor shows them raw; here they are marked (${items.length} line${items.length === 1 ? '' : 's'}):`,
    h('ul', { class: 'problems' }, items),
  );
}
