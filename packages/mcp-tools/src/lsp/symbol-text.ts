// Symbol names and their places, checked against the file's own text: a name a server reports is
// shown only when the file baton read says it (else the text the file has there is shown), and a
// symbol's name is located in its declaration by reading, so "by symbol name" queries ask the
// server about the exact position of the name.
import type { Position, Range } from 'vscode-languageserver-protocol';

/** How far below a declaration's first line its name is looked for. */
const NAME_SEARCH_LINES = 20;
const MAX_NAME_CHARS = 120;

/** Where `name` first occurs as a whole word within `range` (from its start), or the range's start. */
export function namePosition(lines: readonly string[], name: string, range: Range): Position {
  const last = Math.min(range.end.line, range.start.line + NAME_SEARCH_LINES, lines.length - 1);
  for (let line = range.start.line; line <= last; line++) {
    const text = lines[line] ?? '';
    let from = line === range.start.line ? range.start.character : 0;
    for (;;) {
      const at = text.indexOf(name, from);
      if (at < 0) break;
      if (!isWordChar(text[at - 1]) && !isWordChar(text[at + name.length])) return { line, character: at };
      from = at + 1;
    }
  }
  return range.start;
}

/**
 * The name to show for a symbol at `range`: the server's name when the file's text has it near
 * there, else the text the file has at the range (or "(anonymous)").
 */
export function shownName(lines: readonly string[], name: string, range: Range): string {
  const last = Math.min(range.end.line, range.start.line + NAME_SEARCH_LINES, lines.length - 1);
  const bare = name.trim();
  if (bare !== '') {
    for (let line = range.start.line; line <= last; line++) if ((lines[line] ?? '').includes(bare)) return bare.slice(0, MAX_NAME_CHARS);
  }
  const first = lines[range.start.line] ?? '';
  const endChar = range.end.line === range.start.line ? range.end.character : first.length;
  const own = first.slice(range.start.character, endChar).trim();
  return own === '' ? '(anonymous)' : own.slice(0, MAX_NAME_CHARS);
}

/** A container name is shown only when the file's text contains it. */
export function shownContainer(text: string, container: string | undefined): string | undefined {
  if (container === undefined) return undefined;
  const bare = container.trim();
  return bare !== '' && text.includes(bare) ? bare.slice(0, MAX_NAME_CHARS) : undefined;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}_$]/u.test(ch);
}
