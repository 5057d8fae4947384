// The decisions log as the models read it: one line per entry, in briefs, in the reviewer's
// prompt and in a re-plan's prompt.
import { decisionLabel, type DecisionEntry } from './decision-log.ts';

export function decisionLines(entries: readonly Pick<DecisionEntry, 'id' | 'text'>[]): string[] {
  return entries.map((e) => `- ${decisionLabel(e.id)}: ${e.text}`);
}
