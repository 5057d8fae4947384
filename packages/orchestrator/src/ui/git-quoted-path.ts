// Reads the paths git writes in diff headers: as they are, or C-quoted ("a/x\"y", "a/\303\251")
// when a name holds a quote, a backslash, a control character, or (with core.quotePath on)
// any byte above 0x7f. Octal escapes are bytes, decoded together as UTF-8.

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/**
 * Reads one quoted string at the start of `text` (which must start with `"`). Returns the
 * decoded value and the text after the closing quote, or undefined when it is not one.
 */
export function readQuotedPath(text: string): { value: string; rest: string } | undefined {
  if (!text.startsWith('"')) return undefined;
  const bytes: number[] = [];
  for (let i = 1; i < text.length; ) {
    const char = text[i]!;
    if (char === '"') return { value: utf8.decode(Uint8Array.from(bytes)), rest: text.slice(i + 1) };
    if (char !== '\\') {
      const codePoint = text.codePointAt(i)!;
      const literal = String.fromCodePoint(codePoint);
      bytes.push(...encoder.encode(literal));
      i += literal.length;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
      continue;
    }
    const octal = /^[0-3][0-7]{2}/.exec(text.slice(i + 1, i + 4));
    if (!octal) return undefined;
    bytes.push(Number.parseInt(octal[0], 8));
    i += 4;
  }
  return undefined;
}

/** A whole header field: quoted (nothing may follow the closing quote) or taken as it is. */
export function readPathField(text: string): string | undefined {
  if (!text.startsWith('"')) return text;
  const quoted = readQuotedPath(text);
  return quoted && quoted.rest === '' ? quoted.value : undefined;
}

/**
 * Every way to read `diff --git <old> <new>` (what follows "diff --git ") as two fields.
 * Unquoted names may hold spaces, so an unquoted pair has one reading per space; the
 * caller picks the one that fits (same name on both sides, or the rename's names).
 */
export function headerPathPairs(text: string): [string, string][] {
  if (text.startsWith('"')) {
    const first = readQuotedPath(text);
    if (!first || !first.rest.startsWith(' ')) return [];
    const second = readPathField(first.rest.slice(1));
    return second === undefined ? [] : [[first.value, second]];
  }
  const pairs: [string, string][] = [];
  for (let i = text.indexOf(' '); i !== -1; i = text.indexOf(' ', i + 1)) {
    const second = readPathField(text.slice(i + 1));
    if (second !== undefined) pairs.push([text.slice(0, i), second]);
  }
  return pairs;
}
