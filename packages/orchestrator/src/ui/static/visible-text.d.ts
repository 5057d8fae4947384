// Types of visible-text.js, which stays plain JavaScript so the browser can load it unchanged.

export interface HiddenCharMarker {
  /** `<U+202E>` */
  marker: string;
  codePoint: number;
}

export interface VisibleTextOptions {
  /** Keep newlines, tabs and CRLF (multi-line text); otherwise they are marked too. */
  multiline?: boolean;
}

export function markerOf(codePoint: number): string;
export function visibleSegments(text: string, options?: VisibleTextOptions): (string | HiddenCharMarker)[];
export function visibleText(text: string, options?: VisibleTextOptions & { mark?: (marker: string, codePoint: number) => string }): string;
export function hasHiddenChars(text: string, options?: VisibleTextOptions): boolean;
export function escapeHiddenInJson(json: string): string;
