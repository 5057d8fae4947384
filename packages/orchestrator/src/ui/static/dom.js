// Building the dashboard's DOM. Every string reaches the page as text nodes, never as markup,
// and through visible-text.js: characters that are invisible or change the direction of text
// show as distinct `<U+XXXX>` markers, so no worker text can hide or reorder what is shown.
import { visibleSegments } from './visible-text.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Text as nodes: plain runs as text nodes, each hidden character as a marked element. */
function textNodes(text, { multiline, svg }) {
  return visibleSegments(text, { multiline }).map((segment) => {
    if (typeof segment === 'string') return document.createTextNode(segment);
    const marker = svg ? document.createElementNS(SVG_NS, 'tspan') : document.createElement('span');
    marker.setAttribute('class', 'hidden-char');
    marker.setAttribute('data-code-point', segment.marker.slice(1, -1));
    if (!svg) marker.title = `invisible or direction-changing character ${segment.marker.slice(1, -1)}`;
    marker.textContent = segment.marker;
    return marker;
  });
}

/**
 * A single-line value (file name, title, id) for h(): newlines and tabs in it are marked too,
 * where other text keeps them as layout.
 */
export function singleLine(text) {
  const fragment = new DocumentFragment();
  fragment.append(...textNodes(String(text ?? ''), { multiline: false, svg: false }));
  return fragment;
}

export function append(el, children) {
  const svg = el instanceof SVGElement;
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    if (child instanceof Node) el.append(child);
    else el.append(...textNodes(String(child), { multiline: true, svg }));
  }
}

/** Replaces an element's content with text (the `textContent =` of this page). */
export function setText(el, text, options = {}) {
  el.replaceChildren();
  append(el, [options.singleLine ? singleLine(text) : text]);
}

/** Builds an element: attributes set one by one, children as nodes or text. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}
