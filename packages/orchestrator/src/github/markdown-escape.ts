// Text that models, workers and test output wrote, made inert for a GitHub pull request body:
// no HTML, no links or images, no @-mentions, no issue references (so no "Fixes #12" closing
// someone's issue), no autolinked URLs, no table breakage. Prose is backslash-escaped and the
// triggers GitHub applies to rendered text (mentions, references, autolinks) are broken with a
// zero-width space; identifiers go in code spans, long text in fenced blocks.

const ZWSP = '\u200b';
/** The characters that start Markdown syntax (inline, block, tables, math); others stay as they are. */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|<>~&=$]/g;

/** Removes control characters (keeps tab and newline) and bidirectional overrides that could disguise text. */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** Breaks what GitHub links in rendered text: @mentions, #123 / GH-123 references, URLs, emails. */
function breakTriggers(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9])/g, `@${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1-${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\b(www)\./gi, `$1${ZWSP}.`);
}

/** One line of prose: every Markdown character escaped, line breaks become spaces. */
export function mdText(text: string, maxLength = 500): string {
  const line = clean(text).replace(/\s+/g, ' ').trim();
  const clipped = line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
  return breakTriggers(clipped).replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

/** Several lines of prose, kept as lines (hard breaks), each escaped like mdText. */
export function mdParagraph(text: string, maxLength = 4000): string {
  const body = clean(text).trim();
  const clipped = body.length > maxLength ? `${body.slice(0, maxLength - 1)}…` : body;
  return clipped
    .split('\n')
    .map((l) => mdText(l, maxLength))
    .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
    .join('<br>\n');
}

/** An inline code span that is safe inside a table cell. */
export function mdCode(text: string, maxLength = 200): string {
  let line = clean(text).replace(/\s+/g, ' ').trim();
  if (line.length > maxLength) line = `${line.slice(0, maxLength - 1)}…`;
  if (line === '') return '';
  // In a GFM table a pipe ends the cell even inside code, unless escaped.
  line = line.replaceAll('|', '\\|');
  const longest = Math.max(0, ...[...line.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** A fenced code block: nothing inside is rendered, whatever it holds. */
export function mdCodeBlock(text: string, maxLength = 8000): string {
  let body = clean(text).replace(/\n+$/, '');
  if (body.length > maxLength) body = `${body.slice(0, maxLength - 1)}…`;
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${body}\n${fence}`;
}
