// One `rg --json` match message, read into bytes and offsets. ripgrep sends a line as `text` when
// it is valid UTF-8 and as base64 `bytes` when it is not; paths likewise. Nothing here is shown to
// a model as is: search reads the bytes it returns from its own descriptor (see match-excerpt.ts).

export interface RgMatch {
  /** Root-relative path, or undefined when ripgrep could only send the name as bytes (not UTF-8). */
  path: string | undefined;
  line: number;
  /** Byte offset of the line's start in the file. */
  offset: number;
  /** The line as ripgrep read it, newline included: text when it is valid UTF-8, else its raw bytes. */
  content: { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Buffer };
  /** Byte range of the first submatch within the line. */
  matchStart: number;
  matchEnd: number;
}

interface RgData {
  text?: string;
  bytes?: string;
}

interface RgMatchMessage {
  type: 'match';
  data: {
    path: RgData;
    lines: RgData;
    line_number: number;
    absolute_offset: number;
    submatches: { start: number; end: number }[];
  };
}

/** Parses one line of `rg --json`; undefined for messages that are not matches. */
export function parseRgMatch(jsonLine: string): RgMatch | undefined {
  if (!jsonLine.startsWith('{"type":"match"')) return undefined;
  const { data } = JSON.parse(jsonLine) as RgMatchMessage;
  const rawPath = data.path.text;
  const path = rawPath === undefined ? undefined : rawPath.startsWith('./') ? rawPath.slice(2) : rawPath;
  const content = data.lines.text !== undefined ? { kind: 'text' as const, text: data.lines.text } : { kind: 'bytes' as const, bytes: Buffer.from(data.lines.bytes ?? '', 'base64') };
  const first = data.submatches[0];
  return { path, line: data.line_number, offset: data.absolute_offset, content, matchStart: first?.start ?? 0, matchEnd: first?.end ?? 0 };
}
