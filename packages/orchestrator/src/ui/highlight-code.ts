// A small TS/JS tokenizer for the diff view: keywords, strings, comments, numbers. It only
// splits text into classified pieces; the page puts each piece in the DOM as text, so no
// input can become markup. State carries across lines (block comments, template strings).

export type TokenKind = 'plain' | 'keyword' | 'string' | 'comment' | 'number';
export interface CodeToken {
  kind: TokenKind;
  text: string;
}
/** What is still open at the end of a line. */
export type LineState = 'code' | 'block_comment' | 'template';
export type CodeLanguage = 'js' | 'plain';

const KEYWORDS = new Set(
  (
    'abstract as async await break case catch class const continue debugger declare default delete do else enum export extends ' +
    'false finally for from function get if implements import in instanceof interface keyof let new null of private protected ' +
    'public readonly return satisfies set static super switch this throw true try type typeof undefined var void while with yield'
  ).split(' '),
);

export function languageOf(path: string): CodeLanguage {
  return /\.(?:[cm]?[jt]sx?|json)$/i.test(path) ? 'js' : 'plain';
}

function push(tokens: CodeToken[], kind: TokenKind, text: string): void {
  if (text === '') return;
  const last = tokens[tokens.length - 1];
  if (last && last.kind === kind) last.text += text;
  else tokens.push({ kind, text });
}

/** Tokenizes one line given the state the previous line ended in. */
export function tokenizeLine(line: string, language: CodeLanguage, start: LineState = 'code'): { tokens: CodeToken[]; end: LineState } {
  const tokens: CodeToken[] = [];
  if (language === 'plain') {
    push(tokens, 'plain', line);
    return { tokens, end: 'code' };
  }
  let state: LineState = start;
  let i = 0;
  while (i < line.length) {
    if (state === 'block_comment') {
      const close = line.indexOf('*/', i);
      const stop = close < 0 ? line.length : close + 2;
      push(tokens, 'comment', line.slice(i, stop));
      i = stop;
      if (close >= 0) state = 'code';
      continue;
    }
    if (state === 'template') {
      let j = i;
      while (j < line.length && line[j] !== '`') j += line[j] === '\\' ? 2 : 1;
      const stop = Math.min(j + 1, line.length);
      push(tokens, 'string', line.slice(i, stop));
      i = stop;
      if (j < line.length) state = 'code';
      continue;
    }
    const rest = line.slice(i);
    const c = line[i]!;
    if (rest.startsWith('//')) {
      push(tokens, 'comment', rest);
      break;
    }
    if (rest.startsWith('/*')) {
      state = 'block_comment';
      push(tokens, 'comment', '/*');
      i += 2;
      continue;
    }
    if (c === '`') {
      state = 'template';
      push(tokens, 'string', '`');
      i += 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += line[j] === '\\' ? 2 : 1;
      const stop = Math.min(j + 1, line.length);
      push(tokens, 'string', line.slice(i, stop));
      i = stop;
      continue;
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(rest);
    if (word) {
      push(tokens, KEYWORDS.has(word[0]) ? 'keyword' : 'plain', word[0]);
      i += word[0].length;
      continue;
    }
    const number = /^(?:0[xob][\da-f_]+|\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?)n?/i.exec(rest);
    if (number) {
      push(tokens, 'number', number[0]);
      i += number[0].length;
      continue;
    }
    push(tokens, 'plain', c);
    i += 1;
  }
  return { tokens, end: state };
}

/** Tokenizes consecutive lines of one file, carrying state from line to line. */
export function tokenizeLines(lines: readonly string[], language: CodeLanguage): CodeToken[][] {
  let state: LineState = 'code';
  return lines.map((line) => {
    const { tokens, end } = tokenizeLine(line, language, state);
    state = end;
    return tokens;
  });
}
