// Makes invisible and direction-changing characters in untrusted text visible as `<U+XXXX>`
// markers, so a worker cannot make a name or a line read as something else (an RLO turning
// `…-<U+202E>gnp.exe` into `…-exe.png`, a zero-width space, a terminal escape). Shared by the
// dashboard (served to the browser as is) and the CLI, so both show the same thing.

/**
 * Control characters (C0, DEL, C1), format characters (bidi embeddings, overrides and
 * isolates, marks, zero-width characters, tag characters, soft hyphen…), line and paragraph
 * separators, lone surrogates, and the other default-ignorable code points that render as
 * nothing (Hangul fillers, U+034F…). Variation selectors stay: emoji need them.
 */
const HIDDEN = /(?:[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]|(?!\p{Variation_Selector})\p{Default_Ignorable_Code_Point})/gu;

/** `<U+202E>` for U+202E. */
export function markerOf(codePoint) {
  return `<U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}>`;
}

function kept(text, index, char, multiline) {
  if (!multiline) return false;
  // Layout characters of multi-line text; a carriage return only as part of CRLF.
  return char === '\n' || char === '\t' || (char === '\r' && text[index + 1] === '\n');
}

/**
 * Splits text into plain strings and markers for the characters it must not show raw.
 * `multiline` keeps newlines, tabs and CRLF (plans, logs, code); without it they are marked
 * too (file names, titles, ids).
 */
export function visibleSegments(text, options = {}) {
  const multiline = options.multiline === true;
  const source = String(text);
  const segments = [];
  let plainFrom = 0;
  for (const match of source.matchAll(HIDDEN)) {
    const char = match[0];
    if (kept(source, match.index, char, multiline)) continue;
    if (match.index > plainFrom) segments.push(source.slice(plainFrom, match.index));
    const codePoint = char.codePointAt(0);
    segments.push({ marker: markerOf(codePoint), codePoint });
    plainFrom = match.index + char.length;
  }
  const rest = source.slice(plainFrom);
  if (rest !== '' || segments.length === 0) segments.push(rest);
  return segments;
}

/** The text with markers in place; `mark` may decorate each marker (e.g. reverse video). */
export function visibleText(text, options = {}) {
  const mark = options.mark ?? ((marker) => marker);
  return visibleSegments(text, options)
    .map((s) => (typeof s === 'string' ? s : mark(s.marker, s.codePoint)))
    .join('');
}

/** True when the text has a character visibleText would mark. */
export function hasHiddenChars(text, options = {}) {
  return visibleSegments(text, options).some((s) => typeof s !== 'string');
}

/**
 * JSON text with those characters written as \u escapes: the same data for a program, and
 * nothing that reorders or hides what a person reading the JSON sees. JSON.stringify already
 * escapes C0 controls inside strings, so raw newlines and tabs are layout and stay.
 */
export function escapeHiddenInJson(json) {
  return json.replace(HIDDEN, (char) => {
    if (char === '\n' || char === '\t' || char === '\r') return char;
    let escaped = '';
    for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}
