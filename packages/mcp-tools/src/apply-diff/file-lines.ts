// A file's text as lines that remember their own line endings, so an edit rewrites only the
// lines it changes: a file with mixed LF and CRLF keeps both, and the final newline (or its
// absence) stays as it was unless the patch says otherwise.

export type Eol = '\n' | '\r\n';

export interface FileLines {
  /** Line texts without their terminators. */
  lines: string[];
  /** The terminator of each line; '' only for a last line without a final newline. */
  eols: ('' | Eol)[];
  /** The terminator most lines use; new lines get it. LF for a file without any. */
  dominant: Eol;
}

export function splitFileLines(text: string): FileLines {
  const lines: string[] = [];
  const eols: ('' | Eol)[] = [];
  let crlf = 0;
  let lf = 0;
  let from = 0;
  for (;;) {
    const at = text.indexOf('\n', from);
    if (at < 0) break;
    const isCrlf = at > from && text.charCodeAt(at - 1) === 13;
    lines.push(text.slice(from, isCrlf ? at - 1 : at));
    eols.push(isCrlf ? '\r\n' : '\n');
    if (isCrlf) crlf++;
    else lf++;
    from = at + 1;
  }
  if (from < text.length) {
    lines.push(text.slice(from));
    eols.push('');
  }
  return { lines, eols, dominant: crlf > lf ? '\r\n' : '\n' };
}

/**
 * Joins lines back into text. Every line but the last gets a terminator (its own, or the
 * file's usual one if it had none); the last keeps whatever `eols` says.
 */
export function joinFileLines(file: FileLines): string {
  let out = '';
  const last = file.lines.length - 1;
  for (let i = 0; i <= last; i++) {
    const eol = file.eols[i] ?? '';
    out += file.lines[i]! + (i < last && eol === '' ? file.dominant : eol);
  }
  return out;
}
