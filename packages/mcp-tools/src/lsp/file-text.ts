// Reads the text of files a result shows, by descriptor, the way search reads its excerpts: a
// file counts only when it is a regular file reached beneath the root without symlinks. Every line
// a code-intelligence result quotes, and every text a server is sent, comes from here — never
// from what a language server said a file contains.
import { closeSync, readSync } from 'node:fs';
import type { RootHandle } from '../confine/beneath.ts';
import { createPathVerifier } from '../confine/path-verifier.ts';

/** Larger files are neither quoted nor sent to a server. */
export const MAX_TEXT_BYTES = 8 * 1024 * 1024;

export interface FileText {
  text: string;
  /** Lines without their line breaks (LSP counts \n, \r\n and \r as breaks). */
  lines: string[];
  /** Bytes that were not UTF-8 show as U+FFFD. */
  lossy: boolean;
}

export interface FileTextReader {
  /** The file's text, or undefined when it is not a regular file reached without symlinks (or too large). */
  read(rel: string): FileText | undefined;
  close(): void;
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8', { fatal: false });

export function createFileTextReader(root: RootHandle): FileTextReader {
  const verifier = createPathVerifier(root);
  const cache = new Map<string, FileText | undefined>();
  return {
    read(rel) {
      if (cache.has(rel)) return cache.get(rel);
      const opened = verifier.openRegularFile(rel);
      let result: FileText | undefined;
      if (opened) {
        try {
          if (opened.stat.size <= MAX_TEXT_BYTES) result = decode(readAll(opened.fd, opened.stat.size));
        } finally {
          closeSync(opened.fd);
        }
      }
      cache.set(rel, result);
      return result;
    },
    close() {
      cache.clear();
      verifier.close();
    },
  };
}

function readAll(fd: number, size: number): Buffer {
  const buffer = Buffer.alloc(Math.min(size + 1, MAX_TEXT_BYTES + 1));
  let length = 0;
  for (;;) {
    const read = readSync(fd, buffer, length, buffer.length - length, length);
    if (read === 0) break;
    length += read;
    if (length === buffer.length) break;
  }
  return buffer.subarray(0, Math.min(length, MAX_TEXT_BYTES));
}

export function decode(bytes: Uint8Array): FileText {
  let text: string;
  let lossy = false;
  try {
    text = strict.decode(bytes);
  } catch {
    text = lenient.decode(bytes);
    lossy = true;
  }
  return { text, lines: text.split(/\r\n|\r|\n/), lossy };
}
