// The text search returns for one match: a window of the line around the match, read by baton
// itself from the file's descriptor at the offset ripgrep gave and compared byte for byte with
// what ripgrep saw. A file that changed (or was swapped for another) since ripgrep read it yields
// nothing, so every character returned was read through a descriptor the walk checked.
import type { RgMatch } from './rg-match.ts';

/** Longest excerpt returned, in characters. */
export const MAX_EXCERPT_CHARS = 300;
/** Bytes read around a match on a long line: enough for MAX_EXCERPT_CHARS of any UTF-8. */
const WINDOW_BYTES = 1_200;
/** Characters of context kept before the match when a long line is cut. */
const LEAD_CHARS = 60;

const lenient = new TextDecoder('utf-8', { fatal: false });

export interface Excerpt {
  text: string;
  /** 1-based column (in characters) of the match on its line. */
  column: number;
  /** The line is not valid UTF-8; undecodable bytes show as U+FFFD. */
  lossy: boolean;
}

/** `readAt(position, length)` reads from the file's descriptor; undefined when the bytes differ. */
export function matchExcerpt(match: RgMatch, readAt: (position: number, length: number) => Buffer): Excerpt | undefined {
  const { content } = match;
  // Most lines are ASCII: byte offsets are character offsets, and no line needs re-encoding.
  if (content.kind === 'text' && !NON_ASCII.test(content.text)) return asciiExcerpt(content.text, match, readAt);
  const bytes = content.kind === 'text' ? Buffer.from(content.text, 'utf8') : content.bytes;
  let body = bytes.length;
  if (body > 0 && bytes[body - 1] === 0x0a) body--;
  if (body > 0 && bytes[body - 1] === 0x0d) body--;
  const matchStart = Math.min(match.matchStart, body);
  let from = 0;
  let to = body;
  if (to - from > WINDOW_BYTES) {
    from = charStart(bytes, Math.max(0, matchStart - WINDOW_BYTES / 4));
    to = charStart(bytes, Math.min(body, from + WINDOW_BYTES));
  }
  const ours = readAt(match.offset + from, to - from);
  if (!ours.equals(bytes.subarray(from, to))) return undefined;
  const column = lenient.decode(bytes.subarray(0, matchStart)).length + 1;
  const text = lenient.decode(ours);
  return cut({ text, column, lossy: content.kind === 'bytes' }, { leadChars: lenient.decode(bytes.subarray(from, matchStart)).length, cutBefore: from > 0, cutAfter: to < body });
}

const NON_ASCII = /[^\x00-\x7f]/;

function asciiExcerpt(line: string, match: RgMatch, readAt: (position: number, length: number) => Buffer): Excerpt | undefined {
  let body = line.length;
  if (body > 0 && line.charCodeAt(body - 1) === 0x0a) body--;
  if (body > 0 && line.charCodeAt(body - 1) === 0x0d) body--;
  const matchStart = Math.min(match.matchStart, body);
  const from = body > WINDOW_BYTES ? Math.max(0, matchStart - WINDOW_BYTES / 4) : 0;
  const to = body > WINDOW_BYTES ? Math.min(body, from + WINDOW_BYTES) : body;
  const ours = readAt(match.offset + from, to - from).toString('latin1');
  const theirs = line.slice(from, to);
  if (ours !== theirs) return undefined;
  return cut({ text: ours, column: matchStart + 1, lossy: false }, { leadChars: matchStart - from, cutBefore: from > 0, cutAfter: to < body });
}

/** Shortens an excerpt to MAX_EXCERPT_CHARS around the match, marking cuts with …. */
function cut(excerpt: Excerpt, where: { leadChars: number; cutBefore: boolean; cutAfter: boolean }): Excerpt {
  const { text } = excerpt;
  let start = 0;
  let end = text.length;
  if (end > MAX_EXCERPT_CHARS) {
    start = Math.max(0, where.leadChars - LEAD_CHARS);
    end = Math.min(text.length, start + MAX_EXCERPT_CHARS);
  }
  const head = where.cutBefore || start > 0 ? '…' : '';
  const tail = where.cutAfter || end < text.length ? '…' : '';
  return { ...excerpt, text: `${head}${text.slice(start, end)}${tail}` };
}

/** Moves back to the first byte of the UTF-8 sequence that holds byte `i`. */
function charStart(bytes: Buffer, i: number): number {
  while (i > 0 && i < bytes.length && (bytes[i]! & 0xc0) === 0x80) i--;
  return i;
}
