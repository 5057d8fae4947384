// Worker-controlled text on a terminal: invisible and direction-changing characters, and the
// control characters of terminal escapes, print as `<U+XXXX>` markers (reverse video when
// colour is on), so a name or a log line cannot reorder, hide or repaint what is shown. JSON
// output keeps the data and writes those characters as \u escapes.
import { escapeHiddenInJson, visibleText } from '../ui/static/visible-text.js';
import type { Style } from './style.ts';

/** One field (name, title, reason): newlines and tabs are marked too unless `multiline`. */
export function terminalText(text: string, style: Style, options: { multiline?: boolean } = {}): string {
  return visibleText(text, { multiline: options.multiline === true, mark: (marker) => style.inverse(marker) });
}

/** Plain markers, for text whose width is measured (tables) or that takes no style. */
export function plainVisibleText(text: string): string {
  return visibleText(text);
}

export function terminalJson(value: unknown, indent?: number): string {
  return escapeHiddenInJson(JSON.stringify(value, null, indent));
}
