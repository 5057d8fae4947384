// Decides which locations a language server reported may be shown, and what text goes with them.
// A location is shown only when its URI names a path inside the root, outside .git, in the read
// scope, and reached beneath the root without symlinks as a regular file (the server may have
// followed a link to get there); its text is the line as baton reads it now, never the server's.
// Everything else is counted, never shown.
import { fileURLToPath } from 'node:url';
import type { Range } from 'vscode-languageserver-protocol';
import { isGitPath, isInside, toRelative } from '../confine/resolve-path.ts';
import { canRead } from '../permissions.ts';
import type { ToolContext } from '../tools/tool.ts';
import type { FileText, FileTextReader } from './file-text.ts';

/** Longest line excerpt shown, in characters. */
export const MAX_LINE_CHARS = 240;
/** Characters kept before the column when a long line is cut. */
const LEAD_CHARS = 60;

export interface ShownLocation {
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units like search's columns. */
  column: number;
  end_line: number;
  end_column: number;
  /** The line at `line`, as read from the file now. */
  text: string;
}

export interface ResultFilter {
  /** The root-relative path of a URI when it may be shown, else undefined (and counted). */
  pathOf(uri: string): string | undefined;
  /** A location with its line, or undefined (counted) when it may not be shown or no longer exists. */
  locate(uri: string, range: Range): ShownLocation | undefined;
  /** The text of a shown file, for checking names against it. */
  textOf(rel: string): FileText | undefined;
  /** Count one more result left out (for reasons other than its location). */
  leaveOut(): void;
  /** Results left out. */
  readonly hidden: number;
}

export function createResultFilter(ctx: ToolContext, reader: FileTextReader): ResultFilter {
  let hidden = 0;
  const pathOf = (uri: string): string | undefined => {
    let abs: string;
    try {
      if (!uri.startsWith('file:')) return undefined;
      abs = fileURLToPath(uri);
    } catch {
      return undefined;
    }
    if (!isInside(ctx.root, abs)) return undefined;
    const rel = toRelative(ctx.root, abs);
    if (rel === '' || isGitPath(rel) || !canRead(ctx.grant, rel)) return undefined;
    // Reached by descriptor without symlinks, as a regular file: otherwise nothing about it is shown.
    if (reader.read(rel) === undefined) return undefined;
    return rel;
  };
  return {
    pathOf(uri) {
      const rel = pathOf(uri);
      if (rel === undefined) hidden++;
      return rel;
    },
    locate(uri, range) {
      const rel = pathOf(uri);
      const lines = rel === undefined ? undefined : reader.read(rel)?.lines;
      const line = lines?.[range.start.line];
      if (rel === undefined || line === undefined) {
        hidden++;
        return undefined;
      }
      return {
        path: rel,
        line: range.start.line + 1,
        column: range.start.character + 1,
        end_line: range.end.line + 1,
        end_column: range.end.character + 1,
        text: excerpt(line, range.start.character),
      };
    },
    textOf: (rel) => reader.read(rel),
    leaveOut() {
      hidden++;
    },
    get hidden() {
      return hidden;
    },
  };
}

/** A line for display: trailing space dropped, long lines cut around `column` (0-based) and marked with …. */
export function excerpt(line: string, column: number): string {
  const text = line.trimEnd();
  if (text.length <= MAX_LINE_CHARS) return text;
  const start = Math.max(0, Math.min(column - LEAD_CHARS, text.length - MAX_LINE_CHARS));
  const end = Math.min(text.length, start + MAX_LINE_CHARS);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
