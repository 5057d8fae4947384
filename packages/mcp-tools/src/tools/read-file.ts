// read_file: a line range of one text file inside the read scope, with line numbers.
import { closeSync, createReadStream, openSync, readSync, type Stats } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { openForRead, withRoot } from '../confine/access.ts';
import { fdPath } from '../confine/beneath.ts';
import { defineTool } from './tool.ts';
import { ToolError } from './tool-error.ts';

/** Most lines one call reads from a file too large to read whole. */
const MAX_RANGE_LINES_LARGE_FILE = 5_000;
const BINARY_SNIFF_BYTES = 8_192;

const input = z.object({
  path: z.string().describe('File path relative to the repository root, e.g. "src/index.ts".'),
  start_line: z.number().int().min(1).optional().describe('First line to return (1-based). Default 1.'),
  end_line: z.number().int().min(1).optional().describe('Last line to return (inclusive). Default: end of file.'),
});

const output = z.object({
  path: z.string(),
  content: z.string().describe('The requested lines, joined with \\n, without line numbers.'),
  start_line: z.number().int(),
  end_line: z.number().int(),
  total_lines: z.number().int().describe('Lines in the whole file; -1 when a large file was read only up to end_line.'),
  truncated: z.boolean().describe('True when the output limit cut the range short; continue from next_start_line.'),
  next_start_line: z.number().int().optional(),
});

type Output = z.infer<typeof output>;

export const readFileTool = defineTool({
  name: 'read_file',
  title: 'Read file',
  description:
    'Read a text file from the repository. Returns the lines with line numbers (use them to write diffs), the total line count, ' +
    'and truncated=true with next_start_line when the output limit cut the range short. For large files pass start_line/end_line. ' +
    'Binary files are refused. Paths are relative to the repository root. Use search to find where something is first.',
  inputSchema: input,
  outputSchema: output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, ctx): Promise<Output> {
    if (args.end_line !== undefined && args.start_line !== undefined && args.end_line < args.start_line) {
      throw new ToolError({ code: 'bad_range', message: `end_line (${args.end_line}) is before start_line (${args.start_line})` });
    }
    const { maxFileBytes, maxOutputBytes } = ctx.grant.limits;
    // The file is opened by descriptor beneath the root (no symlink followed by the kernel) and
    // read through that descriptor only. Small files are read with synchronous calls: on a loaded
    // machine the promise API's thread-pool round trips cost more than the read itself.
    const target = await withRoot(ctx, (root) => openForRead(ctx, root, args.path));
    let lines: string[];
    let totalLines = -1;
    let firstLine = 1;
    try {
      const file = readSmallFile(target.fd, target.stat, target.rel, maxFileBytes);
      if (file.text !== undefined) {
        lines = splitLines(file.text);
        totalLines = lines.length;
      } else {
        const start = args.start_line ?? 1;
        const end = args.end_line;
        if (end === undefined || end - start + 1 > MAX_RANGE_LINES_LARGE_FILE) {
          throw new ToolError({
            code: 'file_too_large',
            message:
              `"${target.rel}" is ${target.stat.size} bytes, over this session's ${maxFileBytes}-byte limit for whole-file reads. ` +
              `Pass start_line and end_line (at most ${MAX_RANGE_LINES_LARGE_FILE} lines), or use search to find the lines you need.`,
          });
        }
        lines = await readLineWindow(target.fd, start, end);
        firstLine = start;
      }
    } finally {
      closeSync(target.fd);
    }
    ctx.log({ type: 'file.read', path: target.rel, bytes: target.stat.size });
    return selectRange({ path: target.rel, lines, firstLine, totalLines, start: args.start_line, end: args.end_line, maxOutputBytes });
  },
  render(out) {
    const total = out.total_lines >= 0 ? `${out.total_lines}` : 'many';
    const header = `${out.path} (lines ${out.start_line}-${out.end_line} of ${total})`;
    if (out.end_line < out.start_line) return `${header}\n(empty file)`;
    const width = String(out.end_line).length;
    const body = out.content
      .split('\n')
      .map((line, i) => `${String(out.start_line + i).padStart(width, ' ')}\t${line}`)
      .join('\n');
    const tail = out.truncated ? `\n[truncated by the output limit; continue with start_line=${out.next_start_line}]` : '';
    return `${header}\n${body}${tail}`;
  },
});

function selectRange(input: {
  path: string;
  lines: string[];
  /** Line number of lines[0]. */
  firstLine: number;
  totalLines: number;
  start: number | undefined;
  end: number | undefined;
  maxOutputBytes: number;
}): Output {
  const available = input.firstLine - 1 + input.lines.length;
  const start = input.start ?? 1;
  if (available === 0) {
    return { path: input.path, content: '', start_line: 1, end_line: 0, total_lines: input.totalLines, truncated: false };
  }
  if (start > available) {
    throw new ToolError({ code: 'bad_range', message: `start_line ${start} is past the end of "${input.path}" (${available} lines)` });
  }
  const end = Math.min(input.end ?? available, available);
  const picked: string[] = [];
  let bytes = 0;
  let last = start - 1;
  for (let n = start; n <= end; n++) {
    const line = input.lines[n - input.firstLine]!;
    const cost = Buffer.byteLength(line) + 8;
    if (bytes + cost > input.maxOutputBytes && picked.length > 0) break;
    picked.push(line);
    bytes += cost;
    last = n;
  }
  const truncated = last < end;
  return {
    path: input.path,
    content: picked.join('\n'),
    start_line: start,
    end_line: last,
    total_lines: input.totalLines,
    truncated,
    ...(truncated ? { next_start_line: last + 1 } : {}),
  };
}

/** Lines of a text: a final newline ends the last line rather than starting an empty one. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Reads an open regular file whole when it is within the limit. Returns text for files up to
 * `maxBytes`, or only the stats for larger ones after sniffing their head for binary content.
 */
function readSmallFile(fd: number, info: Stats, rel: string, maxBytes: number): { text?: string } {
  const length = info.size <= maxBytes ? info.size : Math.min(info.size, BINARY_SNIFF_BYTES);
  const bytes = Buffer.allocUnsafe(length);
  const read = readSync(fd, bytes, 0, length, 0);
  const head = bytes.subarray(0, Math.min(read, BINARY_SNIFF_BYTES));
  if (head.includes(0)) throw new ToolError({ code: 'binary_file', message: `"${rel}" is a binary file; read_file returns text only` });
  if (info.size > maxBytes) return {};
  return { text: decodeUtf8(bytes.subarray(0, read), rel) };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array, rel: string): string {
  try {
    const text = utf8.decode(bytes);
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch {
    throw new ToolError({ code: 'binary_file', message: `"${rel}" is not valid UTF-8 text; read_file returns text only` });
  }
}

/**
 * Streams an open file keeping only lines start..end, so a huge file never sits in memory. The
 * stream gets its own descriptor of the same file (reopened through /proc/self/fd, which names
 * the open file, not a path) and closes it; `fd` stays the caller's.
 */
async function readLineWindow(fd: number, start: number, end: number): Promise<string[]> {
  const lines: string[] = [];
  const stream = createReadStream('', { fd: openSync(fdPath(fd), 'r'), start: 0, encoding: 'utf8' });
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of reader) {
      n++;
      if (n >= start) lines.push(line);
      if (n >= end) break;
    }
  } finally {
    reader.close();
    stream.destroy();
  }
  return lines;
}
