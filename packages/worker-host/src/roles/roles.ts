// Role prompts live as markdown files beside this module, one per role.
import { readFileSync } from 'node:fs';

export const ROLES = ['implementation', 'tests', 'docs', 'analysis', 'merge'] as const;
export type Role = (typeof ROLES)[number];

const cache = new Map<Role, string>();

/** Maps a plan's role or task type onto a prompt (unknown roles get the implementation prompt). */
export function roleFor(roleOrType: string): Role {
  const key = roleOrType.toLowerCase();
  if ((ROLES as readonly string[]).includes(key)) return key as Role;
  if (key === 'analyst' || key === 'reviewer' || key === 'investigator') return 'analysis';
  if (key === 'tester' || key === 'test') return 'tests';
  if (key === 'writer' || key === 'documentation') return 'docs';
  return 'implementation';
}

export function rolePrompt(role: Role): string {
  let text = cache.get(role);
  if (text === undefined) {
    text = readFileSync(new URL(`./${role}.md`, import.meta.url), 'utf8').trim();
    cache.set(role, text);
  }
  return text;
}
